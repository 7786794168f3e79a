"""`nn.conv2d_transpose`: the transposed 2-D convolution (the gradient of conv2d by its
input; ONNX ConvTranspose), in any data and kernel layout, with strides, dilation,
padding (cropped from the full output), output padding and groups.

The kernel's letters follow TVM's IOHW: I is every input channel, O the output channels
of one group, so ONNX's weight ``[C_in, C_out / groups, kH, kW]`` is IOHW as it is.
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np
from xdsl.dialects.builtin import I64, DenseArrayBase, IntegerAttr, i64
from xdsl.irdl import operand_def, prop_def, result_def, traits_def
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
from relayout.dialects.nn.windows import check_int32


@nn_op
class Conv2DTransposeOp(NNOp):
    name = "nn.conv2d_transpose"
    TVM_NAME: ClassVar = "nn_conv2d_transpose"

    data = operand_def(F32Tensor)
    weight = operand_def(F32Tensor)
    output = result_def(F32Tensor)

    strides = prop_def(DenseArrayBase.constr(i64), default_value=int_array([1, 1]))
    dilation = prop_def(DenseArrayBase.constr(i64), default_value=int_array([1, 1]))
    padding = prop_def(DenseArrayBase.constr(i64), default_value=int_array([0, 0, 0, 0]))
    """(top, left, bottom, right), cropped from the full output."""
    output_padding = prop_def(DenseArrayBase.constr(i64), default_value=int_array([0, 0]))
    """Rows and columns added at the bottom and right of the output (ONNX and PyTorch's
    ``output_padding``: they pick one of the input sizes a strided conv maps alike)."""
    groups = prop_def(IntegerAttr[I64], default_value=IntegerAttr(1, i64))
    data_layout = prop_def(LayoutConstraint(), default_value=LayoutAttr("NCHW"))
    kernel_layout = prop_def(LayoutConstraint(), default_value=LayoutAttr("IOHW"))

    traits = traits_def(Pure())
    assembly_format = "$data `,` $weight attr-dict `:` functional-type(operands, results)"

    @property
    def layouts(self) -> tuple[L.Layout, L.Layout]:
        """Data (and output) and kernel layouts (checked)."""
        d = layout_prop(self.data_layout, "NCHW", len(shape_of(self.data)), "data_layout")
        k = layout_prop(self.kernel_layout, "OIHW", len(shape_of(self.weight)), "kernel_layout")
        return d, k

    @property
    def group_count(self) -> int:
        return self.groups.value.data

    def extents(self) -> tuple[dict[str, int], dict[str, int]]:
        d, k = self.layouts
        return d.logical_extents(shape_of(self.data)), k.logical_extents(shape_of(self.weight))

    def full_extents(self) -> tuple[int, int]:
        """The output's extents before the padding is cropped: every tap of every input
        pixel lands inside, and the output padding follows."""
        x, w = self.extents()
        (sh, sw), (dh, dw), (oph, opw) = (
            ints(self.strides), ints(self.dilation), ints(self.output_padding)
        )
        return (
            (x["H"] - 1) * sh + dh * (w["H"] - 1) + 1 + oph,
            (x["W"] - 1) * sw + dw * (w["W"] - 1) + 1 + opw,
        )

    def infer_shape(self) -> Shape:
        d, _ = self.layouts
        x, w = self.extents()
        g = self.group_count
        if g < 1 or x["C"] % g:
            raise ShapeError(f"groups={g} must divide the input channels ({x['C']})")
        if w["I"] != x["C"]:
            raise ShapeError(f"kernel has {w['I']} input channels, data has {x['C']}")
        s, dil, pad, op = (
            ints(self.strides), ints(self.dilation), ints(self.padding), ints(self.output_padding)
        )
        if len(s) != 2 or len(dil) != 2 or len(pad) != 4 or len(op) != 2:
            raise ShapeError("strides, dilation and output_padding need 2 values, padding 4")
        if min(s + dil) < 1 or min(pad + op) < 0:
            raise ShapeError("strides and dilation must be >= 1, padding and output_padding >= 0")
        if any(p >= max(a, b) for p, a, b in zip(op, s, dil)):
            raise ShapeError(f"output_padding {list(op)} must be below the stride or the "
                             "dilation of its axis")
        check_int32(strides=s, dilation=dil, padding=pad)
        full = self.full_extents()
        check_size([x["N"], w["O"] * g, *full], "full (uncropped) output")
        oh, ow = full[0] - pad[0] - pad[2], full[1] - pad[1] - pad[3]
        if oh < 1 or ow < 1:
            raise ShapeError(f"padding {list(pad)} crops the whole output of extent "
                             f"{list(full)}")
        return d.shape_for({"N": x["N"], "C": w["O"] * g, "H": oh, "W": ow})

    def reference(self, data: np.ndarray, weight: np.ndarray) -> np.ndarray:
        d, k = self.layouts
        x = L.transform(data, d, "NCHW")
        w = L.transform(weight, k, "IOHW")
        g = self.group_count
        n, c, h, wd = x.shape
        _, og, kh, kw = w.shape
        (sh, sw), (dh, dw) = ints(self.strides), ints(self.dilation)
        top, left, bottom, right = ints(self.padding)
        xg = x.reshape(n, g, c // g, h, wd)
        wg = w.reshape(g, c // g, og, kh, kw)
        fh, fw = self.full_extents()
        full = np.zeros((n, g, og, fh, fw), np.float32)
        # Each tap scatters the whole input, strided, at its offset in the full output.
        for i in range(kh):
            for j in range(kw):
                tap = np.einsum("ngchw,gco->ngohw", xg, wg[:, :, :, i, j], optimize=True)
                full[..., i * dh : i * dh + (h - 1) * sh + 1 : sh,
                     j * dw : j * dw + (wd - 1) * sw + 1 : sw] += tap
        y = full[..., top : fh - bottom, left : fw - right].reshape(n, g * og, fh - top - bottom,
                                                                  fw - left - right)
        return L.transform(np.ascontiguousarray(y), "NCHW", d)
