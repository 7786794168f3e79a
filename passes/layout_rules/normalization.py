"""bias_add and batch_norm follow their input with the axis remapped; where the new
layout splits the channel axis into blocks, they become broadcast multiply/add."""

from __future__ import annotations

from relayout.dialects.nn import (
    AddOp,
    BatchNormOp,
    BiasAddOp,
    ChannelOp,
    ConstantOp,
    MultiplyOp,
    ReshapeOp,
)
from relayout.dialects.nn.base import shape_of
from relayout.passes.layout_rules.common import axis_letter, to_state


def bias_add(op: BiasAddOp, cv):
    return _follow(op, cv, _add_blocked_bias)


def batch_norm(op: BatchNormOp, cv):
    return _follow(op, cv, _scale_shift_blocked)


def _follow(op: ChannelOp, cv, when_split):
    """Remap the channel axis; ``when_split`` rewrites the op where C is blocked."""
    s = cv.relayout(op.x)
    letter = s and axis_letter(s, op.channel_axis)
    if letter is None:
        return None
    if letter not in s.split_letters():
        new = cv.rebuild(op, [cv.new(op.x), *op.params()], axis=s.cur.index_of(letter))
        return [(new.result, s)]
    result = when_split(op, cv, s)
    return result and [(result, s)]


def _add_blocked_bias(op: BiasAddOp, cv, s):
    bias = _along(cv, op.bias, op, s)
    return bias and cv.insert(AddOp.make(cv.new(op.x), bias)).result


def _scale_shift_blocked(op: BatchNormOp, cv, s):
    params = [p.owner for p in op.params()]
    if not all(isinstance(p, ConstantOp) for p in params):
        return None
    scale, shift = op.scale_shift(*(p.array() for p in params))
    scale_c, shift_c = (cv.insert(ConstantOp.of(v)).result for v in (scale, shift))
    scale_b, shift_b = _along(cv, scale_c, op, s), _along(cv, shift_c, op, s)
    if scale_b is None or shift_b is None:
        return None
    y = cv.insert(MultiplyOp.make(cv.new(op.x), scale_b)).result
    return cv.insert(AddOp.make(y, shift_b)).result


def _along(cv, vector, op, s):
    """A 1-D channel parameter shaped to broadcast against the converted input."""
    rank = len(shape_of(op.x))
    shape = [1] * rank
    shape[op.channel_axis] = shape_of(vector)[0]
    full = cv.insert(ReshapeOp.make(vector, newshape=shape)).result
    return to_state(cv, full, s, rank, f"parameter of {op.name} in {s.cur}")
