"""Local response normalization across channels: `nn.lrn` (ONNX LRN, AlexNet's and
GoogLeNet's), in any layout with N, C, H and W (blocked ones included)."""

from __future__ import annotations

from typing import ClassVar

import numpy as np
from xdsl.dialects.builtin import I64, FloatAttr, IntegerAttr, f32
from xdsl.irdl import operand_def, prop_def, result_def, traits_def
from xdsl.traits import Pure

from relayout import layout as L
from relayout.dialects.nn.base import F32Tensor, Shape, ShapeError
from relayout.dialects.nn.layout_attr import LayoutAttr, LayoutConstraint
from relayout.dialects.nn.pool import LayoutOp
from relayout.dialects.nn.registry import nn_op
from relayout.dialects.nn.windows import check_int32


@nn_op
class LRNOp(LayoutOp):
    """``y = x * (bias + alpha / size * sum of x^2 over the channel window)^-beta``; the
    window holds channels ``c - (size-1)//2 .. c + size//2``, clipped to those there are
    (ONNX's definition).

    It normalizes over C alone, so every layout that keeps each channel of one pixel
    reachable serves (a LayoutOp: it follows its producer, NHWC and NCHW16c included);
    kernel: lowering/cuda/kernels/lrn.py."""

    name = "nn.lrn"
    TVM_NAME: ClassVar = "nn_lrn"
    x = operand_def(F32Tensor)
    output = result_def(F32Tensor)
    size = prop_def(IntegerAttr[I64])
    alpha = prop_def(FloatAttr.constr(f32), default_value=FloatAttr(1e-4, f32))
    beta = prop_def(FloatAttr.constr(f32), default_value=FloatAttr(0.75, f32))
    bias = prop_def(FloatAttr.constr(f32), default_value=FloatAttr(1.0, f32))
    layout = prop_def(LayoutConstraint(), default_value=LayoutAttr("NCHW"))
    traits = traits_def(Pure())
    assembly_format = "$x attr-dict `:` functional-type(operands, results)"

    @property
    def window(self) -> tuple[int, int]:
        """Channels the window reaches before and after its own."""
        size = self.size.value.data
        return (size - 1) // 2, size // 2

    @property
    def scale(self) -> float:
        """alpha / size, rounded to f32 once as ONNX Runtime and the kernel do."""
        return float(np.float32(self.alpha.value.data) / np.float32(self.size.value.data))

    def infer_shape(self) -> Shape:
        size = self.size.value.data
        if size < 1:
            raise ShapeError(f"size {size} must be >= 1")
        check_int32(size=[size])
        return self.data_layout.shape_for(self.extents())

    def reference(self, data: np.ndarray) -> np.ndarray:
        x = L.transform(data, self.data_layout, "NCHW").astype(np.float64)
        channels = x.shape[1]
        before, after = self.window
        # Window sums as differences of a running sum (in f64, where the difference
        # loses nothing an f32 sum would keep), so a huge size costs no more.
        running = np.concatenate([np.zeros_like(x[:, :1]), np.cumsum(x * x, axis=1)], axis=1)
        c = np.arange(channels)
        first, last = np.maximum(c - before, 0), np.minimum(c + after, channels - 1) + 1
        sums = running[:, last] - running[:, first]
        base = self.bias.value.data + self.scale * sums
        y = (x * base ** -np.float64(self.beta.value.data)).astype(np.float32)
        return L.transform(y, "NCHW", self.data_layout)
