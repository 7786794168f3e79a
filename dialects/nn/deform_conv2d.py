"""`nn.deform_conv2d`: deformable 2-D convolution (ONNX DeformConv, torchvision's
`deform_conv2d`; DCNv1, and DCNv2 with a mask).

Each tap of each window reads the input at its usual place plus a learned fractional
offset, by bilinear interpolation, where a corner outside the input reads zero (a point
with no corner inside reads nothing), times the tap's mask when there is one. The data,
offset, mask and output share one layout, any order of N, C, H and W; the weight is
OIHW. The channels of offset and mask are ONNX's: for offset group ``d`` and tap
``(r, s)``, mask channel ``t = (d * kH + r) * kW + s`` and offset channels ``2t`` (rows)
and ``2t + 1`` (columns). A bias imports as an `nn.bias_add` after the op.
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np
from xdsl.dialects.builtin import I64, DenseArrayBase, IntegerAttr, i64
from xdsl.ir import SSAValue
from xdsl.irdl import operand_def, opt_operand_def, prop_def, result_def, traits_def
from xdsl.traits import Pure

from relayout import layout as L
from relayout.dialects.nn.base import (
    F32Tensor,
    NNOp,
    Shape,
    ShapeError,
    check_size,
    int_array,
    ints,
    layout_prop,
    shape_of,
)
from relayout.dialects.nn.layout_attr import LayoutAttr, LayoutConstraint
from relayout.dialects.nn.registry import nn_op
from relayout.dialects.nn.windows import check_int32, out_extent


@nn_op
class DeformConv2DOp(NNOp):
    name = "nn.deform_conv2d"
    TVM_NAME: ClassVar = "nn_deformable_conv2d"

    data = operand_def(F32Tensor)
    weight = operand_def(F32Tensor)
    offset = operand_def(F32Tensor)
    mask = opt_operand_def(F32Tensor)
    output = result_def(F32Tensor)

    strides = prop_def(DenseArrayBase.constr(i64), default_value=int_array([1, 1]))
    dilation = prop_def(DenseArrayBase.constr(i64), default_value=int_array([1, 1]))
    padding = prop_def(DenseArrayBase.constr(i64), default_value=int_array([0, 0, 0, 0]))
    """(top, left, bottom, right), as ONNX's pads."""
    groups = prop_def(IntegerAttr[I64], default_value=IntegerAttr(1, i64))
    offset_groups = prop_def(IntegerAttr[I64], default_value=IntegerAttr(1, i64))
    """Runs of input channels that share one offset (and mask) per tap."""
    data_layout = prop_def(LayoutConstraint(), default_value=LayoutAttr("NCHW"))
    """The layout of data, offset, mask and output."""

    traits = traits_def(Pure())
    assembly_format = (
        "$data `,` $weight `,` $offset (`,` $mask^)? attr-dict `:` "
        "functional-type(operands, results)"
    )

    @classmethod
    def _group(cls, values: list[SSAValue]) -> list[SSAValue | list[SSAValue]]:
        """data, weight, offset, then the mask if given."""
        return [*values[:3], values[3:]]

    @property
    def layout(self) -> L.Layout:
        """The layout of data, offset, mask and output (checked for the data)."""
        return layout_prop(self.data_layout, "NCHW", len(shape_of(self.data)), "data_layout")

    @property
    def group_count(self) -> int:
        return self.groups.value.data

    @property
    def offset_group_count(self) -> int:
        return self.offset_groups.value.data

    def kernel(self) -> tuple[int, int, int, int]:
        """The weight's extents, O, I (per group), kH and kW."""
        shape = shape_of(self.weight)
        if len(shape) != 4:
            raise ShapeError(f"weight must be 4-D [O, C/groups, kH, kW], got shape {list(shape)}")
        o, i, kh, kw = shape
        return o, i, kh, kw

    def extents(self, value: str) -> dict[str, int]:
        """The logical extents of operand ``value`` ("data", "offset" or "mask")."""
        operand = getattr(self, value)
        return layout_prop(self.data_layout, "NCHW", len(shape_of(operand)),
                           f"{value} in data_layout").logical_extents(shape_of(operand))

    def infer_shape(self) -> Shape:
        x = self.extents("data")
        o, i, kh, kw = self.kernel()
        g, dg = self.group_count, self.offset_group_count
        if g < 1 or x["C"] % g or o % g:
            raise ShapeError(f"groups={g} must divide the input channels ({x['C']}) and the "
                             f"output channels ({o})")
        if i * g != x["C"]:
            raise ShapeError(f"kernel has {i} input channels per group, data has {x['C']} "
                             f"channels in {g} group(s)")
        if dg < 1 or x["C"] % dg:
            raise ShapeError(f"offset_groups={dg} must divide the input channels ({x['C']})")
        oh, ow = self._spatial(x, kh, kw)
        taps = dg * kh * kw
        self._check_per_tap("offset", 2 * taps, x["N"], oh, ow)
        if self.mask is not None:
            self._check_per_tap("mask", taps, x["N"], oh, ow)
        return self.layout.shape_for({"N": x["N"], "C": o, "H": oh, "W": ow})

    def _spatial(self, x: dict[str, int], kh: int, kw: int) -> tuple[int, int]:
        s, d, pad = ints(self.strides), ints(self.dilation), ints(self.padding)
        if len(pad) != 4 or len(s) != 2 or len(d) != 2 or min(pad) < 0 or min(s + d) < 1:
            raise ShapeError("padding needs 4 values >= 0; strides and dilation must be >= 1, "
                             "two values each")
        check_int32(strides=s, dilation=d, padding=pad)
        # Window positions (row * stride - pad + tap * dilation) stay C ints when the
        # padded input does.
        check_size([x["N"], x["C"], x["H"] + pad[0] + pad[2], x["W"] + pad[1] + pad[3]],
                   "padded input")
        return (
            out_extent(x["H"], kh, s[0], d[0], pad[0], pad[2]),
            out_extent(x["W"], kw, s[1], d[1], pad[1], pad[3]),
        )

    def _check_per_tap(self, value: str, channels: int, n: int, oh: int, ow: int) -> None:
        """``value`` (offset or mask) holds ``channels`` per output pixel."""
        got = self.extents(value)
        want = {"N": n, "C": channels, "H": oh, "W": ow}
        if got != want:
            show = ", ".join(f"{k}={v}" for k, v in want.items())
            have = ", ".join(f"{k}={got[k]}" for k in "NCHW")
            raise ShapeError(f"{value} must have {show} (offset_groups * kH * kW"
                             f"{' * 2' if value == 'offset' else ''} channels at each output "
                             f"pixel), got {have}")

    def reference(
        self, data: np.ndarray, weight: np.ndarray, offset: np.ndarray,
        mask: np.ndarray | None = None,
    ) -> np.ndarray:
        layout = self.layout
        x = L.transform(data, layout, "NCHW")
        n, c, h, wd = x.shape
        o, i, kh, kw = weight.shape
        g, dg = self.group_count, self.offset_group_count
        off = L.transform(offset, layout, "NCHW")
        oh, ow = off.shape[2:]
        off = off.reshape(n, dg, kh, kw, 2, oh, ow)
        m = None if mask is None else L.transform(mask, layout, "NCHW").reshape(
            n, dg, kh, kw, oh, ow)
        (sh, sw), (dh, dw) = ints(self.strides), ints(self.dilation)
        top, left = ints(self.padding)[:2]
        rows = (np.arange(oh) * sh - top)[:, None]
        cols = (np.arange(ow) * sw - left)[None, :]
        xg = x.reshape(n, dg, c // dg, h * wd)
        wg = weight.reshape(g, o // g, i, kh, kw)
        y = np.zeros((n, g, o // g, oh, ow), np.float32)
        for r in range(kh):
            for s in range(kw):
                # As the kernel: the window's place as a float, plus the offset.
                ys = (rows + r * dh).astype(np.float32) + off[:, :, r, s, 0]
                xs = (cols + s * dw).astype(np.float32) + off[:, :, r, s, 1]
                inside, sample = _bilinear(xg, ys, xs, h, wd)
                if m is not None:
                    sample = sample * m[:, :, r, s, None]
                # An outside point reads nothing, whatever its mask (a NaN too).
                sample = np.where(inside[:, :, None], sample, np.float32(0))
                tap = sample.reshape(n, g, i, oh, ow)
                y += np.einsum("ngchw,goc->ngohw", tap, wg[..., r, s], optimize=True)
        return L.transform(y.reshape(n, o, oh, ow), "NCHW", layout)


def _bilinear(
    xg: np.ndarray, ys: np.ndarray, xs: np.ndarray, h: int, w: int
) -> tuple[np.ndarray, np.ndarray]:
    """Whether each point of ``ys``, ``xs`` ([N, D, OH, OW]) lies where a corner is
    inside an ``h`` x ``w`` image, and each channel of ``xg`` ([N, D, C/D, H*W], offset
    group ``D``) sampled there ([N, D, C/D, OH, OW]), corners summed in the kernel's
    order."""
    n, dg, per, _ = xg.shape
    inside = (ys > -1) & (ys < h) & (xs > -1) & (xs < w)  # False for NaN
    ys, xs = np.where(inside, ys, np.float32(0)), np.where(inside, xs, np.float32(0))
    y0, x0 = np.floor(ys).astype(np.int64), np.floor(xs).astype(np.int64)
    ly, lx = ys - y0.astype(np.float32), xs - x0.astype(np.float32)
    sample = np.zeros((n, dg, per, *ys.shape[2:]), np.float32)
    for dy, wy in ((0, 1 - ly), (1, ly)):
        for dx, wx in ((0, 1 - lx), (1, lx)):
            yy, xx = y0 + dy, x0 + dx
            ok = inside & (yy >= 0) & (yy < h) & (xx >= 0) & (xx < w)
            index = np.where(ok, yy * w + xx, 0).reshape(n, dg, 1, -1)
            corner = np.take_along_axis(xg, index, axis=3).reshape(sample.shape)
            sample += np.where(ok[:, :, None], (wy * wx)[:, :, None] * corner, np.float32(0))
    return inside, sample
