"""Resize reference semantics beyond ONNX's expected outputs: an input pixel reaches only
the outputs whose taps read it, and the layout does not change the numbers."""

import numpy as np
import pytest
from xdsl.dialects.builtin import TensorType, f32
from xdsl.ir import Block

from relayout import layout as L
from relayout.dialects.nn import Resize2DOp


def _resize(x: np.ndarray, layout: str = "NCHW", **props) -> np.ndarray:
    block = Block(arg_types=[TensorType(f32, list(x.shape))])
    return Resize2DOp.make(block.args[0], layout=layout, **props).reference(x)


@pytest.mark.parametrize("method", ["nearest", "bilinear", "bicubic"])
def test_an_infinity_reaches_only_the_pixels_that_read_it(method):
    """Taps of weight zero read nothing, so no 0 * inf makes a NaN: resampling onto the
    same grid gives the image back (onnx.reference, which multiplies every neighbour by
    its coefficient, gives NaN around the infinity)."""
    x = np.zeros((1, 1, 4, 4), np.float32)
    x[0, 0, 1, 2] = np.inf
    y = _resize(x, size=(4, 4), method=method, coordinate_mode="asymmetric")
    np.testing.assert_array_equal(y, x)


@pytest.mark.parametrize("layout", ["NHWC", "NCHW4c"])
def test_layouts_give_the_nchw_numbers(layout):
    x = np.random.default_rng(0).standard_normal((2, 8, 5, 6)).astype(np.float32)
    props = {"size": (3, 9), "method": "bicubic", "antialias": True}
    y = _resize(L.transform(x, "NCHW", layout), layout, **props)
    np.testing.assert_array_equal(L.transform(y, layout, "NCHW"), _resize(x, **props))
