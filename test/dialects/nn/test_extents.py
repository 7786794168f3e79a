"""Extreme extents: refused by the shape rules before anything is allocated, and the
references never allocate much more than their operands and result."""

import tracemalloc

import numpy as np
import pytest
from xdsl.dialects.builtin import TensorType, f32
from xdsl.ir import Block

from relayout.dialects.nn import Conv2DOp, MaxPool2DOp, ReluOp, Resize2DOp, ShapeError
from relayout.dialects.nn import conv2d as conv2d_module
from relayout.dialects.nn.base import tensor


def _args(*shapes):
    return Block(arg_types=[TensorType(f32, list(s)) for s in shapes]).args


def _peak_bytes(run) -> tuple[np.ndarray, int]:
    tracemalloc.start()
    try:
        result = run()
        return result, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize(
    ("props", "message"),
    [
        ({"pool_size": (3, 3), "padding": (2**16,) * 4}, "must be below pool_size [3, 3]"),
        ({"pool_size": (2**40, 2**40)}, "pool_size [1099511627776, 1099511627776] must be"),
        ({"pool_size": (3, 3), "strides": (2**40, 1)}, "strides [1099511627776, 1] must be below"),
        ({"pool_size": (2**15, 2**15), "strides": (2**15, 2**15), "padding": (2**15 - 1,) * 4},
         "padded input of shape [1, 3, 65542, 65542]"),
    ],
)
def test_pool_extremes_are_shape_errors(props, message):
    (x,) = _args((1, 3, 8, 8))
    with pytest.raises(ShapeError) as e:
        MaxPool2DOp.make(x, **props)
    assert message in str(e.value)
    assert not x.uses, "the probe op of a refused make must not stay a user"


def test_pool_pad_below_window_is_accepted():
    (x,) = _args((1, 3, 8, 8))
    op = MaxPool2DOp.make(x, pool_size=(3, 3), padding=(2, 2, 2, 2))
    assert op.result.type == tensor((1, 3, 10, 10))


def test_empty_tensors_are_refused():
    (x,) = _args((1, 3, 0, 0))
    with pytest.raises(ShapeError, match=r"operand 0 of shape \[1, 3, 0, 0\] is empty"):
        Resize2DOp.make(x, size=(4, 4))
    with pytest.raises(ShapeError, match="is empty or dynamic"):
        ReluOp.make(x)
    with pytest.raises(ShapeError, match="is empty or dynamic"):
        tensor((2, 0))


def test_conv_reference_tiles_a_large_kernel(monkeypatch):
    """A kernel as large as the input: a single einsum would copy kh * kw windows per
    output pixel (here 140 MiB); tiles keep the copies near the tile budget."""
    rng = np.random.default_rng(0)
    x_shape, w_shape = (1, 2, 128, 128), (2, 2, 64, 64)
    x, w = rng.standard_normal(x_shape, np.float32), rng.standard_normal(w_shape, np.float32)
    op = Conv2DOp.make(*_args(x_shape, w_shape))
    y, peak = _peak_bytes(lambda: op.reference(x, w))
    assert peak < 3 * 4 * conv2d_module._IM2COL_ELEMENTS
    # A tile of a few pixels gives the same values as one tile of all.
    monkeypatch.setattr(conv2d_module, "_IM2COL_ELEMENTS", 30 * 2 * 64 * 64)
    np.testing.assert_allclose(op.reference(x, w), y, rtol=1e-5, atol=1e-3)


@pytest.mark.parametrize("method", ["nearest", "bilinear"])
def test_resize_reference_gathers_output_sized_arrays(method):
    """Tall output from a wide input: gathering whole rows first would make a
    [1, 1, 4096, 4096] array (64 MiB) for a 32 KiB input and a 16 KiB output."""
    x = np.random.default_rng(0).standard_normal((1, 1, 2, 4096), np.float32)
    op = Resize2DOp.make(*_args(x.shape), size=(4096, 1), method=method)
    y, peak = _peak_bytes(lambda: op.reference(x))
    assert y.shape == (1, 1, 4096, 1)
    assert peak < 2**20

