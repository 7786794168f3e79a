"""Ops that select elements along axes: `nn.slice` (ONNX Slice, and each output of
Split) and `nn.channel_shuffle` (ShuffleNet's reshape-transpose-reshape as one gather).

Layout rule: passes/layout_rules/slicing.py; kernels: lowering/cuda/kernels/slicing.py;
ONNX converters (Slice, Split): frontend/onnx_ops.py; the channel shuffle is recognized by
passes/canonicalization_patterns/shape_ops.py.
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np
from xdsl.dialects.builtin import I64, DenseArrayBase, IntegerAttr, i64
from xdsl.irdl import operand_def, prop_def, result_def, traits_def
from xdsl.traits import Pure

from relayout.dialects.nn.base import F32Tensor, NNOp, Shape, ShapeError, ints, norm_axis, shape_of
from relayout.dialects.nn.registry import nn_op


@nn_op
class SliceOp(NNOp):
    """Along each axis, the elements ``begin, begin + stride, ...`` before ``end``.

    The bounds are normalized (the ONNX converter resolves negative and clamped ones):
    ``0 <= begin < extent``; a positive stride ends at ``begin < end <= extent``, a
    negative one at ``-1 <= end < begin``, so that every axis keeps at least one element.
    """

    name = "nn.slice"
    TVM_NAME: ClassVar = "strided_slice"
    x = operand_def(F32Tensor)
    output = result_def(F32Tensor)
    begin = prop_def(DenseArrayBase.constr(i64))
    end = prop_def(DenseArrayBase.constr(i64))
    strides = prop_def(DenseArrayBase.constr(i64))
    traits = traits_def(Pure())
    assembly_format = "$x attr-dict `:` functional-type(operands, results)"

    def ranges(self) -> list[range]:
        """The indices each axis keeps, checked against the bounds above."""
        shape = shape_of(self.x)
        begin, end, strides = ints(self.begin), ints(self.end), ints(self.strides)
        if not len(begin) == len(end) == len(strides) == len(shape):
            raise ShapeError(f"begin, end and strides need {len(shape)} values each (one per "
                             "axis)")
        result = []
        for axis, (n, b, e, s) in enumerate(zip(shape, begin, end, strides)):
            ok = 0 <= b < n and (b < e <= n if s > 0 else -1 <= e < b if s < 0 else False)
            if not ok:
                raise ShapeError(f"axis {axis} of extent {n}: begin {b}, end {e}, stride {s} "
                                 "do not select a non-empty range (0 <= begin < extent; "
                                 "begin < end <= extent for a positive stride, -1 <= end < "
                                 "begin for a negative one)")
            result.append(range(b, e, s))
        return result

    def infer_shape(self) -> Shape:
        return tuple(len(r) for r in self.ranges())

    def reference(self, x: np.ndarray) -> np.ndarray:
        # numpy reads a stop of -1 as "from the end"; None is "past the start".
        index = tuple(slice(r.start, r.stop if r.stop >= 0 else None, r.step)
                      for r in self.ranges())
        return np.ascontiguousarray(x[index])


@nn_op
class ChannelShuffleOp(NNOp):
    """ShuffleNet's channel shuffle along ``axis``: the extent read as ``[groups, C/groups]``
    and transposed, i.e. output channel ``j`` is input channel
    ``(j % groups) * (C / groups) + j / groups``.

    With ``block_axis`` (a blocked layout, NCHW8c), the channels are split between
    ``axis`` (the blocks) and ``block_axis`` (the channel within its block): channel
    ``j`` is at ``axis`` ``j / k`` and ``block_axis`` ``j % k`` for a block of ``k``."""

    name = "nn.channel_shuffle"
    x = operand_def(F32Tensor)
    output = result_def(F32Tensor)
    axis = prop_def(IntegerAttr[I64])
    groups = prop_def(IntegerAttr[I64])
    block_axis = prop_def(IntegerAttr[I64], default_value=IntegerAttr(-1, i64))
    """-1: the channels are on ``axis`` alone."""
    traits = traits_def(Pure())
    assembly_format = "$x attr-dict `:` functional-type(operands, results)"

    @property
    def shuffle_axis(self) -> int:
        return norm_axis(self.axis.value.data, len(shape_of(self.x)), self.name)

    @property
    def inner_axis(self) -> int | None:
        """The axis of the channel within its block, if the channels are blocked."""
        a = self.block_axis.value.data
        return None if a == -1 else norm_axis(a, len(shape_of(self.x)), self.name)

    @property
    def group_count(self) -> int:
        return self.groups.value.data

    @property
    def channels(self) -> int:
        shape, inner = shape_of(self.x), self.inner_axis
        return shape[self.shuffle_axis] * (1 if inner is None else shape[inner])

    def infer_shape(self) -> Shape:
        shape, g, inner = shape_of(self.x), self.group_count, self.inner_axis
        if inner is not None and inner <= self.shuffle_axis:
            raise ShapeError(f"block_axis {inner} must come after axis {self.shuffle_axis}")
        n = self.channels
        if g < 1 or n % g:
            raise ShapeError(f"groups {g} must be positive and divide the {n} channels")
        return shape

    def reference(self, x: np.ndarray) -> np.ndarray:
        a, g, inner = self.shuffle_axis, self.group_count, self.inner_axis
        # The block's channel next to its block: the channels are one axis, row-major.
        merged = x if inner is None else np.moveaxis(x, inner, a + 1)
        rest = merged.shape[a + (1 if inner is None else 2):]
        split = merged.reshape(merged.shape[:a] + (g, self.channels // g) + rest)
        shuffled = np.ascontiguousarray(split.swapaxes(a, a + 1)).reshape(merged.shape)
        if inner is not None:
            shuffled = np.moveaxis(shuffled, a + 1, inner)
        return np.ascontiguousarray(shuffled)
