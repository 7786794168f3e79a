"""Reductions along axes: `nn.mean`, `nn.softmax` and `nn.log_softmax`."""

from __future__ import annotations

from typing import ClassVar

import numpy as np
from xdsl.dialects.builtin import I64, BoolAttr, DenseArrayBase, IntegerAttr, i1, i64
from xdsl.irdl import operand_def, prop_def, result_def, traits_def
from xdsl.traits import Pure

from relayout.dialects.nn.base import F32Tensor, NNOp, Shape, ShapeError, ints, norm_axis, shape_of
from relayout.dialects.nn.registry import nn_op


@nn_op
class MeanOp(NNOp):
    name = "nn.mean"
    x = operand_def(F32Tensor)
    output = result_def(F32Tensor)
    axes = prop_def(DenseArrayBase.constr(i64))
    keepdims = prop_def(BoolAttr, default_value=IntegerAttr(0, i1))
    traits = traits_def(Pure())
    assembly_format = "$x attr-dict `:` functional-type(operands, results)"

    @property
    def reduced(self) -> tuple[int, ...]:
        rank = len(shape_of(self.x))
        axes = tuple(sorted(norm_axis(a, rank, self.name) for a in ints(self.axes)))
        if len(set(axes)) != len(axes):
            raise ShapeError(f"axes {list(ints(self.axes))} repeat an axis")
        return axes

    def infer_shape(self) -> Shape:
        shape, axes = shape_of(self.x), self.reduced
        if self.keepdims.value.data:
            return tuple(1 if i in axes else s for i, s in enumerate(shape))
        return tuple(s for i, s in enumerate(shape) if i not in axes)

    def reference(self, x: np.ndarray) -> np.ndarray:
        return x.mean(axis=self.reduced, keepdims=bool(self.keepdims.value.data)).astype(
            np.float32
        )


class SoftmaxBaseOp(NNOp):
    """A softmax along one axis; `LOG` takes its logarithm (LogSoftmax).

    Layout rule: follows its input with the axis remapped, not across blocks
    (passes/layout_rules/reduce.py `softmax`); kernel: one thread per element looping
    over the axis (lowering/cuda/kernels/reduce.py `lower_softmax`)."""

    LOG: ClassVar[bool]
    """Whether the op gives log(softmax), computed as ``x - max - log(sum)``."""

    x = operand_def(F32Tensor)
    output = result_def(F32Tensor)
    axis = prop_def(IntegerAttr[I64])
    traits = traits_def(Pure())
    assembly_format = "$x attr-dict `:` functional-type(operands, results)"

    @property
    def softmax_axis(self) -> int:
        return norm_axis(self.axis.value.data, len(shape_of(self.x)), self.name)

    def infer_shape(self) -> Shape:
        self.softmax_axis  # noqa: B018 -- the axis check raises ShapeError
        return shape_of(self.x)

    def reference(self, x: np.ndarray) -> np.ndarray:
        shifted = x - x.max(axis=self.softmax_axis, keepdims=True)
        e = np.exp(shifted)
        total = e.sum(axis=self.softmax_axis, keepdims=True)
        y = shifted - np.log(total) if self.LOG else e / total
        return y.astype(np.float32)


@nn_op
class SoftmaxOp(SoftmaxBaseOp):
    name = "nn.softmax"
    TVM_NAME: ClassVar = "nn_softmax"
    LOG: ClassVar = False


@nn_op
class LogSoftmaxOp(SoftmaxBaseOp):
    name = "nn.log_softmax"
    TVM_NAME: ClassVar = "nn_log_softmax"
    LOG: ClassVar = True
