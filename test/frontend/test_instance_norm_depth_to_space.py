"""ONNX InstanceNormalization, DepthToSpace, SpaceToDepth and Cast, one node at a time
against ONNX Runtime; InstanceNormalization after a conv converts to NHWC keeping only
the input's transform; bad input refused naming the node."""

import numpy as np
import pytest
from onnx import TensorProto, helper, numpy_helper

from relayout import api
from relayout.dialects.nn import LayerNormOp
from relayout.frontend.onnx_import import from_onnx
from relayout.interpreters.nn import interpret
from relayout.test.frontend.conftest import assert_names_the_node

R = np.random.default_rng(11)
X = (2, 8, 4, 6)


def f32(*shape):
    return R.standard_normal(shape).astype(np.float32)


@pytest.mark.parametrize("op_type, inputs, attrs", [
    pytest.param("InstanceNormalization", [X, f32(8), f32(8)], {"epsilon": 1e-3},
                 id="instance-norm"),
    pytest.param("InstanceNormalization", [(2, 8, 7), f32(8), f32(8)], {},
                 id="instance-norm-1d"),
    pytest.param("InstanceNormalization", [X, (8,), (8,)], {}, id="instance-norm-params-inputs"),
    pytest.param("DepthToSpace", [X], {"blocksize": 2}, id="depth-to-space-dcr"),
    pytest.param("DepthToSpace", [X], {"blocksize": 2, "mode": "CRD"}, id="depth-to-space-crd"),
    pytest.param("SpaceToDepth", [X], {"blocksize": 2}, id="space-to-depth"),
    pytest.param("Cast", [X], {"to": TensorProto.FLOAT}, id="cast-to-float"),
])
def test_matches_onnxruntime(node_model, matches_ort, op_type, inputs, attrs):
    model, feeds = node_model(op_type, inputs, **attrs)
    matches_ort(model, feeds)


def test_instance_norm_is_one_layer_norm_that_follows_a_conv_into_nhwc(graph_model):
    nodes = [helper.make_node("Conv", ["x", "w"], ["c"], pads=[1, 1, 1, 1]),
             helper.make_node("InstanceNormalization", ["c", "s", "b"], ["y"])]
    weights = [numpy_helper.from_array(f32(*shape), name)
               for name, shape in (("w", (8, 3, 3, 3)), ("s", (8,)), ("b", (8,)))]
    model = graph_model(nodes, [helper.make_tensor_value_info("x", TensorProto.FLOAT,
                                                              (1, 3, 6, 6))], ["y"], weights)
    module = from_onnx(model)
    assert sum(isinstance(op, LayerNormOp) for op in module.walk()) == 1
    x = f32(1, 3, 6, 6)
    (want,) = interpret(module, [x])
    api.optimize(module, ("NHWC", "default"))
    (norm,) = [op for op in module.walk() if isinstance(op, LayerNormOp)]
    assert norm.normalized == (1, 2)
    assert len(api.explain(module)) == 2  # the function's input and output only
    np.testing.assert_allclose(interpret(module, [x])[0], want, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("op_type, inputs, attrs, message", [
    ("InstanceNormalization", [X, f32(4), f32(8)], {}, "input 1 must have shape [8]"),
    ("InstanceNormalization", [(2, 8), f32(8), f32(8)], {}, "needs an [N,C,...] input"),
    ("DepthToSpace", [X], {"blocksize": 3}, "8 channels do not divide by blocksize 3"),
    ("DepthToSpace", [X], {"blocksize": 2, "mode": "XYZ"}, "mode 'XYZ' is not"),
    ("DepthToSpace", [X], {"blocksize": 0}, "blocksize 0 must be positive"),
    ("SpaceToDepth", [X], {"blocksize": 4}, "H 4 and W 6 must divide by blocksize 4"),
    ("Cast", [X], {"to": TensorProto.INT64}, "cast to INT64"),
], ids=lambda v: v if isinstance(v, str) and " " not in v else None)
def test_bad_input_names_the_node(node_model, op_type, inputs, attrs, message):
    model, _ = node_model(op_type, inputs, name="bad", **attrs)
    assert_names_the_node(model, "bad", message)
