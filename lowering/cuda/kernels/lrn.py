"""`nn.lrn` in any layout with N, C, H, W (blocked too): one thread per output element,
summing squares over its channel window through the layout algebra (in NHWC the window
is a run of adjacent floats)."""

from __future__ import annotations

from collections.abc import Sequence
from math import prod

from relayout.dialects.nn import FusedOp, LRNOp, NNOp
from relayout.dialects.nn.base import shape_of
from relayout.dialects.nn.elementwise import c_float
from relayout.lowering.cuda.index import element, logical
from relayout.lowering.cuda.kernel import Kernel, per_element
from relayout.lowering.cuda.output import Output


def lower(fused: FusedOp, name: str, out: Output) -> Kernel:
    (op,) = fused.ops
    assert isinstance(op, LRNOp)
    layout, shape, channels = op.data_layout, shape_of(op.x), op.extents()["C"]
    before, after = op.window

    def compute(coords: Sequence[str]) -> tuple[list[str], str]:
        at = logical(layout, coords)
        load = f"in0[{element(layout, shape, {**at, 'C': 't'})}]"
        # The window's ends clipped without forming c + after, which may pass INT_MAX.
        lines = [
            f"const int c = {at['C']};",
            f"const int first = c > {before} ? c - {before} : 0;",
            f"const int last = c < {channels - 1 - after} ? c + {after} : {channels - 1};",
            "float sum = 0.0f;",
            "for (int t = first; t <= last; ++t) {",
            f"  const float v = {load};",
            "  sum += v * v;",
            "}",
        ]
        base = f"{c_float(op.bias.value.data)} + {c_float(op.scale)} * sum"
        return lines, f"in0[i] * powf({base}, {c_float(-op.beta.value.data)})"

    return per_element(fused, name, out, compute)


def flops(op: NNOp) -> int:
    """Per element: a multiply and an add per channel of the window, then the scale,
    the bias, the power and the product with x."""
    assert isinstance(op, LRNOp)
    return (2 * op.size.value.data + 4) * prod(shape_of(op.output))
