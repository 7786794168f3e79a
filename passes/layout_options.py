"""The options of `convert-layout`, checked once, with clear errors for bad ones."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from xdsl.dialects import func
from xdsl.utils.exceptions import PassFailedException

from relayout import layout as L
from relayout.dialects.nn import (
    AvgPool2DOp,
    Conv2DOp,
    GlobalAvgPool2DOp,
    GlobalMaxPool2DOp,
    LayoutOp,
    MaxPool2DOp,
    Resize2DOp,
)

if TYPE_CHECKING:
    from relayout.passes.convert_layout import ConvertLayoutPass

# Option name -> op kind whose `layout` property the option anchors.
LAYOUT_ANCHORS: dict[str, type[LayoutOp]] = {
    "max_pool2d": MaxPool2DOp,
    "avg_pool2d": AvgPool2DOp,
    "global_avg_pool2d": GlobalAvgPool2DOp,
    "global_max_pool2d": GlobalMaxPool2DOp,
    "resize2d": Resize2DOp,
}


def fail(message: str) -> PassFailedException:
    return PassFailedException(f"convert-layout: {message}")


def parse_layout(text: str, option: str, primal: str) -> L.Layout:
    try:
        layout = L.parse(text)
    except L.LayoutError as e:
        raise fail(f"option {option}={text}: {e}") from None
    if sorted(layout.primal) != sorted(primal):
        raise fail(f"option {option}={text}: the layout must have the axes {primal}")
    return layout


@dataclass(frozen=True)
class LayoutOptions:
    conv2d_data: L.Layout | None = None
    conv2d_kernel: L.Layout | None = None
    """None means `default`: chosen per conv (see `kernel_layout_for`)."""
    anchors: dict[type[LayoutOp], L.Layout] = field(default_factory=dict)
    io_layout: L.Layout | None = None
    source: L.Layout | None = None
    """The layout the function's inputs and outputs have before conversion (io-layout)."""

    @staticmethod
    def from_pass(p: ConvertLayoutPass) -> LayoutOptions:
        data: L.Layout | None = None
        kernel: L.Layout | None = None
        if p.conv2d:
            if len(p.conv2d) not in (1, 2):
                raise fail(f"option conv2d={','.join(p.conv2d)}: expected DATA or DATA,KERNEL")
            data = parse_layout(p.conv2d[0], "conv2d", "NCHW")
            if len(p.conv2d) == 2 and p.conv2d[1] != "default":
                kernel = parse_layout(p.conv2d[1], "conv2d", "OIHW")
            elif default_kernel(data, depthwise=False) is None:
                raise fail(
                    f"option conv2d={data}: no default kernel layout for {data}; name one, "
                    "e.g. conv2d=NHWC,HWIO"
                )
        anchors = {
            op: parse_layout(getattr(p, name), name, "NCHW")
            for name, op in LAYOUT_ANCHORS.items()
            if getattr(p, name)
        }
        io = parse_layout(p.io_layout, "io-layout", "NCHW") if p.io_layout else None
        return LayoutOptions(data, kernel, anchors, io)

    def bind(self, function: func.FuncOp) -> LayoutOptions:
        """Fix the source layout of this function's inputs (only io-layout needs it)."""
        if self.io_layout is None:
            return self
        layouts = {
            op.data_layout.data for op in function.walk() if isinstance(op, Conv2DOp)
        }
        if len(layouts) != 1:
            raise fail(
                f"io-layout needs the convolutions of @{function.sym_name.data} to share one "
                f"data layout, found {sorted(layouts) or 'none'}"
            )
        return replace(self, source=L.parse(layouts.pop()))

    def kernel_layout_for(self, data: L.Layout, depthwise: bool) -> L.Layout | None:
        return self.conv2d_kernel or default_kernel(data, depthwise)


def default_kernel(data: L.Layout, depthwise: bool) -> L.Layout | None:
    """TVM's defaults: OIHW for NCHW, HWIO for NHWC (HWOI when depthwise), and
    OIHW{k}i{k}o for NCHW{k}c (1i when depthwise: one input channel per group)."""
    text = str(data)
    if text == "NCHW":
        return L.parse("OIHW")
    if text == "NHWC":
        return L.parse("HWOI" if depthwise else "HWIO")
    if data.primal == "NCHW" and str(data.drop("C")) == "NHW" and data.has_sub("C"):
        k = data.factor_of("C")
        return L.parse(f"OIHW{1 if depthwise else k}i{k}o")
    return None
