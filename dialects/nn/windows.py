"""Sliding-window arithmetic shared by convolution and pooling."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from relayout.dialects.nn.base import ShapeError

# Kernels compute window positions (``row * stride - pad + tap * dilation``) in C `int`.
# Every window property below 2^31, the window inside the padded input and the padded
# input within MAX_ELEMENTS (checked by the ops) keep each such value exact.
INT_LIMIT = 2**31


def check_int32(**props: Sequence[int]) -> None:
    """Each named window property must hold C `int`s (below 2^31)."""
    for name, values in props.items():
        if any(v >= INT_LIMIT for v in values):
            raise ShapeError(f"{name} {list(values)} must be below 2^31: kernels index in "
                             "32-bit int")


def padded_extent(
    size: int, out: int, kernel: int, stride: int, dilation: int, before: int, after: int
) -> int:
    """Extent of the padded input that ``out`` windows read: the padding asked for, or
    more where a ceil-mode window runs past its end."""
    return max(size + before + after, (out - 1) * stride + dilation * (kernel - 1) + 1)


def out_extent(
    size: int, kernel: int, stride: int, dilation: int, before: int, after: int,
    ceil_mode: bool = False,
) -> int:
    """Output extent of a window sweep; ceil mode drops a last window that starts in the
    trailing padding, as PyTorch and ONNX Runtime do."""
    span = dilation * (kernel - 1) + 1
    room = size + before + after - span
    if room < 0:
        raise ShapeError(f"window of extent {span} does not fit an input of {size} padded by "
                         f"{before}+{after}")
    out = room // stride + 1
    if ceil_mode:
        out = -(-room // stride) + 1
        if (out - 1) * stride >= size + before:
            out -= 1
    return out


def windows(
    x: np.ndarray,
    kernel: Sequence[int],
    strides: Sequence[int],
    dilation: Sequence[int],
    padding: Sequence[int],
    fill: float = 0.0,
    extra: Sequence[int] = (0, 0),
) -> np.ndarray:
    """Windows of an NCHW array as ``[N, C, OH, OW, KH, KW]`` (a strided view).

    ``padding`` is (top, left, bottom, right); ``extra`` pads bottom/right further for
    ceil-mode windows.
    """
    top, left, bottom, right = padding
    xp = np.pad(
        x,
        ((0, 0), (0, 0), (top, bottom + extra[0]), (left, right + extra[1])),
        constant_values=fill,
    )
    (kh, kw), (sh, sw), (dh, dw) = kernel, strides, dilation
    span = (dh * (kh - 1) + 1, dw * (kw - 1) + 1)
    view = np.lib.stride_tricks.sliding_window_view(xp, span, axis=(2, 3))
    return view[:, :, ::sh, ::sw, ::dh, ::dw]
