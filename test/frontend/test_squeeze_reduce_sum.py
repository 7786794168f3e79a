"""Squeeze and Unsqueeze of computed tensors import as nn.reshape, ReduceSum as nn.mean
times the count: axes as the attribute of old opsets and as the input of new ones, the
numbers ONNX Runtime gives; bad axes name the node. (The backend data's squeeze,
unsqueeze and ReduceSum cases cover the newest forms.)"""

import numpy as np
import pytest

from relayout.frontend.errors import OnnxImportError
from relayout.frontend.onnx_import import from_onnx
from relayout.test.frontend.conftest import assert_matches_ort

AXES = np.array([0, -1], np.int64)


@pytest.mark.parametrize("op_type, shape, opset, attrs, inputs", [
    ("Squeeze", (1, 3, 4, 1), 11, {"axes": [0, -1]}, []),
    ("Squeeze", (1, 3, 4, 1), 13, {}, [AXES]),
    ("Squeeze", (1, 3, 1, 4), 13, {}, []),
    ("Unsqueeze", (3, 4), 11, {"axes": [0, -1]}, []),
    ("Unsqueeze", (3, 4), 13, {}, [AXES]),
    ("ReduceSum", (2, 3, 4, 5), 11, {"axes": [1, -1], "keepdims": 0}, []),
    ("ReduceSum", (2, 3, 4, 5), 13, {}, [np.array([2, 3], np.int64)]),
    ("ReduceSum", (2, 3, 4, 5), 13, {"keepdims": 0}, []),
])
def test_matches_onnxruntime(node_model, op_type, shape, opset, attrs, inputs):
    model, feeds = node_model(op_type, [shape, *inputs], opset=opset, **attrs)
    assert_matches_ort(model, feeds)


@pytest.mark.parametrize("op_type, shape, axes, message", [
    ("Squeeze", (1, 3, 4, 1), [1], "are not all 1"),
    ("Squeeze", (1, 3, 4, 1), [0, -4], "repeat an axis"),
    ("Unsqueeze", (3, 4), [0, 0], "repeat an axis"),
])
def test_bad_axes_name_the_node(node_model, op_type, shape, axes, message):
    model, _ = node_model(op_type, [shape], opset=11, name="bad", axes=axes)
    model.graph.output[0].ClearField("type")  # shape inference may refuse it first
    with pytest.raises(OnnxImportError, match="node 'bad'") as e:
        from_onnx(model)
    assert message in str(e.value)
