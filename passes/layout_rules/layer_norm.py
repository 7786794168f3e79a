"""layer_norm follows its input: the normalized axes are remapped by letter (a letter
split into blocks normalizes its block axis too), and scale and bias, which broadcast
against the input, move beside it as any broadcasting operand does."""

from __future__ import annotations

from xdsl.ir import SSAValue

from relayout.dialects.nn import LayerNormOp, ReshapeOp
from relayout.dialects.nn.base import shape_of
from relayout.passes.layout_rules.common import to_state
from relayout.passes.layout_rules.converter import Converter, Outcome


def convert(op: LayerNormOp, cv: Converter) -> Outcome | None:
    s = cv.relayout(op.x)
    if s is None or s.orig.is_blocked:
        return None
    letters = {s.orig.axes[a].letter for a in op.normalized}
    axes = tuple(i for i, a in enumerate(s.cur.axes) if a.letter in letters)
    rank = len(shape_of(op.x))
    params: list[SSAValue] = []
    for p in (op.scale, op.bias):
        reason = f"parameter of {op.name} in {s.cur}"
        moved = to_state(cv, cv.original(p, reason), s, rank, reason)
        if moved is None:
            return None
        if len(shape_of(moved)) != s.cur.ndim:
            # A parameter of ones only, which to_state leaves as it is, beside a layout
            # of another rank (NCHW16c).
            moved = cv.insert(ReshapeOp.make(moved, newshape=(1,) * s.cur.ndim)).result
        params.append(moved)
    return [(cv.rebuild(op, [cv.new(op.x), *params], axes=axes).result, s)]
