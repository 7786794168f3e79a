"""Operators imported as their ONNX function bodies (frontend/function_bodies.py): each
against ONNX Runtime, the body's names kept out of the graph's, and the refusals: an
operator with neither converter nor body, and a body that does not import, each naming
the node."""

import numpy as np
import pytest
from onnx import TensorProto, helper

from relayout.dialects.nn import elementwise as ew
from relayout.frontend.errors import OnnxImportError
from relayout.frontend.onnx_import import from_onnx

R = np.random.default_rng(5)
X = (2, 6, 5, 4)


def f32(*shape):
    return R.standard_normal(shape).astype(np.float32)


@pytest.mark.parametrize("op_type, inputs, opset, attrs", [
    pytest.param("Celu", [X], 17, {"alpha": 0.7}, id="celu-context-dependent"),
    pytest.param("MeanVarianceNormalization", [X], 13, {}, id="mvn-opset13-default-axes"),
    pytest.param("MeanVarianceNormalization", [X], 18, {}, id="mvn-opset18-default-axes"),
    pytest.param("MeanVarianceNormalization", [X], 18, {"axes": [1, 3]}, id="mvn-axes"),
    pytest.param("GroupNormalization", [X, f32(6), f32(6)], 21, {"num_groups": 3},
                 id="group-norm"),
])
def test_imports_as_its_body_and_matches_onnxruntime(node_model, matches_ort, op_type, inputs,
                                                     opset, attrs):
    model, feeds = node_model(op_type, inputs, opset, **attrs)
    # ONNX's shape inference through these bodies leaves the output's shape unknown.
    model.graph.output[0].CopyFrom(helper.make_tensor_value_info("y0", TensorProto.FLOAT, X))
    matches_ort(model, feeds)


def test_celu_is_its_body_of_elementwise_ops(node_model):
    model, _ = node_model("Celu", [X], 17, alpha=0.7)
    kinds = {type(op) for op in from_onnx(model).walk()}
    assert {ew.DivideOp, ew.EluOp, ew.MultiplyOp} <= kinds


def test_body_names_do_not_shadow_the_graphs(graph_model, matches_ort):
    """The inliner names Celu's internal `alpha` `alpha__1`, as the graph names a tensor
    that the graph reads after the Celu."""
    nodes = [
        helper.make_node("Relu", ["x"], ["alpha__1"]),
        helper.make_node("Celu", ["alpha__1"], ["c"], alpha=2.0),
        helper.make_node("Add", ["c", "alpha__1"], ["y"]),
    ]
    model = graph_model(nodes, [helper.make_tensor_value_info("x", TensorProto.FLOAT, X)],
                        ["y"], opset=17)
    matches_ort(model, {"x": f32(*X)})


def test_an_operator_with_no_body_is_refused_naming_the_node(node_model):
    model, _ = node_model("Sin", [X], 17, name="s")
    with pytest.raises(OnnxImportError, match=r"node 's' \(Sin\): unsupported operator"):
        from_onnx(model)


def test_a_body_newer_than_the_opset_is_not_used(node_model):
    """Softsign's only body is written for opset 18."""
    model, _ = node_model("Softsign", [X], 17, name="s")
    with pytest.raises(OnnxImportError, match=r"node 's' \(Softsign\): unsupported operator"):
        from_onnx(model)


def test_a_body_that_fails_names_the_node_and_the_body_node(node_model):
    model, _ = node_model("GroupNormalization", [X, f32(4), f32(4)], 21, name="gn",
                          num_groups=4)
    with pytest.raises(OnnxImportError,
                       match=r"node 'gn' \(GroupNormalization\): in its ONNX function body "
                             r"\(opset 21\): node #\d+ \(Reshape\): nn.reshape: cannot "
                             r"reshape"):
        from_onnx(model)


def test_a_body_with_an_unsupported_operator_names_both(node_model):
    model, _ = node_model("Softsign", [X], 18, name="s")
    with pytest.raises(OnnxImportError, match=r"node 's' \(Softsign\): in its ONNX function "
                                              r"body \(opset 18\): node #\d+ \(Abs\): "
                                              r"unsupported operator"):
        from_onnx(model)
