"""Per-channel affine ops: `nn.bias_add` and inference-form `nn.batch_norm`."""

from __future__ import annotations

import numpy as np
from xdsl.dialects.builtin import FloatAttr, IntegerAttr, f32, i64
from xdsl.irdl import irdl_op_definition, operand_def, prop_def, result_def, traits_def
from xdsl.traits import Pure

from relayout.dialects.nn.base import F32Tensor, NNOp, Shape, ShapeError, norm_axis, shape_of


class ChannelOp(NNOp):
    """An op whose 1-D parameters run along ``axis`` of ``x``."""

    def params(self):
        return self.operands[1:]

    @property
    def channel_axis(self) -> int:
        return norm_axis(self.axis.value.data, len(shape_of(self.operands[0])), self.name)

    def infer_shape(self) -> Shape:
        shape = shape_of(self.operands[0])
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


@irdl_op_definition
class BiasAddOp(ChannelOp):
    name = "nn.bias_add"
    x = operand_def(F32Tensor)
    bias = operand_def(F32Tensor)
    output = result_def(F32Tensor)
    axis = prop_def(IntegerAttr[i64], default_value=IntegerAttr(1, i64))
    traits = traits_def(Pure())
    assembly_format = "$x `,` $bias attr-dict `:` functional-type(operands, results)"

    def reference(self, x: np.ndarray, bias: np.ndarray) -> np.ndarray:
        return x + self.along_axis(bias, x.ndim)


@irdl_op_definition
class BatchNormOp(ChannelOp):
    name = "nn.batch_norm"
    x = operand_def(F32Tensor)
    gamma = operand_def(F32Tensor)
    beta = operand_def(F32Tensor)
    mean = operand_def(F32Tensor)
    var = operand_def(F32Tensor)
    output = result_def(F32Tensor)
    axis = prop_def(IntegerAttr[i64], default_value=IntegerAttr(1, i64))
    epsilon = prop_def(FloatAttr.constr(f32), default_value=FloatAttr(1e-5, f32))
    traits = traits_def(Pure())
    assembly_format = "operands attr-dict `:` functional-type(operands, results)"

    def infer_shape(self) -> Shape:
        if self.epsilon.value.data < 0:
            raise ShapeError("epsilon must be >= 0")
        return super().infer_shape()

    def scale_shift(self, gamma, beta, mean, var) -> tuple[np.ndarray, np.ndarray]:
        """``y = x * scale + shift`` per channel."""
        scale = gamma / np.sqrt(var + np.float32(self.epsilon.value.data))
        return scale.astype(np.float32), (beta - mean * scale).astype(np.float32)

    def reference(self, x, gamma, beta, mean, var) -> np.ndarray:
        scale, shift = self.scale_shift(gamma, beta, mean, var)
        return (x * self.along_axis(scale, x.ndim) + self.along_axis(shift, x.ndim)).astype(
            np.float32
        )
