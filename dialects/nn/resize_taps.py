"""ONNX Resize along one axis as a tap table: for each output index, the input indices
it reads and their weights. Resize is separable, so `nn.resize2d` is two such tables
(H and W); its numpy reference and its CUDA kernel both read them from here.

The coordinate transforms, kernels and neighbour windows follow onnx.reference's
Resize (test/dialects/nn/test_resize_taps.py checks every mode against it), with one
exception: pytorch_half_pixel maps a single output to 0, as the ONNX spec and ONNX
Runtime do, where onnx.reference maps it to -0.5."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

METHODS = ("nearest", "bilinear", "bicubic")
COORDINATE_MODES = (
    "half_pixel", "half_pixel_symmetric", "pytorch_half_pixel", "align_corners",
    "asymmetric", "tf_crop_and_resize",
)
NEAREST_MODES = ("round_prefer_floor", "round_prefer_ceil", "floor", "ceil")

_RADIUS = {"bilinear": 1, "bicubic": 2}
"""Half the support of each interpolation kernel, in input pixels."""


@dataclass(frozen=True)
class Sampling:
    """What decides the weights besides the extents: the op's properties."""

    method: str
    coordinate_mode: str
    nearest_mode: str = "round_prefer_floor"
    cubic_coeff_a: float = -0.75
    exclude_outside: bool = False
    antialias: bool = False


@dataclass(frozen=True)
class Taps:
    """Output index ``i`` is ``sum(weight[i, t] * x[index[i, t]])`` over its taps, left-
    packed: a zero weight ends the row (every kept weight is nonzero in float32, the
    kernel's precision, so no tap reads an input it does not need). Where ``outside[i]``
    (tf_crop_and_resize's coordinate left the image) it is the extrapolation value."""

    index: np.ndarray
    weight: np.ndarray
    outside: np.ndarray

    @property
    def width(self) -> int:
        return int(self.index.shape[1])


def coordinates(
    size: int, out: int, scale: float, mode: str, roi: tuple[float, float]
) -> np.ndarray:
    """Input coordinate of each output index. ONNX takes the resized length as
    ``scale * size``, not the whole ``out``, where scales do not give whole extents (so
    align_corners there differs from ONNX Runtime, which takes ``out``)."""
    y = np.arange(out, dtype=np.float64)
    length = scale * size
    if mode == "align_corners":
        return np.zeros(out) if length == 1 else y * (size - 1) / (length - 1)
    if mode == "asymmetric":
        return y / scale
    if mode == "tf_crop_and_resize":
        start, end = roi
        if length == 1:
            return np.full(out, (end - start) * (size - 1) / 2 + start * (size - 1))
        return y * (end - start) * (size - 1) / (length - 1) + start * (size - 1)
    if mode == "pytorch_half_pixel" and length == 1:
        return np.zeros(out)
    if mode == "half_pixel_symmetric":
        # Centres the crop that flooring the extent makes.
        return size / 2 * (1 - out / length) + (y + 0.5) / scale - 0.5
    return (y + 0.5) / scale - 0.5


def cubic(t: np.ndarray, a: float) -> np.ndarray:
    """Keys' cubic convolution kernel of parameter ``a`` at distances ``t`` (zero from 2
    on); `nn.grid_sample` weighs its taps with it too."""
    t = np.abs(t)
    near = ((a + 2) * t - (a + 3)) * t * t + 1
    far = ((a * t - 5 * a) * t + 8 * a) * t - 4 * a
    return np.where(t <= 1, near, np.where(t < 2, far, 0.0))


def _left(x: np.ndarray) -> np.ndarray:
    """The pixel left of each coordinate; an integer coordinate counts as the right end
    of the pixel before it, as in ONNX."""
    floor = np.floor(x)
    return np.where(x == floor, floor - 1, floor)


def _weights(t: np.ndarray, ratio: np.ndarray, s: Sampling) -> np.ndarray:
    """Weight of the tap ``t`` pixels right of each coordinate's left pixel."""
    if s.method == "nearest":
        up = {
            "round_prefer_floor": ratio > 0.5,
            "round_prefer_ceil": ratio >= 0.5,
            "floor": ratio == 1,
            "ceil": np.ones_like(ratio, dtype=bool),
        }[s.nearest_mode]
        return np.stack([~up, up], axis=1).astype(np.float64)
    if s.method == "bicubic":
        return cubic(t, s.cubic_coeff_a)
    return np.maximum(1 - np.abs(t), 0)


def _window(x: np.ndarray, size: int, scale: float, s: Sampling) -> tuple[np.ndarray, np.ndarray]:
    """Indices and weights of the taps around each coordinate."""
    radius = _RADIUS.get(s.method, 1)
    # Antialiasing widens the kernel by 1/scale when downsampling.
    stretch = min(scale, 1.0) if s.antialias else 1.0
    half = -int(np.floor(-radius / stretch))
    offsets = np.arange(1 - half, half + 1)
    ratio = x - _left(x)
    # ONNX places the window at x + half (in its edge-padded copy), which can round a
    # coordinate a hair above an integer onto it; mirrored so ties fall as in its outputs.
    index = (_left(x + half) - half).astype(np.int64)[:, None] + offsets
    weight = _weights((offsets - ratio[:, None]) * stretch, ratio, s)
    if s.exclude_outside:
        weight = np.where((index < 0) | (index >= size), 0.0, weight)
    if s.antialias or s.exclude_outside:
        total = weight.sum(axis=1, keepdims=True)
        weight = weight / np.where(total == 0, 1.0, total)
    return index, weight


def taps(
    size: int, out: int, scale: float, s: Sampling, roi: tuple[float, float] = (0.0, 1.0)
) -> Taps:
    """The tap table of one axis of ``size`` input pixels resized to ``out``."""
    x = coordinates(size, out, scale, s.coordinate_mode, roi)
    outside = np.zeros(out, bool)
    if s.coordinate_mode == "tf_crop_and_resize":
        outside = (x < 0) | (x > size - 1)
        # Their values are never read; clipping keeps far-off coordinates in int range.
        x = np.clip(x, 0, size - 1)
    index, weight = _window(x, size, scale, s)
    return _packed(np.clip(index, 0, size - 1), weight, outside, size)


def _packed(index: np.ndarray, weight: np.ndarray, outside: np.ndarray, size: int) -> Taps:
    """Taps that read the same (edge-clamped) pixel merged, float32 zeros dropped, each
    row's taps moved to its front."""
    out = len(index)
    row = np.repeat(np.arange(out), index.shape[1])
    keys, merged = np.unique(row * size + index.reshape(-1), return_inverse=True)
    total = np.bincount(merged, weight.reshape(-1))
    keep = total.astype(np.float32) != 0
    keys, total = keys[keep], total[keep]
    rows = keys // size
    counts = np.bincount(rows, minlength=out)
    column = np.arange(len(keys)) - np.repeat(np.cumsum(counts) - counts, counts)
    packed_index = np.zeros((out, max(1, int(counts.max(initial=0)))), np.int64)
    packed_weight = np.zeros(packed_index.shape)
    packed_index[rows, column] = keys % size
    packed_weight[rows, column] = total
    return Taps(packed_index, packed_weight, outside)
