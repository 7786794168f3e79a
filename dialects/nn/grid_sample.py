"""`nn.grid_sample`: ONNX GridSample of 4-D images (PyTorch's `grid_sample`). Each output
pixel samples the input where its grid entry points, by nearest, bilinear or bicubic
interpolation (resize2d's methods), reading outside the image as zeros, as the border
pixels or as the image reflected at its edges.

The input ``x`` is in any layout with N, C, H and W that its `layout` names (a
`LayoutOp`: it follows its producer); the grid is ``[N, Ho, Wo, 2]`` whatever that
layout: entry ``(n, i, j)`` holds the ``(x, y)`` place of output pixel ``(i, j)``, -1
and 1 being the image's outer edges (with align_corners, its corner pixels' centres).
The output has ``x``'s layout, with Ho and Wo for H and W.

The numbers are onnx.reference's: places in float32, computed op by op as it does;
nearest rounds half to even; cubic is Keys' kernel with a = -0.75; a tap outside the
image reads 0 (zeros), the nearest pixel (border) or its mirror image (reflection).
Where onnx.reference fails, this defines: reflection of a one-pixel extent with
align_corners reads that pixel (as PyTorch), and a place that is NaN, or infinite under
reflection, gives NaN (an infinite place reads 0 with zeros and the edge with border,
as PyTorch). Bicubic with border clamps the place, then the taps, as onnx.reference does;
ONNX Runtime and PyTorch clamp only the taps, and differ from it near the edges."""

from __future__ import annotations

from typing import ClassVar

import numpy as np
from xdsl.dialects.builtin import BoolAttr, IntegerAttr, StringAttr, i1
from xdsl.irdl import operand_def, prop_def, result_def, traits_def
from xdsl.traits import Pure

from relayout import layout as L
from relayout.dialects.nn.base import F32Tensor, Shape, ShapeError, shape_of
from relayout.dialects.nn.layout_attr import LayoutAttr, LayoutConstraint
from relayout.dialects.nn.pool import LayoutOp
from relayout.dialects.nn.registry import nn_op
from relayout.dialects.nn.resize_taps import METHODS, cubic

PADDING_MODES = ("zeros", "border", "reflection")

MAX_EXTENT = 2**20
"""Largest H and W: pixel places and the taps around them stay whole numbers in float32,
so folding a tap back into the image lands on a pixel."""

REACH = 3.0
"""How far beyond the image places are clamped, in pixels: from there on every tap of
every method lies outside, so the clamp changes no number and keeps indices small."""

CUBIC_A = -0.75
"""ONNX's and PyTorch's cubic coefficient."""

OFFSETS = {"nearest": (0,), "bilinear": (0, 1), "bicubic": (-1, 0, 1, 2)}
"""The taps of each method along one axis, from the pixel at or left of the place."""

_FALSE = IntegerAttr(0, i1)


@nn_op
class GridSampleOp(LayoutOp):
    name = "nn.grid_sample"
    TVM_NAME: ClassVar = "image_grid_sample"
    x = operand_def(F32Tensor)
    grid = operand_def(F32Tensor)
    output = result_def(F32Tensor)
    layout = prop_def(LayoutConstraint(), default_value=LayoutAttr("NCHW"))
    """The layout of ``x`` and of the output; the grid is always [N, Ho, Wo, 2]."""
    method = prop_def(StringAttr, default_value=StringAttr("bilinear"))
    padding_mode = prop_def(StringAttr, default_value=StringAttr("zeros"))
    align_corners = prop_def(BoolAttr, default_value=_FALSE)
    traits = traits_def(Pure())
    assembly_format = "$x `,` $grid attr-dict `:` functional-type(operands, results)"

    @property
    def corners(self) -> bool:
        return bool(self.align_corners.value.data)

    def infer_shape(self) -> Shape:
        for prop, allowed in ((self.method, METHODS), (self.padding_mode, PADDING_MODES)):
            if prop.data not in allowed:
                raise ShapeError(f"'{prop.data}' is not one of {', '.join(allowed)}")
        e = self.extents()
        grid = shape_of(self.grid)
        if len(grid) != 4 or grid[3] != 2:
            raise ShapeError(f"grid must be [N, Ho, Wo, 2], got shape {list(grid)}")
        if grid[0] != e["N"]:
            raise ShapeError(f"grid has N = {grid[0]}, the input N = {e['N']}")
        if max(e["H"], e["W"]) > MAX_EXTENT:
            raise ShapeError(f"input extents H = {e['H']}, W = {e['W']} exceed {MAX_EXTENT}, "
                             "beyond which float32 places miss pixels")
        return self.data_layout.shape_for({**e, "H": grid[1], "W": grid[2]})

    def bounds(self, extent: int) -> tuple[float, float]:
        """The places that lie inside an axis of ``extent`` pixels: from the first
        pixel's outer edge to the last's, or from centre to centre with align_corners."""
        return (0.0, extent - 1.0) if self.corners else (-0.5, extent - 0.5)

    def places(self, g: np.ndarray, extent: int) -> tuple[np.ndarray, np.ndarray]:
        """The float32 pixel places of grid values ``g`` along an axis of ``extent``
        pixels, moved inside by the padding mode and clamped to `REACH`, and where the
        place is lost (NaN)."""
        one, two, d = np.float32(1), np.float32(2), np.float32(extent)
        x = (g + one) / two * (d - one) if self.corners else ((g + one) * d - one) / two
        if self.method.data == "nearest":
            x = np.rint(x)  # half to even, as onnx.reference and PyTorch
        lo, hi = self.bounds(extent)
        if self.padding_mode.data == "border":
            x = np.where(x < lo, np.float32(0), np.where(x > hi, d - one, x))
        elif self.padding_mode.data == "reflection":
            x = reflect(x, lo, hi)
        return np.fmin(np.fmax(x, np.float32(-REACH)), d - one + np.float32(REACH)), np.isnan(x)

    def taps(self, x: np.ndarray, extent: int) -> tuple[np.ndarray, np.ndarray]:
        """Pixel indices ([..., taps]) and float32 weights of the taps around places
        ``x``; index -1 marks a tap that reads zero."""
        offsets = np.array(OFFSETS[self.method.data])
        left = np.floor(x)
        index = left.astype(np.int64)[..., None] + offsets
        t = (x - left)[..., None]
        if self.method.data == "nearest":
            weight = np.ones_like(t)
        elif self.method.data == "bilinear":
            weight = np.concatenate([1 - t, t], axis=-1)
        else:
            weight = cubic(offsets.astype(np.float32) - t, CUBIC_A)
        return self._fold(index, extent), weight.astype(np.float32)

    def _fold(self, index: np.ndarray, extent: int) -> np.ndarray:
        """Tap indices as the padding mode reads them."""
        if self.padding_mode.data == "border":
            return np.clip(index, 0, extent - 1)
        if self.padding_mode.data == "reflection":
            return reflect(index.astype(np.float32), *self.bounds(extent)).astype(np.int64)
        return np.where((index >= 0) & (index < extent), index, -1)

    def reference(self, data: np.ndarray, grid: np.ndarray) -> np.ndarray:
        x = L.transform(data, self.data_layout, "NCHW")
        n, _, h, w = x.shape
        with np.errstate(invalid="ignore", over="ignore"):
            px, lost_x = self.places(grid[..., 0], w)
            py, lost_y = self.places(grid[..., 1], h)
        (ix, wx), (iy, wy) = self.taps(px, w), self.taps(py, h)
        batch = np.arange(n)[:, None, None]
        y = np.zeros((n, x.shape[1], *grid.shape[1:3]), np.float64)
        for a in range(iy.shape[-1]):
            row = np.zeros_like(y)
            for b in range(ix.shape[-1]):
                rows, cols = iy[..., a], ix[..., b]
                # [N, Ho, Wo, C] from the advanced indices around the slice.
                pixel = np.moveaxis(x[batch, :, np.maximum(rows, 0), np.maximum(cols, 0)], -1, 1)
                inside = ((rows >= 0) & (cols >= 0))[:, None]
                row += np.where(inside, wx[:, None, ..., b] * pixel.astype(np.float64), 0.0)
            y += wy[:, None, ..., a] * row
        y = np.where((lost_x | lost_y)[:, None], np.nan, y)
        return L.transform(y.astype(np.float32), "NCHW", self.data_layout)


def reflect(x: np.ndarray, lo: float, hi: float) -> np.ndarray:
    """``x`` folded into [lo, hi] by reflecting it at the ends as often as it takes
    (onnx.reference's `_gs_reflect`), in float32; an empty span holds only ``lo``."""
    low, high = np.float32(lo), np.float32(hi)
    span = high - low
    if span == 0:
        return np.where(np.isnan(x), x, low)
    below = x < low
    dist = np.where(below, low - x, x - high)
    turns = np.floor(dist / span)
    rest = dist - turns * span
    back = np.where(below == (np.fmod(turns, 2) == 0), low + rest, high - rest)
    return np.where(below | (x > high), back, x)
