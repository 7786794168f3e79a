"""bias_add and batch_norm follow their input with the axis remapped; where the new
layout splits the channel axis into blocks, they become broadcast multiply/add."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from xdsl.ir import SSAValue

from relayout.dialects.nn import (
    AddOp,
    BatchNormOp,
    BiasAddOp,
    ConstantOp,
    MultiplyOp,
    ReshapeOp,
)
from relayout.dialects.nn.base import shape_of
from relayout.passes.layout_rules.common import axis_letter, to_state
from relayout.passes.layout_rules.converter import Converter, Outcome
from relayout.passes.layout_state import Relayout

ChannelOpT = TypeVar("ChannelOpT", BiasAddOp, BatchNormOp)


def bias_add(op: BiasAddOp, cv: Converter) -> Outcome | None:
    return _follow(op, cv, _add_blocked_bias)


def batch_norm(op: BatchNormOp, cv: Converter) -> Outcome | None:
    return _follow(op, cv, _scale_shift_blocked)


def _follow(
    op: ChannelOpT,
    cv: Converter,
    when_split: Callable[[ChannelOpT, Converter, Relayout], SSAValue | None],
) -> Outcome | None:
    """Remap the channel axis; ``when_split`` rewrites the op where C is blocked."""
    s = cv.relayout(op.x)
    if s is None:
        return None
    letter = axis_letter(s, op.channel_axis)
    if letter is None or s.orig.factor_of(letter) > 1:
        return None  # the parameters run along C's blocks only, or along its elements
    if letter not in s.split_letters():
        new = cv.rebuild(op, [cv.new(op.x), *op.params()], axis=s.cur.index_of(letter))
        return [(new.result, s)]
    result = when_split(op, cv, s)
    if result is None:
        return None
    result.name_hint = op.results[0].name_hint
    return [(result, s)]


def _add_blocked_bias(op: BiasAddOp, cv: Converter, s: Relayout) -> SSAValue | None:
    bias = _along(cv, op.bias, op, s)
    if bias is None:
        return None
    return cv.insert(AddOp.make(cv.new(op.x), bias)).result


def _scale_shift_blocked(op: BatchNormOp, cv: Converter, s: Relayout) -> SSAValue | None:
    params = [p.owner for p in op.params()]
    constants = [p for p in params if isinstance(p, ConstantOp)]
    if len(constants) != len(params):
        return None
    scale, shift = op.scale_shift(*(c.array() for c in constants))
    scale_c, shift_c = (cv.insert(ConstantOp.of(v)).result for v in (scale, shift))
    scale_b, shift_b = _along(cv, scale_c, op, s), _along(cv, shift_c, op, s)
    if scale_b is None or shift_b is None:
        return None
    y = cv.insert(MultiplyOp.make(cv.new(op.x), scale_b)).result
    return cv.insert(AddOp.make(y, shift_b)).result


def _along(
    cv: Converter, vector: SSAValue, op: BiasAddOp | BatchNormOp, s: Relayout
) -> SSAValue | None:
    """A 1-D channel parameter shaped to broadcast against the converted input."""
    rank = len(shape_of(op.x))
    shape = [1] * rank
    shape[op.channel_axis] = shape_of(vector)[0]
    full = cv.insert(ReshapeOp.make(vector, newshape=shape)).result
    return to_state(cv, full, s, rank, f"parameter of {op.name} in {s.cur}")
