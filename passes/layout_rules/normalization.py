"""bias_add and batch_norm follow their input with the axis remapped; where the new
layout splits the channel axis into blocks, they become broadcast multiply/add."""

from __future__ import annotations

from relayout.dialects.nn import AddOp, BatchNormOp, BiasAddOp, ConstantOp, MultiplyOp, ReshapeOp
from relayout.dialects.nn.base import shape_of
from relayout.passes.layout_rules.common import axis_letter, to_state


def bias_add(op: BiasAddOp, cv):
    s = cv.relayout(op.x)
    letter = s and axis_letter(s, op.channel_axis)
    if letter is None:
        return None
    x = cv.new(op.x)
    if letter not in s.split_letters():
        return [(cv.rebuild(op, [x, op.bias], axis=s.cur.index_of(letter)).result, s)]
    bias = _along(cv, op.bias, op, s)
    return bias and [(cv.insert(AddOp.make(x, bias)).result, s)]


def batch_norm(op: BatchNormOp, cv):
    s = cv.relayout(op.x)
    letter = s and axis_letter(s, op.channel_axis)
    if letter is None:
        return None
    x = cv.new(op.x)
    if letter not in s.split_letters():
        new = cv.rebuild(op, [x, *op.params()], axis=s.cur.index_of(letter))
        return [(new.result, s)]
    params = [p.owner for p in op.params()]
    if not all(isinstance(p, ConstantOp) for p in params):
        return None
    scale, shift = op.scale_shift(*(p.array() for p in params))
    scale_c, shift_c = (cv.insert(ConstantOp.of(v)).result for v in (scale, shift))
    scale_b, shift_b = _along(cv, scale_c, op, s), _along(cv, shift_c, op, s)
    if scale_b is None or shift_b is None:
        return None
    y = cv.insert(MultiplyOp.make(x, scale_b)).result
    return [(cv.insert(AddOp.make(y, shift_b)).result, s)]


def _along(cv, vector, op, s):
    """A 1-D channel parameter shaped to broadcast against the converted input."""
    rank = len(shape_of(op.x))
    shape = [1] * rank
    shape[op.channel_axis] = shape_of(vector)[0]
    full = cv.insert(ReshapeOp.make(vector, newshape=shape)).result
    return to_state(cv, full, s, rank, f"parameter of {op.name} in {s.cur}")
