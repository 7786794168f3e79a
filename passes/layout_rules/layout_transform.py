"""A layout_transform already in the program is absorbed into the state of its input:
its output is the converted input, relabelled, and costs nothing."""

from __future__ import annotations

from relayout.dialects.nn import LayoutTransformOp
from relayout.passes.layout_rules.common import state
from relayout.passes.layout_rules.converter import Converter, Outcome


def absorb(op: LayoutTransformOp, cv: Converter) -> Outcome | None:
    if cv.state(op.x) is None:
        return None
    view = cv.view(op.x, op.src)
    if view is None:
        return None
    return [(cv.new(op.x), state(op.dst, view))]
