"""ONNX Slice and Split, one node at a time, against ONNX Runtime: every opset form of
their bounds and sizes, negative and clamped indices, negative steps, uneven parts."""

import re

import numpy as np
import pytest

from relayout.frontend.errors import OnnxImportError
from relayout.frontend.onnx_import import from_onnx

X = (2, 6, 5, 7)


def i64(*values):
    return np.array(values, np.int64)


BIG = 2**62


def case(op_type, inputs, opset=17, outputs=1, id=None, **attrs):
    return pytest.param(op_type, inputs, opset, outputs, attrs, id=id)


CASES = [
    case("Slice", [X, i64(1), i64(4), i64(1)], id="slice-channels"),
    case("Slice", [X, i64(0, 1), i64(2, 5), i64(1, 3), i64(1, 2)], id="slice-steps"),
    case("Slice", [X, i64(-3), i64(-1), i64(-1)], id="slice-negative-bounds"),
    case("Slice", [X, i64(-BIG, 2), i64(BIG, BIG)], id="slice-clamped-no-axes"),
    case("Slice", [X, i64(BIG), i64(-BIG), i64(2), i64(-1)], id="slice-reverse-clamped"),
    case("Slice", [X, i64(5, 4), i64(0, -100), i64(1, 3), i64(-2, -3)],
         id="slice-negative-steps"),
    case("Slice", [X, i64(0), i64(6), i64(1)], id="slice-everything"),
    case("Slice", [X, i64(2), i64(7), i64(-1), i64(2)], opset=10, id="slice-opset10"),
    case("Slice", [X], opset=9, starts=[1, -4], ends=[3, 100], axes=[1, 3],
         id="slice-opset9-attrs"),
    case("Slice", [X], opset=9, starts=[0, 1], ends=[1, 4], id="slice-opset9-no-axes"),
    case("Split", [X], opset=11, outputs=3, axis=1, split=[1, 3, 2], id="split-opset11-sizes"),
    case("Split", [X], opset=11, outputs=2, axis=1, id="split-opset11-even"),
    case("Split", [X, i64(2, 5)], opset=13, outputs=2, axis=-1, id="split-opset13-uneven"),
    case("Split", [X], opset=13, outputs=3, axis=1, id="split-opset13-even"),
    case("Split", [X], opset=18, outputs=3, axis=3, num_outputs=3, id="split-opset18-parts"),
    case("Split", [X, i64(1, 1)], opset=18, outputs=2, id="split-opset18-batch"),
]


@pytest.mark.parametrize("op_type, inputs, opset, outputs, attrs", CASES)
def test_matches_onnxruntime(node_model, matches_ort, op_type, inputs, opset, outputs, attrs):
    model, feeds = node_model(op_type, inputs, opset, outputs=outputs, **attrs)
    matches_ort(model, feeds)


def test_slice_of_everything_is_no_op(node_model):
    model, _ = node_model("Slice", [X, i64(0), i64(BIG), i64(2)])
    assert "nn.slice" not in [op.name for op in from_onnx(model).walk()]


@pytest.mark.parametrize("op_type, inputs, opset, outputs, attrs, message", [
    ("Slice", [X, i64(3), i64(3), i64(1)], 17, 1, {}, "selects no element along axis 1"),
    ("Slice", [X, i64(0), i64(3), i64(1), i64(0)], 17, 1, {}, "steps [0] hold a 0"),
    ("Slice", [X, i64(0, 0), i64(1, 1), i64(1, -3)], 17, 1, {}, "repeat axis 1"),
    ("Slice", [X, i64(0), i64(3, 4)], 17, 1, {}, "differ in length"),
    ("Split", [X], 11, 4, {"axis": 1}, "4 outputs do not split the extent 6 evenly"),
    ("Split", [X, i64(2, 2)], 13, 2, {"axis": 1}, "must be 2 positive extents that add up to 6"),
])
def test_bad_bounds_name_the_node(node_model, op_type, inputs, opset, outputs, attrs, message):
    model, _ = node_model(op_type, inputs, opset, outputs=outputs, **attrs)
    with pytest.raises(OnnxImportError, match=rf"node 'n0' \({op_type}\): .*{re.escape(message)}"):
        from_onnx(model)
