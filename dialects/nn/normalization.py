"""Per-channel affine ops: `nn.bias_add` and inference-form `nn.batch_norm`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, ClassVar

import numpy as np
from xdsl.dialects.builtin import I64, FloatAttr, IntegerAttr, f32, i64
from xdsl.ir import SSAValue
from xdsl.irdl import operand_def, prop_def, result_def, traits_def
from xdsl.traits import Pure

from relayout.dialects.nn.base import F32Tensor, NNOp, Shape, ShapeError, norm_axis, shape_of
from relayout.dialects.nn.registry import nn_op


class ChannelOp(NNOp):
    """An op whose 1-D parameters run along ``axis`` of ``x``.

    Layout rule: follows ``x`` with the axis remapped, a broadcast multiply/add where the
    channel axis is split into blocks (passes/layout_rules/normalization.py); kernel: a
    per-channel expression in an elementwise chain (lowering/cuda/epilogue.py `_expr`,
    lowering/cuda/kernels/elementwise.py); fusion: an epilogue op (passes/fuse_ops.py
    `EPILOGUE`)."""

    if TYPE_CHECKING:  # declared by each subclass (prop_def/operand_def)
        x: SSAValue
        axis: IntegerAttr[I64]

    def params(self) -> Sequence[SSAValue]:
        """The 1-D parameter operands (all operands after ``x``)."""
        return self.operands[1:]

    @property
    def channel_axis(self) -> int:
        return norm_axis(self.axis.value.data, len(shape_of(self.x)), self.name)

    def infer_shape(self) -> Shape:
        shape = shape_of(self.x)
        axis = self.channel_axis
        for p in self.params():
            if shape_of(p) != (shape[axis],):
                raise ShapeError(
                    f"parameter of shape {list(shape_of(p))} must be [{shape[axis]}], the "
                    f"extent of axis {axis}"
                )
        return shape

    def along_axis(self, v: np.ndarray, rank: int) -> np.ndarray:
        """Reshape a 1-D parameter to broadcast along the channel axis."""
        shape = [1] * rank
        shape[self.channel_axis] = -1
        return v.reshape(shape)


@nn_op
class BiasAddOp(ChannelOp):
    name = "nn.bias_add"
    TVM_NAME: ClassVar = "nn_bias_add"
    x = operand_def(F32Tensor)
    bias = operand_def(F32Tensor)
    output = result_def(F32Tensor)
    axis = prop_def(IntegerAttr[I64], default_value=IntegerAttr(1, i64))
    traits = traits_def(Pure())
    assembly_format = "$x `,` $bias attr-dict `:` functional-type(operands, results)"

    def reference(self, x: np.ndarray, bias: np.ndarray) -> np.ndarray:
        return x + self.along_axis(bias, x.ndim)


@nn_op
class BatchNormOp(ChannelOp):
    name = "nn.batch_norm"
    TVM_NAME: ClassVar = "nn_batch_norm"
    x = operand_def(F32Tensor)
    gamma = operand_def(F32Tensor)
    beta = operand_def(F32Tensor)
    mean = operand_def(F32Tensor)
    var = operand_def(F32Tensor)
    output = result_def(F32Tensor)
    axis = prop_def(IntegerAttr[I64], default_value=IntegerAttr(1, i64))
    epsilon = prop_def(FloatAttr.constr(f32), default_value=FloatAttr(1e-5, f32))
    traits = traits_def(Pure())
    assembly_format = "operands attr-dict `:` functional-type(operands, results)"

    def infer_shape(self) -> Shape:
        if self.epsilon.value.data < 0:
            raise ShapeError("epsilon must be >= 0")
        return super().infer_shape()

    def scale_shift(
        self, gamma: np.ndarray, beta: np.ndarray, mean: np.ndarray, var: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """``y = x * scale + shift`` per channel."""
        scale = gamma / np.sqrt(var + np.float32(self.epsilon.value.data))
        return scale.astype(np.float32), (beta - mean * scale).astype(np.float32)

    def reference(
        self, x: np.ndarray, gamma: np.ndarray, beta: np.ndarray, mean: np.ndarray,
        var: np.ndarray,
    ) -> np.ndarray:
        scale, shift = self.scale_shift(gamma, beta, mean, var)
        return (x * self.along_axis(scale, x.ndim) + self.along_axis(shift, x.ndim)).astype(
            np.float32
        )
