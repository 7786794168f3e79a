"""grid_sample's reference is onnx.reference's GridSample for every method, padding
mode and align_corners (places far outside the image and halfway between pixels
included), rounds nearest's ties to even, defines what onnx.reference fails on, and gives
the NCHW numbers in any layout."""

import numpy as np
import pytest
from onnx import TensorProto, helper
from onnx.reference import ReferenceEvaluator
from xdsl.dialects.builtin import TensorType, f32
from xdsl.ir import Block

from relayout import layout as L
from relayout.dialects.nn import GridSampleOp
from relayout.dialects.nn.grid_sample import PADDING_MODES
from relayout.dialects.nn.resize_taps import METHODS

ONNX_MODES = {"nearest": "nearest", "bilinear": "linear", "bicubic": "cubic"}
KINDS = [(m, p, a) for m in METHODS for p in PADDING_MODES for a in (False, True)]


def _sample(x: np.ndarray, grid: np.ndarray, layout: str = "NCHW", **props) -> np.ndarray:
    block = Block(arg_types=[TensorType(f32, list(x.shape)), TensorType(f32, list(grid.shape))])
    return GridSampleOp.make(*block.args, layout=layout, **props).reference(x, grid)


def _onnx(x: np.ndarray, grid: np.ndarray, method: str, padding: str, align: bool):
    node = helper.make_node("GridSample", ["x", "grid"], ["y"], mode=ONNX_MODES[method],
                            padding_mode=padding, align_corners=int(align))
    graph = helper.make_graph(
        [node], "g", [helper.make_tensor_value_info(n, TensorProto.FLOAT, None)
                      for n in ("x", "grid")],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 22)])
    outputs = ReferenceEvaluator(model).run(None, {"x": x, "grid": grid})
    assert isinstance(outputs, list)  # a dict only for intermediate=True
    return outputs[0]


@pytest.mark.parametrize(("method", "padding", "align"), KINDS)
@pytest.mark.parametrize("shape", [(2, 3, 4, 5), (1, 2, 2, 3)])
def test_onnx_reference(method, padding, align, shape):
    rng = np.random.default_rng(0)
    x = rng.standard_normal(shape).astype(np.float32)
    grid = rng.uniform(-3, 3, (shape[0], 3, 4, 2)).astype(np.float32)
    # Places halfway between pixels along W, where nearest rounds half to even.
    grid[:, 0, :, 0] = np.arange(4) / shape[3] * 2 - 1
    want = _onnx(x, grid, method, padding, align)
    got = _sample(x, grid, method=method, padding_mode=padding, align_corners=align)
    np.testing.assert_allclose(got, want, rtol=1e-6, atol=1e-6)


def test_nearest_rounds_half_to_even():
    """Places 0.5, 1.5, 2.5 and 3.5 read pixels 0, 2, 2 and 4 (outside: zero)."""
    x = np.arange(4, dtype=np.float32).reshape(1, 1, 1, 4) + 1
    grid = np.array([[[[-0.5, 0], [0, 0], [0.5, 0], [1, 0]]]], np.float32)
    np.testing.assert_array_equal(_sample(x, grid, method="nearest"), [[[[1, 3, 3, 0]]]])


@pytest.mark.parametrize("method", METHODS)
def test_one_pixel_reflects_onto_itself(method):
    """With align_corners a one-pixel extent has no length to reflect in: every tap
    reads the pixel, as in PyTorch (onnx.reference divides by zero)."""
    x = np.array([[[[5.0]], [[-2.0]]]], np.float32)
    grid = np.random.default_rng(1).uniform(-1.2, 1.2, (1, 3, 2, 2)).astype(np.float32)
    y = _sample(x, grid, method=method, padding_mode="reflection", align_corners=True)
    np.testing.assert_allclose(y, np.broadcast_to(x, y.shape), rtol=1e-6)


@pytest.mark.parametrize("method", METHODS)
def test_nan_and_infinite_places(method):
    """NaN gives NaN; an infinity reads zero with zeros and the edge pixel with border
    (as in PyTorch), and has no reflection (NaN); onnx.reference raises on both."""
    x = np.arange(6, dtype=np.float32).reshape(1, 1, 2, 3) + 1
    grid = np.array([[[[np.nan, 0], [np.inf, 1], [-np.inf, -1]]]], np.float32)
    props = {"method": method, "align_corners": True}
    assert np.isnan(_sample(x, grid, **props)[0, 0, 0, 0])
    np.testing.assert_array_equal(_sample(x, grid, padding_mode="zeros", **props)[0, 0, 0, 1:],
                                  [0, 0])
    np.testing.assert_array_equal(_sample(x, grid, padding_mode="border", **props)[0, 0, 0, 1:],
                                  [6, 1])
    assert np.isnan(_sample(x, grid, padding_mode="reflection", **props)[0, 0, 0]).all()


@pytest.mark.parametrize("layout", ["NHWC", "NCHW4c"])
def test_layouts_give_the_nchw_numbers(layout):
    rng = np.random.default_rng(0)
    x = rng.standard_normal((2, 8, 5, 6)).astype(np.float32)
    grid = rng.uniform(-1.2, 1.2, (2, 3, 7, 2)).astype(np.float32)
    props = {"method": "bicubic", "padding_mode": "reflection"}
    y = _sample(L.transform(x, "NCHW", layout), grid, layout, **props)
    np.testing.assert_array_equal(L.transform(y, layout, "NCHW"), _sample(x, grid, **props))
