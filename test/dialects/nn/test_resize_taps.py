"""The tap tables of one axis are onnx.reference's Resize of that axis: each table,
written out as a matrix, is what the reference makes of an identity matrix, for every
method, coordinate mode, nearest mode, cubic coefficient, exclude_outside, antialias,
scales and sizes, and tf_crop_and_resize's crop."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from onnx import TensorProto, helper
from onnx.reference import ReferenceEvaluator

from relayout.dialects.nn.resize_taps import (
    COORDINATE_MODES,
    METHODS,
    NEAREST_MODES,
    Sampling,
    Taps,
    taps,
)

ONNX_MODES = {"nearest": "nearest", "bilinear": "linear", "bicubic": "cubic"}


def _onnx_matrix(size: int, out: int, scale: float | None, s: Sampling,
                 roi: tuple[float, float]) -> np.ndarray:
    """The reference's Resize of a [size, size] identity along axis 0, by ``scale`` or,
    where it is None, to ``out``: its weight matrix, zero where the crop is left."""
    inits = [helper.make_tensor("roi", TensorProto.DOUBLE, [2], list(roi))]
    if scale is None:
        inits.append(helper.make_tensor("sizes", TensorProto.INT64, [1], [out]))
        inputs = ["x", "roi", "", "sizes"]
    else:
        inits.append(helper.make_tensor("scales", TensorProto.FLOAT, [1], [scale]))
        inputs = ["x", "roi", "scales"]
    node = helper.make_node(
        "Resize", inputs, ["y"], axes=[0], mode=ONNX_MODES[s.method],
        coordinate_transformation_mode=s.coordinate_mode, nearest_mode=s.nearest_mode,
        cubic_coeff_a=s.cubic_coeff_a, exclude_outside=int(s.exclude_outside),
        antialias=int(s.antialias))
    graph = helper.make_graph(
        [node], "g", [helper.make_tensor_value_info("x", TensorProto.DOUBLE, None)],
        [helper.make_tensor_value_info("y", TensorProto.DOUBLE, None)], inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 19)])
    outputs = ReferenceEvaluator(model).run(None, {"x": np.eye(size)})
    assert isinstance(outputs, list)  # a dict only for intermediate=True
    return outputs[0]


def _matrix(t: Taps, size: int) -> np.ndarray:
    m = np.zeros((len(t.index), size))
    for row, (index, weight) in enumerate(zip(t.index, t.weight)):
        np.add.at(m[row], index, weight)
    m[t.outside] = 0
    return m


@st.composite
def axes(draw):
    method = draw(st.sampled_from(METHODS))
    smooth = method != "nearest"
    s = Sampling(
        method, draw(st.sampled_from(COORDINATE_MODES)), draw(st.sampled_from(NEAREST_MODES)),
        float(np.float32(draw(st.sampled_from([-0.75, -0.5, -0.6])))),
        smooth and draw(st.booleans()), smooth and draw(st.booleans()))
    size = draw(st.integers(1, 8))
    if draw(st.booleans()):
        out, scale = draw(st.integers(1, 14)), None
    else:
        scale = float(np.float32(draw(st.sampled_from(
            [0.3, 0.5, 0.6, 0.75, 0.8, 1.0, 1.3, 1.5, 2.0, 2.3, 2.94, 3.0]))))
        out = int(np.floor(scale * size))
    roi = (0.0, 1.0)
    if s.coordinate_mode == "tf_crop_and_resize":
        roi = tuple(sorted(draw(st.floats(-0.3, 1.3)) for _ in range(2)))
    return size, out, scale, s, roi


@settings(max_examples=400, deadline=None, derandomize=True, database=None)
@given(axes())
def test_taps_are_the_onnx_reference(axis):
    size, out, scale, s, roi = axis
    length = (out if scale is None else scale * size)
    # The one place relayout follows the spec and ONNX Runtime: see resize_taps.py.
    if out < 1 or s.coordinate_mode == "pytorch_half_pixel" and length == 1:
        return
    ours = taps(size, out, scale if scale is not None else out / size, s, roi)
    # The reference computes cubic weights in float32 (its cubic_coeff_a is one).
    np.testing.assert_allclose(_matrix(ours, size), _onnx_matrix(size, out, scale, s, roi),
                               rtol=0, atol=1e-5)


@pytest.mark.parametrize("method", ["bilinear", "bicubic"])
def test_pytorch_half_pixel_maps_one_output_to_zero(method):
    """As the ONNX spec and ONNX Runtime have it; onnx.reference takes -0.5."""
    t = taps(6, 1, 1 / 6, Sampling(method, "pytorch_half_pixel"))
    assert t.index.tolist() == [[0]] and t.weight.tolist() == [[1.0]]


def test_taps_are_merged_and_left_packed():
    """Taps clamped onto the same edge pixel are one tap; zero weights are dropped, so
    rows have different counts, padded at the end with zero weights."""
    t = taps(4, 8, 2.0, Sampling("bicubic", "half_pixel"))
    assert t.width == 4
    assert t.index[0, :2].tolist() == [0, 1] and t.weight[0, 2:].tolist() == [0, 0]
    assert t.index[3].tolist() == [0, 1, 2, 3]
    assert all((w[:np.count_nonzero(w)] != 0).all() for w in t.weight)
