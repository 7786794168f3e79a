"""Ops with a `layout` property (pools, global pools, resize, lrn, grid_sample) take any
layout: they follow their producer, unless the user anchors their kind to a layout."""

from __future__ import annotations

from relayout import layout as L
from relayout.dialects.nn import LayoutOp
from relayout.passes.layout_rules.common import fits, state
from relayout.passes.layout_rules.converter import Converter, Outcome


def follow_or_anchor(op: LayoutOp, cv: Converter) -> Outcome | None:
    names = op.data_layout
    # `x` of every LayoutOp, which LayoutOp itself does not declare, comes first; the
    # operands after it (grid_sample's grid) have no N, C, H and W to follow.
    data, *rest = op.operands
    anchor = cv.options.anchors.get(type(op))
    target: L.Layout | None
    # As for conv2d, channels that do not fill whole blocks leave the op unanchored.
    if anchor is not None and fits(anchor, op.extents()):
        if anchor == names and cv.state(data) is None:
            return None
        x = cv.as_layout(data, names, anchor, f"{op.name} runs in {anchor}")
        target = anchor
    else:
        target = cv.view(data, names)
        # The op changes the extents of H and W, which need not fill whole blocks.
        if target is None or target == names or target.has_sub("H") or target.has_sub("W"):
            return None
        x = cv.new(data)
    kept = [cv.original(v, f"{op.name} reads operand {i} as it is")
            for i, v in enumerate(rest, 1)]
    return [(cv.rebuild(op, [x, *kept], layout=str(target)).result, state(names, target))]
