"""`nn.resize2d`: nearest or bilinear resampling of H and W, with ONNX's coordinate
transformation modes (the importer passes them through)."""

from __future__ import annotations

from typing import ClassVar

import numpy as np
from xdsl.dialects.builtin import DenseArrayBase, StringAttr, i64
from xdsl.irdl import operand_def, prop_def, result_def, traits_def
from xdsl.traits import Pure

from relayout import layout as L
from relayout.dialects.nn.base import F32Tensor, Shape, ShapeError, ints
from relayout.dialects.nn.layout_attr import LayoutAttr, LayoutConstraint
from relayout.dialects.nn.pool import LayoutOp
from relayout.dialects.nn.registry import nn_op

METHODS = ("nearest", "bilinear")
COORDINATE_MODES = ("half_pixel", "pytorch_half_pixel", "align_corners", "asymmetric")
NEAREST_MODES = ("round_prefer_floor", "round_prefer_ceil", "floor", "ceil")


def source_coords(out: int, size: int, mode: str) -> np.ndarray:
    """Source coordinate of each output index along one axis."""
    i = np.arange(out, dtype=np.float64)
    scale = out / size
    if mode == "align_corners":
        return i * (size - 1) / (out - 1) if out > 1 else np.zeros(out)
    if mode == "asymmetric":
        return i / scale
    if mode == "pytorch_half_pixel" and out == 1:
        return np.zeros(out)
    return (i + 0.5) / scale - 0.5


def nearest_index(coord: np.ndarray, mode: str, size: int) -> np.ndarray:
    rounded = {
        "round_prefer_floor": np.ceil(coord - 0.5),
        "round_prefer_ceil": np.floor(coord + 0.5),
        "floor": np.floor(coord),
        "ceil": np.ceil(coord),
    }[mode]
    return np.clip(rounded, 0, size - 1).astype(np.int64)


def linear_weights(coord: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Lower index, upper index and the upper weight of each coordinate."""
    c = np.clip(coord, 0, size - 1)
    lo = np.floor(c).astype(np.int64)
    hi = np.minimum(lo + 1, size - 1)
    return lo, hi, (c - lo).astype(np.float32)


@nn_op
class Resize2DOp(LayoutOp):
    name = "nn.resize2d"
    TVM_NAME: ClassVar = "image_resize2d"
    x = operand_def(F32Tensor)
    output = result_def(F32Tensor)
    size = prop_def(DenseArrayBase.constr(i64))
    layout = prop_def(LayoutConstraint(), default_value=LayoutAttr("NCHW"))
    method = prop_def(StringAttr, default_value=StringAttr("nearest"))
    coordinate_mode = prop_def(StringAttr, default_value=StringAttr("half_pixel"))
    nearest_mode = prop_def(StringAttr, default_value=StringAttr("round_prefer_floor"))
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
        return self.data_layout.shape_for({**self.extents(), "H": size[0], "W": size[1]})

    def reference(self, data: np.ndarray) -> np.ndarray:
        x = L.transform(data, self.data_layout, "NCHW")
        (oh, ow), (h, w) = ints(self.size), x.shape[2:]
        mode = self.coordinate_mode.data
        ch, cw = source_coords(oh, h, mode), source_coords(ow, w, mode)
        # Each gather picks output-sized pixels at once: gathering rows first would make
        # an [N, C, OH, W] array, far larger than input and output when H grows while W
        # shrinks.
        if self.method.data == "nearest":
            nm = self.nearest_mode.data
            y = _gather(x, nearest_index(ch, nm, h), nearest_index(cw, nm, w))
        else:
            h0, h1, fh = linear_weights(ch, h)
            w0, w1, fw = linear_weights(cw, w)
            fh = fh[:, None]
            left = _gather(x, h0, w0) * (1 - fh) + _gather(x, h1, w0) * fh
            right = _gather(x, h0, w1) * (1 - fh) + _gather(x, h1, w1) * fh
            y = left * (1 - fw) + right * fw
        return L.transform(y.astype(np.float32), "NCHW", self.data_layout)


def _gather(x: np.ndarray, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """``x[n, c, rows[i], cols[j]]`` as an [N, C, len(rows), len(cols)] array."""
    return x[:, :, rows[:, None], cols[None, :]]
