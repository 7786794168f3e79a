"""The object the layout rules receive: the state of one function body being converted
by convert-layout, with the queries and builders the rules call back into.

It lives beside the rules (not in ``convert_layout.py``, which drives it) so that the
rules import it without an import cycle.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from xdsl.dialects.builtin import StringAttr
from xdsl.ir import Block, Operation, SSAValue
from xdsl.rewriter import InsertPoint, Rewriter

from relayout import layout as L
from relayout.dialects.nn import BatchFlattenOp, LayoutTransformOp, NNOp, ReshapeOp
from relayout.passes.layout_options import LayoutOptions
from relayout.passes.layout_state import Relayout, State

REASON = "reason"
"""The attribute on each transform convert-layout inserts that says why it is there."""

OpT = TypeVar("OpT", bound=Operation)
NNOpT = TypeVar("NNOpT", bound=NNOp)

Outcome = list[tuple[SSAValue, State | None]]
"""What a rule that converts an op returns: one ``(new value, state)`` per result."""


@dataclass
class Converter:
    """Rewrites one function body; layout rules call back into it."""

    options: LayoutOptions
    block: Block
    states: dict[SSAValue, tuple[SSAValue, State | None]] = field(default_factory=dict)
    memo: dict[tuple[SSAValue, str, str], SSAValue] = field(default_factory=dict)
    current: Operation | None = None

    # --- queries used by the rules -------------------------------------------------
    def state(self, value: SSAValue) -> State | None:
        return self.states.get(value, (value, None))[1]

    def new(self, value: SSAValue) -> SSAValue:
        return self.states.get(value, (value, None))[0]

    def relayout(self, value: SSAValue) -> Relayout | None:
        s = self.state(value)
        return s if isinstance(s, Relayout) else None

    def view(self, value: SSAValue, names: L.Layout) -> L.Layout | None:
        """The converted value's layout in a consumer's letters, or None if it has none."""
        s = self.state(value)
        if s is None:
            return names
        if isinstance(s, Relayout):
            try:
                return s.viewed_as(names)
            except ValueError:
                return None
        return None

    # --- building ------------------------------------------------------------------
    def insert(self, op: OpT) -> OpT:
        assert self.current is not None
        Rewriter.insert_op(op, InsertPoint.before(self.current))
        return op

    def rebuild(self, op: NNOpT, operands: Sequence[SSAValue], **overrides: object) -> NNOpT:
        props: dict[str, object] = {**op.properties, **overrides}
        new = type(op).make(*operands, **{k: v for k, v in props.items() if v is not None})
        new.result.name_hint = op.results[0].name_hint
        return self.insert(new)

    def transform(self, value: SSAValue, src: L.Layout, dst: L.Layout, reason: str) -> SSAValue:
        """A (memoised) transform of an already-converted value."""
        if src == dst:
            return value
        key = (value, str(src), str(dst))
        if key not in self.memo:
            op = LayoutTransformOp.make(value, src_layout=str(src), dst_layout=str(dst))
            op.attributes[REASON] = StringAttr(reason)
            self.memo[key] = self.insert(op).result
        return self.memo[key]

    def as_layout(
        self, value: SSAValue, names: L.Layout, want: L.Layout, reason: str
    ) -> SSAValue:
        """``value`` as a consumer needs it: ``names`` names its original axes, ``want``
        is the layout the consumer takes."""
        view = self.view(value, names)
        if view is None:
            return self.transform(self.original(value, reason), names, want, reason)
        return self.transform(self.new(value), view, want, reason)

    def original(self, value: SSAValue, reason: str) -> SSAValue:
        """``value`` in its original form, restored once per value."""
        s = self.state(value)
        new = self.new(value)
        if s is None:
            return new
        if isinstance(s, Relayout):
            return self.transform(new, s.cur, s.orig, reason)
        key = (new, "flattened", "original")
        if key not in self.memo:
            unflat = self.insert(ReshapeOp.make(new, newshape=s.cur_shape)).result
            orig = self.transform(unflat, s.inner.cur, s.inner.orig, reason)
            self.memo[key] = self.insert(BatchFlattenOp.make(orig)).result
        return self.memo[key]
