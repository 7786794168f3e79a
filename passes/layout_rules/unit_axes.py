"""A reshape that only drops or inserts unit axes keeps the conversion of its input.

1-D convs and pools are imported as 2-D ones with H = 1 between reshapes [N,C,L] ->
[N,C,1,L] and back. In NHWC the 4-D value [N,1,L,C] holds its data in the order of
[N,L,C], so the 3-D value between two such ops is that value with the unit axis gone
(orig NCW, cur NWC), and the next reshape puts a unit axis back where the next conv
wants it: no data moves.
"""

from __future__ import annotations

from collections.abc import Sequence

from relayout import layout as L
from relayout.dialects.nn import ReshapeOp
from relayout.dialects.nn.base import shape_of
from relayout.passes.layout_rules.common import state
from relayout.passes.layout_rules.converter import Converter, Outcome
from relayout.passes.layout_state import Relayout

FRESH = "HWDABEFGIJKLMOPQRSTUVXYZ"
"""Letters an inserted unit axis may take, the first one unused (H first: the 1-D ops'
H = 1). Consumers name axes by position (`Relayout.viewed_as`), so any letter does."""


def reshape(op: ReshapeOp, cv: Converter, s: Relayout) -> Outcome | None:
    """``op`` on the converted input, when it only drops or inserts unit axes."""
    if s.orig.is_blocked:
        return None
    sources = _unit_alignment(shape_of(op.x), shape_of(op.result))
    if sources is None:
        return None
    kept = {i for i in sources if i is not None}
    dropped = "".join(a.letter for i, a in enumerate(s.orig.axes) if i not in kept)
    used = set(s.orig.primal)
    letters: list[str] = []
    for i in sources:
        if i is None:
            letter = next(c for c in FRESH if c not in used)
            used.add(letter)
            letters.append(letter)
        else:
            letters.append(s.orig.axes[i].letter)
    orig = L.Layout(tuple(L.Axis(c) for c in letters))
    cur = _insert_units(s.cur.drop(dropped), letters, sources)
    shape = cur.shape_for(orig.logical_extents(shape_of(op.result)))
    new = cv.rebuild(op, [cv.new(op.x)], newshape=shape)
    return [(new.result, state(orig, cur))]


def _unit_alignment(old: Sequence[int], new: Sequence[int]) -> list[int | None] | None:
    """For each axis of ``new``, the axis of ``old`` it is (None for an inserted unit
    axis), or None when the reshape does more than drop and insert unit axes. Between
    two axes longer than 1, unit axes pair up in order; the rest are dropped or
    inserted."""
    if [d for d in old if d != 1] != [d for d in new if d != 1]:
        return None
    sources: list[int | None] = []
    i = 0
    for d in new:
        if d != 1:
            while old[i] == 1:  # units of old left over in this gap are dropped
                i += 1
            sources.append(i)
            i += 1
        elif i < len(old) and old[i] == 1:
            sources.append(i)
            i += 1
        else:
            sources.append(None)
    return sources


def _insert_units(cur: L.Layout, letters: list[str], sources: list[int | None]) -> L.Layout:
    """``cur`` with each inserted unit axis placed just before the kept axis that follows
    it in the new shape (at the end when none does), so that [N,C,1,L] of an NWC value
    comes out NHWC."""
    axes = list(cur.axes)
    for j, source in enumerate(sources):
        if source is not None:
            continue
        after = next((letters[k] for k in range(j + 1, len(sources)) if sources[k] is not None),
                     None)
        at = len(axes) if after is None else next(
            k for k, a in enumerate(axes) if a.letter == after and a.is_primal
        )
        axes.insert(at, L.Axis(letters[j]))
    return L.Layout(tuple(axes))
