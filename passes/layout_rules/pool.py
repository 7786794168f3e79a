"""Ops with a `layout` property (pools, global pools, resize) take any layout: they
follow their producer, unless the user anchors their kind to a layout."""

from __future__ import annotations

from relayout.dialects.nn import LayoutOp
from relayout.passes.layout_rules.common import fits, state


def follow_or_anchor(op: LayoutOp, cv):
    names = op.data_layout
    anchor = cv.options.anchors.get(type(op))
    # As for conv2d, channels that do not fill whole blocks leave the op unanchored.
    if anchor is not None and fits(anchor, op.extents()):
        if anchor == names and cv.state(op.x) is None:
            return None
        x = cv.as_layout(op.x, names, anchor, f"{op.name} runs in {anchor}")
        target = anchor
    else:
        target = cv.view(op.x, names)
        # The op changes the extents of H and W, which need not fill whole blocks.
        if target is None or target == names or target.has_sub("H") or target.has_sub("W"):
            return None
        x = cv.new(op.x)
    return [(cv.rebuild(op, [x], layout=str(target)).result, state(names, target))]
