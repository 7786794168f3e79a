"""A dense layer after a flatten of a converted value takes the flattened rows as they
are: its weight columns are permuted instead (a compile-time constant fold). One over
the last axis of a converted stack of rows follows it where that axis stays last."""

from __future__ import annotations

from relayout.dialects.nn import DenseOp, LayoutTransformOp, ReshapeOp
from relayout.dialects.nn.base import shape_of
from relayout.passes.layout_rules.converter import Converter, Outcome
from relayout.passes.layout_state import Flattened, Relayout


def convert(op: DenseOp, cv: Converter) -> Outcome | None:
    s = cv.state(op.x)
    if isinstance(s, Relayout):
        return _rows_follow(op, cv, s)
    if not isinstance(s, Flattened):
        return None
    units = shape_of(op.weight)[0]
    rows = cv.insert(ReshapeOp.make(cv.original(op.weight, "weight of nn.dense"), newshape=(units, *s.orig_shape[1:]))).result
    spare = next(c for c in "ZYXVUTSRQPO" if c not in s.inner.orig.primal)
    src, dst = (spare + str(lay.drop(lay.axes[0].letter)) for lay in (s.inner.orig, s.inner.cur))
    moved = cv.insert(LayoutTransformOp.make(rows, src_layout=src, dst_layout=dst)).result
    weight = cv.insert(ReshapeOp.make(moved, newshape=shape_of(op.weight))).result
    return [(cv.rebuild(op, [cv.new(op.x), weight]).result, None)]


def _rows_follow(op: DenseOp, cv: Converter, s: Relayout) -> Outcome | None:
    """A dense layer over the last axis of a stack of rows is pointwise over the other
    axes: it follows a conversion that keeps that axis last and whole."""
    last = s.orig.axes[-1]
    if not last.is_primal or s.cur.axes[-1] != last or last.letter in s.split_letters():
        return None
    weight = cv.original(op.weight, "weight of nn.dense")
    return [(cv.rebuild(op, [cv.new(op.x), weight]).result, s)]
