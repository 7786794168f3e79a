"""Helpers the layout rules share."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from xdsl.ir import SSAValue

from relayout import layout as L
from relayout.dialects.nn import ConstantOp, NNOp, ReshapeOp
from relayout.dialects.nn.base import shape_of
from relayout.passes.layout_rules.converter import Converter, Outcome
from relayout.passes.layout_state import Relayout


def state(orig: L.Layout, cur: L.Layout) -> Relayout | None:
    return None if orig == cur else Relayout(orig, cur)


def fits(layout: L.Layout, extents: dict[str, int]) -> bool:
    try:
        layout.shape_for(extents)
    except L.LayoutError:
        return False
    return True


def axis_letter(s: Relayout, axis: int) -> str | None:
    """The primal letter at ``axis`` of the original, or None for a block axis."""
    a = s.orig.axes[axis]
    return a.letter if a.is_primal else None


def along_one_axis(op: NNOp, cv: Converter, axis: int) -> Outcome | None:
    """``op``, which works along ``axis`` (a softmax, a channel shuffle), rebuilt to work
    along the same letter in its operand's layout; None when that letter is split
    into blocks there, where one axis no longer holds it."""
    s = cv.relayout(op.operands[0])
    if s is None:
        return None
    letter = axis_letter(s, axis)
    if letter is None or letter in s.split_letters():
        return None
    return [(cv.rebuild(op, [cv.new(op.operands[0])], axis=s.cur.index_of(letter)).result, s)]


def common_state(cv: Converter, values: Sequence[SSAValue], rank: int) -> Relayout | None:
    """The relayout most full-rank operands already have; constants do not vote, since
    their transforms fold away."""
    votes = Counter(
        s
        for v in values
        if len(shape_of(v)) == rank
        and (s := cv.relayout(v)) is not None
        and not isinstance(v.owner, ConstantOp)
    )
    if not votes:
        votes = Counter(s for v in values if (s := cv.relayout(v)) is not None)
    return votes.most_common(1)[0][0] if votes else None


def broadcast_source(shape: Sequence[int], orig: L.Layout) -> L.Layout | None:
    """The layout a broadcasting operand of ``shape`` has beside values in ``orig``: a
    block axis of extent 1 broadcasts, so its block size is 1 (NCHW1c beside NCHW16c).
    None when the blocks differ but not their elements, which no layout names."""
    units: dict[str, int] = {}
    for i, a in enumerate(orig.axes):
        if a.factor and a.factor > 1 and shape[i] == 1:
            if shape[orig.index_of(a.letter)] != 1:
                return None
            units[a.letter] = 1
    return orig.with_factors(units)


def broadcast_target(shape: Sequence[int], src: L.Layout, cur: L.Layout) -> L.Layout | None:
    """The layout a broadcasting operand of ``shape`` in ``src`` takes beside a value in
    ``cur``: unit axes get block size 1 (TVM's NCHW1c), or None if an axis does not
    divide."""
    extents = src.logical_extents(shape)
    target = cur.with_factors({k: 1 for k, n in extents.items() if n == 1})
    return target if fits(target, extents) else None


def to_state(
    cv: Converter, value: SSAValue, s: Relayout, rank: int, reason: str
) -> SSAValue | None:
    """An operand that broadcasts against a value in state ``s``, converted to match.

    ``value`` is in its original form; lower-rank operands are first reshaped to full
    rank, as numpy aligns them to the trailing axes.
    """
    shape = shape_of(value)
    if not shape or all(n == 1 for n in shape):
        return value
    full = (1,) * (rank - len(shape)) + tuple(shape)
    src = broadcast_source(full, s.orig)
    if src is None:
        return None
    target = broadcast_target(full, src, s.cur)
    if target is None:
        return None
    if len(shape) < rank:
        value = cv.insert(ReshapeOp.make(value, newshape=full)).result
    return cv.transform(value, src, target, reason)
