"""`nn.resize2d`: ONNX Resize of H and W (nearest, bilinear or bicubic, every coordinate
mode, antialiasing, tf_crop_and_resize's crop), as two tap tables (resize_taps.py)."""

from __future__ import annotations

from math import isfinite
from typing import ClassVar

import numpy as np
from xdsl.dialects.builtin import (
    BoolAttr,
    DenseArrayBase,
    FloatAttr,
    IntegerAttr,
    StringAttr,
    f32,
    f64,
    i1,
    i64,
)
from xdsl.irdl import operand_def, opt_prop_def, prop_def, result_def, traits_def
from xdsl.traits import Pure

from relayout import layout as L
from relayout.dialects.nn.base import F32Tensor, Shape, ShapeError, ints
from relayout.dialects.nn.layout_attr import LayoutAttr, LayoutConstraint
from relayout.dialects.nn.pool import LayoutOp
from relayout.dialects.nn.registry import nn_op
from relayout.dialects.nn.resize_taps import (
    COORDINATE_MODES,
    METHODS,
    NEAREST_MODES,
    Sampling,
    Taps,
    taps,
)

_FALSE = IntegerAttr(0, i1)


@nn_op
class Resize2DOp(LayoutOp):
    """Output pixel (i, j) is ``sum_a sum_b Th[i, a] Tw[j, b] x[a, b]`` over the taps of
    H and W, or ``extrapolation_value`` where tf_crop_and_resize's crop leaves the image.

    ``scales`` are the factors ONNX's coordinates use where they are not ``size`` over
    the input extent (scales that do not give whole extents, keep_aspect_ratio_policy);
    ``roi`` is tf_crop_and_resize's crop, ``[h_start, w_start, h_end, w_end]`` as
    fractions of the image (default: all of it)."""

    name = "nn.resize2d"
    TVM_NAME: ClassVar = "image_resize2d"
    x = operand_def(F32Tensor)
    output = result_def(F32Tensor)
    size = prop_def(DenseArrayBase.constr(i64))
    layout = prop_def(LayoutConstraint(), default_value=LayoutAttr("NCHW"))
    method = prop_def(StringAttr, default_value=StringAttr("nearest"))
    coordinate_mode = prop_def(StringAttr, default_value=StringAttr("half_pixel"))
    nearest_mode = prop_def(StringAttr, default_value=StringAttr("round_prefer_floor"))
    cubic_coeff_a = prop_def(FloatAttr.constr(f32), default_value=FloatAttr(-0.75, f32))
    exclude_outside = prop_def(BoolAttr, default_value=_FALSE)
    antialias = prop_def(BoolAttr, default_value=_FALSE)
    extrapolation_value = prop_def(FloatAttr.constr(f32), default_value=FloatAttr(0.0, f32))
    scales = opt_prop_def(DenseArrayBase.constr(f64))
    roi = opt_prop_def(DenseArrayBase.constr(f64))
    traits = traits_def(Pure())
    assembly_format = "$x attr-dict `:` functional-type(operands, results)"

    def infer_shape(self) -> Shape:
        for prop, allowed in (
            (self.method, METHODS),
            (self.coordinate_mode, COORDINATE_MODES),
            (self.nearest_mode, NEAREST_MODES),
        ):
            if prop.data not in allowed:
                raise ShapeError(f"'{prop.data}' is not one of {', '.join(allowed)}")
        size = ints(self.size)
        if len(size) != 2 or min(size) < 1:
            raise ShapeError("size needs two extents >= 1")
        e = self.extents()
        self._check_floats((e["H"], e["W"]), size)
        return self.data_layout.shape_for({**e, "H": size[0], "W": size[1]})

    def _check_floats(self, extents: tuple[int, int], size: tuple[int, ...]) -> None:
        if self.antialias.value.data and self.method.data == "nearest":
            raise ShapeError("antialias needs method bilinear or bicubic")
        if not isfinite(self.cubic_coeff_a.value.data):
            raise ShapeError("cubic_coeff_a must be finite")
        if self.roi is not None:
            roi = self.roi.get_values()
            if len(roi) != 4 or not all(isfinite(v) for v in roi):
                raise ShapeError("roi needs 4 finite values: h_start, w_start, h_end, w_end")
            if self.coordinate_mode.data != "tf_crop_and_resize":
                raise ShapeError("roi is read by coordinate_mode tf_crop_and_resize only")
        if self.scales is None:
            return
        scales = self.scales.get_values()
        if len(scales) != 2 or not all(isfinite(s) and s > 0 for s in scales):
            raise ShapeError("scales needs two finite factors > 0")
        # ONNX floors scale * extent, or rounds it for keep_aspect_ratio_policy; a scale
        # further off would not be this size's and would widen antialiasing without end.
        for s, d, o in zip(scales, extents, size):
            if not o - 0.5 <= s * d < o + 1:
                raise ShapeError(f"scale {s} of an extent {d} does not give the size {o}")

    @property
    def sampling(self) -> Sampling:
        return Sampling(
            method=self.method.data,
            coordinate_mode=self.coordinate_mode.data,
            nearest_mode=self.nearest_mode.data,
            cubic_coeff_a=self.cubic_coeff_a.value.data,
            exclude_outside=bool(self.exclude_outside.value.data),
            antialias=bool(self.antialias.value.data),
        )

    def taps(self) -> tuple[Taps, Taps]:
        """The tap tables of H and W."""
        e, size = self.extents(), ints(self.size)
        extents = (e["H"], e["W"])
        scales = self.scales.get_values() if self.scales else [o / d for o, d in zip(size, extents)]
        roi = self.roi.get_values() if self.roi else (0.0, 0.0, 1.0, 1.0)
        return (
            taps(extents[0], size[0], scales[0], self.sampling, (roi[0], roi[2])),
            taps(extents[1], size[1], scales[1], self.sampling, (roi[1], roi[3])),
        )

    def reference(self, data: np.ndarray) -> np.ndarray:
        x = L.transform(data, self.data_layout, "NCHW").astype(np.float64)
        th, tw = self.taps()
        (oh, ow), (h, w) = ints(self.size), x.shape[2:]
        # The pass that leaves the smaller intermediate first: resampling H first would
        # make an [N, C, OH, W] array, far larger than input and output when H grows
        # while W shrinks.
        if oh * w <= h * ow:
            y = _resample(_resample(x.swapaxes(2, 3), th).swapaxes(2, 3), tw)
        else:
            y = _resample(_resample(x, tw).swapaxes(2, 3), th).swapaxes(2, 3)
        outside = th.outside[:, None] | tw.outside[None, :]
        y = np.where(outside, self.extrapolation_value.value.data, y)
        return L.transform(y.astype(np.float32), "NCHW", self.data_layout)


def _resample(x: np.ndarray, t: Taps) -> np.ndarray:
    """``x`` resampled along its last axis, tap by tap, each reading only the rows whose
    weight it has (so an infinity is multiplied by no zero)."""
    y = np.zeros((*x.shape[:-1], len(t.index)))
    for k in range(t.width):
        rows = np.flatnonzero(t.weight[:, k])
        y[..., rows] += t.weight[rows, k] * x[..., t.index[rows, k]]
    return y
