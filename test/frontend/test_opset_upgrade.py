"""Models older than opset 7 are upgraded by onnx.version_converter, and the import says
so; a model the converter cannot upgrade is refused with the converter's reason."""

from __future__ import annotations

import numpy as np
import pytest
from onnx import TensorProto, helper

from relayout.frontend.errors import OnnxImportError
from relayout.frontend.onnx_import import MAX_OPSET, import_onnx
from relayout.interpreters.nn import interpret

X = np.random.default_rng(0).standard_normal((1, 3, 4, 4)).astype(np.float32)


def old_model(node, opset: int):
    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, X.shape)
    y = helper.make_tensor_value_info("y", TensorProto.FLOAT, X.shape)
    graph = helper.make_graph([node], "g", [x], [y])
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)], ir_version=3)


@pytest.mark.parametrize("opset", [1, 6])
def test_old_relu_is_upgraded_and_noted(opset):
    model = old_model(helper.make_node("Relu", ["x"], ["y"]), opset)
    module, notes = import_onnx(model)
    assert notes == [f"opset {opset} upgraded to 13 by onnx.version_converter"]
    np.testing.assert_array_equal(interpret(module, [X])[0], np.maximum(X, 0))


def test_opset_6_softmax_keeps_its_flattening_meaning():
    # Before opset 13 Softmax normalises over all axes from `axis` on; the upgrade must
    # keep that, not read axis=1 as the channel axis alone.
    model = old_model(helper.make_node("Softmax", ["x"], ["y"], axis=1), 6)
    module, _ = import_onnx(model)
    flat = np.exp(X.reshape(1, -1) - X.max())
    expected = (flat / flat.sum()).reshape(X.shape)
    np.testing.assert_allclose(interpret(module, [X])[0], expected, rtol=1e-5, atol=1e-8)


def test_a_model_the_converter_cannot_upgrade_is_refused_with_its_reason():
    # Opset 6's Upsample takes scales as an attribute the 6->7 adapter does not accept.
    node = helper.make_node("Upsample", ["x"], ["y"], scales=[1.0, 1.0, 2.0, 2.0])
    with pytest.raises(OnnxImportError) as info:
        import_onnx(old_model(node, 6))
    message = str(info.value)
    assert message.startswith("opset 6 is older than 7 and onnx.version_converter cannot")
    assert f"use opset 7 to {MAX_OPSET}" in message
    # One reason, without the converter's C++ source path.
    assert message.count("Assertion") == 1 and "/project/" not in message


def test_upgrade_raises_the_ir_version_for_the_initializers_it_adds():
    # From opset 11 Pad reads its pads from an initializer, which IR 3 (that of most
    # opset-6 files) allows only as a graph input; the upgrade must not make it invalid.
    node = helper.make_node("Pad", ["x"], ["y"], pads=[0, 0, 1, 1, 0, 0, 1, 1], mode="edge")
    model = old_model(node, 6)
    model.graph.output[0].type.tensor_type.shape.dim[2].dim_value = 6
    model.graph.output[0].type.tensor_type.shape.dim[3].dim_value = 6
    module, _ = import_onnx(model)
    expected = np.pad(X, [(0, 0), (0, 0), (1, 1), (1, 1)], mode="edge")
    np.testing.assert_array_equal(interpret(module, [X])[0], expected)
