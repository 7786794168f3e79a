"""conv2d_transpose is anchored like conv2d: it runs in conv2d's data layout, its weight
in the matching kernel layout (IOHW for NCHW, HWIO for NHWC, as TVM's defaults), and the
weight's transform folds away at compile time."""

from __future__ import annotations

from relayout import layout as L
from relayout.dialects.nn import Conv2DTransposeOp
from relayout.passes.layout_rules.common import state
from relayout.passes.layout_rules.converter import Converter, Outcome

KERNEL_LAYOUTS = {"NCHW": "IOHW", "NHWC": "HWIO"}
"""The kernel layout for each data layout that conv2d_transpose takes; a blocked one
keeps the op in its layout (no kernel is written for blocked weights yet)."""


def convert(op: Conv2DTransposeOp, cv: Converter) -> Outcome | None:
    data = cv.options.conv2d_data
    if data is None or str(data) not in KERNEL_LAYOUTS:
        return None
    kernel = L.parse(KERNEL_LAYOUTS[str(data)])
    old_data, old_kernel = op.layouts
    if (data, kernel) == (old_data, old_kernel):
        return None
    new = cv.rebuild(
        op,
        [
            cv.as_layout(op.data, old_data, data, f"nn.conv2d_transpose runs in {data}"),
            cv.as_layout(op.weight, old_kernel, kernel,
                         f"weight of nn.conv2d_transpose in {kernel}"),
        ],
        data_layout=str(data),
        kernel_layout=str(kernel),
    )
    return [(new.result, state(old_data, data))]
