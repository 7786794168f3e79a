"""mean, softmax and log_softmax follow their input with the axes remapped (not across blocks)."""

from __future__ import annotations

from relayout.dialects.nn import MeanOp, SoftmaxBaseOp
from relayout.passes.layout_rules.common import along_one_axis, state
from relayout.passes.layout_rules.converter import Converter, Outcome


def mean(op: MeanOp, cv: Converter) -> Outcome | None:
    s = cv.relayout(op.x)
    if s is None or s.orig.is_blocked:
        return None
    letters = {s.orig.axes[a].letter for a in op.reduced}  # all primal: not blocked
    if letters & s.split_letters():
        return None
    axes = tuple(sorted(s.cur.index_of(letter) for letter in letters))
    new = cv.rebuild(op, [cv.new(op.x)], axes=axes)
    if op.keepdims.value.data:
        return [(new.result, s)]
    dropped = "".join(letters)
    return [(new.result, state(s.orig.drop(dropped), s.cur.drop(dropped)))]


def softmax(op: SoftmaxBaseOp, cv: Converter) -> Outcome | None:
    return along_one_axis(op, cv, op.softmax_axis)
