"""Ops that only rearrange data: concat, reshape, batch_flatten, transpose, pad."""

from __future__ import annotations

from math import prod
from typing import ClassVar, Literal, cast

import numpy as np
from xdsl.dialects.builtin import I64, DenseArrayBase, FloatAttr, IntegerAttr, StringAttr, f32, i64
from xdsl.ir import SSAValue
from xdsl.irdl import (
    operand_def,
    prop_def,
    result_def,
    traits_def,
    var_operand_def,
)
from xdsl.traits import Pure

from relayout.dialects.nn.base import F32Tensor, NNOp, Shape, ShapeError, ints, norm_axis, shape_of
from relayout.dialects.nn.registry import nn_op


@nn_op
class ConcatOp(NNOp):
    name = "nn.concat"
    TVM_NAME: ClassVar = "concatenate"
    inputs = var_operand_def(F32Tensor)
    output = result_def(F32Tensor)
    axis = prop_def(IntegerAttr[I64])
    traits = traits_def(Pure())
    assembly_format = "$inputs attr-dict `:` functional-type($inputs, results)"

    @classmethod
    def _group(cls, values: list[SSAValue]):
        return [values]

    @property
    def concat_axis(self) -> int:
        return norm_axis(self.axis.value.data, len(shape_of(self.inputs[0])), self.name)

    def infer_shape(self) -> Shape:
        if not self.inputs:
            raise ShapeError("needs at least one input")
        shapes = [shape_of(v) for v in self.inputs]
        axis = self.concat_axis
        first = shapes[0]
        for s in shapes[1:]:
            if len(s) != len(first) or any(
                a != b for i, (a, b) in enumerate(zip(s, first)) if i != axis
            ):
                raise ShapeError(
                    f"input shapes {[list(s) for s in shapes]} differ outside axis {axis}"
                )
        return first[:axis] + (sum(s[axis] for s in shapes),) + first[axis + 1 :]

    def reference(self, *inputs: np.ndarray) -> np.ndarray:
        return np.concatenate(inputs, axis=self.concat_axis)


@nn_op
class ReshapeOp(NNOp):
    name = "nn.reshape"
    x = operand_def(F32Tensor)
    output = result_def(F32Tensor)
    newshape = prop_def(DenseArrayBase.constr(i64))
    traits = traits_def(Pure())
    assembly_format = "$x attr-dict `:` functional-type(operands, results)"

    def infer_shape(self) -> Shape:
        new, old = ints(self.newshape), shape_of(self.x)
        if any(d < 1 for d in new):
            raise ShapeError(f"newshape {list(new)} must have extents >= 1")
        if prod(new) != prod(old):
            raise ShapeError(f"cannot reshape {list(old)} ({prod(old)} elements) to {list(new)}")
        return new

    def reference(self, x: np.ndarray) -> np.ndarray:
        return x.reshape(ints(self.newshape))


@nn_op
class BatchFlattenOp(NNOp):
    name = "nn.batch_flatten"
    TVM_NAME: ClassVar = "nn_batch_flatten"
    x = operand_def(F32Tensor)
    output = result_def(F32Tensor)
    traits = traits_def(Pure())
    assembly_format = "$x attr-dict `:` functional-type(operands, results)"

    def infer_shape(self) -> Shape:
        shape = shape_of(self.x)
        if not shape:
            raise ShapeError("cannot flatten a scalar")
        return (shape[0], prod(shape[1:]))

    def reference(self, x: np.ndarray) -> np.ndarray:
        return x.reshape(x.shape[0], -1)


@nn_op
class TransposeOp(NNOp):
    name = "nn.transpose"
    x = operand_def(F32Tensor)
    output = result_def(F32Tensor)
    axes = prop_def(DenseArrayBase.constr(i64))
    traits = traits_def(Pure())
    assembly_format = "$x attr-dict `:` functional-type(operands, results)"

    @property
    def perm(self) -> tuple[int, ...]:
        return ints(self.axes)

    def infer_shape(self) -> Shape:
        axes, shape = ints(self.axes), shape_of(self.x)
        if sorted(axes) != list(range(len(shape))):
            raise ShapeError(f"axes {list(axes)} are not a permutation of rank {len(shape)}")
        return tuple(shape[a] for a in axes)

    def reference(self, x: np.ndarray) -> np.ndarray:
        return np.ascontiguousarray(x.transpose(ints(self.axes)))


NumpyPadMode = Literal["constant", "reflect", "edge", "wrap"]
PAD_MODES: tuple[NumpyPadMode, ...] = ("constant", "reflect", "edge", "wrap")
"""ONNX Pad's modes, which are numpy's: `pad_value` fills in constant mode; reflect
mirrors without repeating the border, edge repeats it, wrap continues periodically."""


@nn_op
class PadOp(NNOp):
    name = "nn.pad"
    TVM_NAME: ClassVar = "nn_pad"
    x = operand_def(F32Tensor)
    output = result_def(F32Tensor)
    pad_width = prop_def(DenseArrayBase.constr(i64))
    pad_value = prop_def(FloatAttr.constr(f32), default_value=FloatAttr(0.0, f32))
    mode = prop_def(StringAttr, default_value=StringAttr("constant"))
    traits = traits_def(Pure())
    assembly_format = "$x attr-dict `:` functional-type(operands, results)"

    def pairs(self) -> list[tuple[int, int]]:
        w = ints(self.pad_width)
        return [(w[2 * i], w[2 * i + 1]) for i in range(len(w) // 2)]

    def infer_shape(self) -> Shape:
        shape, w = shape_of(self.x), ints(self.pad_width)
        if self.mode.data not in PAD_MODES:
            raise ShapeError(f"mode '{self.mode.data}' is not one of {', '.join(PAD_MODES)}")
        if len(w) != 2 * len(shape):
            raise ShapeError(f"pad_width needs {2 * len(shape)} values (before, after per axis)")
        if min(w, default=0) < 0:
            raise ShapeError("pad_width values must be >= 0")
        if self.mode.data == "reflect":
            # A mirror that does not repeat the border reaches extent - 1 elements out;
            # numpy would reflect again, ONNX Runtime refuses.
            for axis, (e, (b, a)) in enumerate(zip(shape, self.pairs())):
                if max(b, a) > e - 1:
                    raise ShapeError(f"reflect pads {b}, {a} of axis {axis} exceed its extent "
                                     f"{e} less one")
        return tuple(s + b + a for s, (b, a) in zip(shape, self.pairs()))

    def reference(self, x: np.ndarray) -> np.ndarray:
        if self.mode.data == "constant":
            return np.pad(x, self.pairs(), constant_values=np.float32(self.pad_value.value.data))
        return np.pad(x, self.pairs(), mode=cast(NumpyPadMode, self.mode.data))
