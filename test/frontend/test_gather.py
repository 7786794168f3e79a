"""ONNX Gather of constant indices from a computed tensor, against ONNX Runtime: indices
that step evenly become one nn.slice (and a reshape to the indices' shape), others a
concat of one slice per run that steps evenly; indices out of range, and too many runs,
are refused naming the node. Gathers of constants (shape
arithmetic) are evaluated at import: test_constant_eval.py."""

import re

import numpy as np
import pytest

from relayout.frontend.errors import OnnxImportError
from relayout.frontend.onnx_import import from_onnx

X = (2, 6, 5, 7)


def i64(*values):
    return np.array(values, np.int64)


CASES = [
    pytest.param([X, np.int64(4)], {"axis": 1}, id="scalar-drops-axis"),
    pytest.param([X, np.int64(-1)], {"axis": -1}, id="scalar-negative"),
    pytest.param([(6,), np.int64(2)], {}, id="scalar-of-1d-is-0d"),
    pytest.param([X, i64(3)], {"axis": 2}, id="one-index-keeps-axis"),
    pytest.param([X, i64(1, 3, 5)], {"axis": 1}, id="step-2"),
    pytest.param([X, i64(5, 3, 1)], {"axis": 1}, id="reverse-step-2"),
    pytest.param([X, i64(-1, -2, -3, -4, -5, -6, -7)], {"axis": 3}, id="reverse-negative"),
    pytest.param([X, i64(0, 1)], {}, id="default-axis-0"),
    pytest.param([X, np.array([[0, 1], [2, 3]], np.int32)], {"axis": 3}, id="2d-int32"),
    # ConvNeXt's dynamo export of a permute: a 1-D tensor gathered by [1, C, 1, 1] indices.
    pytest.param([(6,), np.arange(6).reshape(1, 6, 1, 1)], {}, id="identity-reshaped"),
    pytest.param([X, i64(0, 1, 3)], {"axis": 1}, id="two-runs"),
    pytest.param([X, i64(0, 2, 1)], {"axis": 1}, id="step-then-back"),
    pytest.param([X, i64(1, 1, 4, -1)], {"axis": 1}, id="repeats"),
    pytest.param([X, np.array([[4, 0], [0, 4]], np.int64)], {"axis": 2}, id="2d-runs"),
]


@pytest.mark.parametrize("inputs, attrs", CASES)
def test_matches_onnxruntime(node_model, matches_ort, inputs, attrs):
    model, feeds = node_model("Gather", inputs, **attrs)
    matches_ort(model, feeds)


def test_every_index_in_order_is_a_reshape_alone(node_model):
    model, _ = node_model("Gather", [(6,), np.arange(6).reshape(1, 6, 1, 1)])
    assert [op.name for op in from_onnx(model).walk()][2:-1] == ["nn.reshape"]


@pytest.mark.parametrize("indices, message", [
    (i64(0, 6), "index 6 is out of range for axis 1 of extent 6"),
    (i64(-7), "index -7 is out of range for axis 1 of extent 6"),
    (np.zeros(65, np.int64), ("indices along axis 1 make 65 runs that step evenly; at most "
                              "64 are supported")),
    (np.zeros(0, np.int64), "indices are empty"),
])
def test_refused_naming_the_node(node_model, indices, message):
    model, _ = node_model("Gather", [X, indices], axis=1)
    with pytest.raises(OnnxImportError, match=re.escape(f"node 'n0' (Gather): {message}")):
        from_onnx(model)
