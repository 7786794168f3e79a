"""`nn.conv2d`: 2-D convolution (cross-correlation) in any data and kernel layout,
with strides, dilation, asymmetric padding and groups (depthwise when groups = C)."""

from __future__ import annotations

from typing import ClassVar

import numpy as np
from xdsl.dialects.builtin import I64, DenseArrayBase, IntegerAttr, i64
from xdsl.irdl import (
    operand_def,
    opt_prop_def,
    prop_def,
    result_def,
    traits_def,
)
from xdsl.traits import Pure

from relayout import layout as L
from relayout.dialects.nn.base import (
    F32Tensor,
    NNOp,
    Shape,
    ShapeError,
    check_size,
    ints,
    layout_prop,
    shape_of,
)
from relayout.dialects.nn.layout_attr import LayoutAttr, LayoutConstraint, layout_of
from relayout.dialects.nn.registry import nn_op
from relayout.dialects.nn.windows import check_int32, out_extent, windows

# Window elements the reference hands einsum at once, which copies them: a tile of
# output pixels has at most this many (or one pixel's, at most the padded input).
_IM2COL_ELEMENTS = 2**24


def _pair(default: int) -> DenseArrayBase:
    return DenseArrayBase.from_list(i64, [default, default])


@nn_op
class Conv2DOp(NNOp):
    name = "nn.conv2d"
    TVM_NAME: ClassVar = "nn_conv2d"

    data = operand_def(F32Tensor)
    weight = operand_def(F32Tensor)
    output = result_def(F32Tensor)

    strides = prop_def(DenseArrayBase.constr(i64), default_value=_pair(1))
    dilation = prop_def(DenseArrayBase.constr(i64), default_value=_pair(1))
    padding = prop_def(
        DenseArrayBase.constr(i64), default_value=DenseArrayBase.from_list(i64, [0, 0, 0, 0])
    )
    groups = prop_def(IntegerAttr[I64], default_value=IntegerAttr(1, i64))
    data_layout = prop_def(LayoutConstraint(), default_value=LayoutAttr("NCHW"))
    kernel_layout = prop_def(LayoutConstraint(), default_value=LayoutAttr("OIHW"))
    out_layout = opt_prop_def(LayoutConstraint())

    traits = traits_def(Pure())
    assembly_format = "$data `,` $weight attr-dict `:` functional-type(operands, results)"

    @property
    def layouts(self) -> tuple[L.Layout, L.Layout, L.Layout]:
        """Data, kernel and output layouts (checked)."""
        d = layout_prop(self.data_layout, "NCHW", len(shape_of(self.data)), "data_layout")
        k = layout_prop(self.kernel_layout, "OIHW", len(shape_of(self.weight)), "kernel_layout")
        out = self.out_layout or self.data_layout
        o = layout_prop(out, "NCHW", layout_of(out).ndim, "out_layout")
        return d, k, o

    @property
    def group_count(self) -> int:
        return self.groups.value.data

    def extents(self) -> tuple[dict[str, int], dict[str, int]]:
        d, k, _ = self.layouts
        return d.logical_extents(shape_of(self.data)), k.logical_extents(shape_of(self.weight))

    def infer_shape(self) -> Shape:
        _, _, o = self.layouts
        x, w = self.extents()
        g = self.group_count
        if g < 1 or x["C"] % g or w["O"] % g:
            raise ShapeError(
                f"groups={g} must divide the input channels ({x['C']}) and the output "
                f"channels ({w['O']})"
            )
        if w["I"] * g != x["C"]:
            raise ShapeError(
                f"kernel has {w['I']} input channels per group, data has {x['C']} channels "
                f"in {g} group(s)"
            )
        oh, ow = self._spatial(x, w)
        pad = ints(self.padding)
        # The reference pads the input before it slides the windows.
        padded = [x["H"] + pad[0] + pad[2], x["W"] + pad[1] + pad[3]]
        check_size([x["N"], x["C"], *padded], "padded input")
        return o.shape_for({"N": x["N"], "C": w["O"], "H": oh, "W": ow})

    def _spatial(self, x: dict[str, int], w: dict[str, int]) -> tuple[int, int]:
        s, d, pad = ints(self.strides), ints(self.dilation), ints(self.padding)
        if len(pad) != 4 or len(s) != 2 or len(d) != 2 or min(pad) < 0 or min(s + d) < 1:
            raise ShapeError("padding needs 4 values >= 0; strides and dilation must be >= 1, "
                             "two values each")
        check_int32(strides=s, dilation=d, padding=pad)
        return (
            out_extent(x["H"], w["H"], s[0], d[0], pad[0], pad[2]),
            out_extent(x["W"], w["W"], s[1], d[1], pad[1], pad[3]),
        )

    def reference(self, data: np.ndarray, weight: np.ndarray) -> np.ndarray:
        d, k, o = self.layouts
        x = L.transform(data, d, "NCHW")
        w = L.transform(weight, k, "OIHW")
        g = self.group_count
        win = windows(x, w.shape[2:], ints(self.strides), ints(self.dilation), ints(self.padding))
        n, c, oh, ow, kh, kw = win.shape
        win = win.reshape(n, g, c // g, oh, ow, kh, kw)
        wg = w.reshape(g, w.shape[0] // g, *w.shape[1:])
        # einsum copies the windows it is given (the im2col matrix, kh * kw times the
        # input), so a large kernel goes by tiles of output pixels; a usual one is one tile.
        per_pixel = n * c * kh * kw
        tw = max(1, min(ow, _IM2COL_ELEMENTS // per_pixel))
        th = max(1, _IM2COL_ELEMENTS // (per_pixel * tw))
        y = np.empty((n, g, wg.shape[1], oh, ow), np.float32)
        for h in range(0, oh, th):
            for w0 in range(0, ow, tw):
                tile = win[:, :, :, h : h + th, w0 : w0 + tw]
                y[..., h : h + th, w0 : w0 + tw] = np.einsum(
                    "ngchwij,gocij->ngohw", tile, wg, optimize=True
                )
        return L.transform(y.reshape(n, -1, oh, ow), "NCHW", o)
