"""deform_conv2d is anchored like conv2d: it runs in conv2d's data layout, its offset and
mask beside its data (in a DCN they come from a conv of the same input, so they are in
that layout already), its weight OIHW whatever the data. A blocked target keeps the op
in its layout: the offset's channels (offset groups x taps x 2) rarely fill a block."""

from __future__ import annotations

from relayout.dialects.nn import DeformConv2DOp
from relayout.passes.layout_rules.common import state
from relayout.passes.layout_rules.converter import Converter, Outcome


def convert(op: DeformConv2DOp, cv: Converter) -> Outcome | None:
    target, old = cv.options.conv2d_data, op.layout
    if target is None or target.is_blocked or target == old:
        return None
    reason = f"nn.deform_conv2d runs in {target}"
    data, offset, *mask = (
        cv.as_layout(v, old, target, reason) for v in (op.data, op.offset, *op.operands[3:])
    )
    weight = cv.original(op.weight, "weight of nn.deform_conv2d in OIHW")
    new = cv.rebuild(op, [data, weight, offset, *mask], data_layout=str(target))
    return [(new.result, state(old, target))]
