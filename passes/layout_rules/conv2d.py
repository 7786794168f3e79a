"""conv2d is the anchor: it runs in the layout the user names, weights included (their
transforms fold away at compile time)."""

from __future__ import annotations

from relayout.dialects.nn import Conv2DOp
from relayout.passes.layout_rules.common import fits, state
from relayout.passes.layout_rules.converter import Converter, Outcome


def convert(op: Conv2DOp, cv: Converter) -> Outcome | None:
    data = cv.options.conv2d_data
    if data is None:
        return None
    old_data, old_kernel, old_out = op.layouts
    x, w = op.extents()
    depthwise = op.group_count == x["C"] and op.group_count > 1
    kernel = cv.options.kernel_layout_for(data, depthwise)
    assert kernel is not None, "LayoutOptions.from_pass refuses a data layout without one"
    if not (fits(data, x) and fits(kernel, w) and fits(data, {**x, "C": w["O"]})):
        # As TVM: a conv whose channels do not divide the block (the RGB stem) stays.
        return None
    if (data, kernel, old_out) == (old_data, old_kernel, data):
        return None
    why = f"nn.conv2d runs in {data}"
    new = cv.rebuild(
        op,
        [
            cv.as_layout(op.data, old_data, data, why),
            cv.as_layout(op.weight, old_kernel, kernel, f"weight of nn.conv2d in {kernel}"),
        ],
        data_layout=str(data),
        kernel_layout=str(kernel),
        out_layout=None,
    )
    return [(new.result, state(old_out, data))]
