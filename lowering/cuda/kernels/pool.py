"""Pools in any layout with N, C, H, W (blocked too): one thread per output element,
walking its window through the layout algebra."""

from __future__ import annotations

from collections.abc import Sequence
from math import prod

from relayout.dialects.nn import (
    AvgPool2DOp,
    FusedOp,
    GlobalAvgPool2DOp,
    GlobalPool2DOp,
    LpPool2DOp,
    NNOp,
    Pool2DOp,
)
from relayout.dialects.nn.base import ints, shape_of
from relayout.lowering.cuda.index import logical, physical
from relayout.lowering.cuda.kernel import Kernel, per_element
from relayout.lowering.cuda.output import Output


def lower(fused: FusedOp, name: str, out: Output) -> Kernel:
    (op,) = fused.ops
    assert isinstance(op, Pool2DOp)
    layout, shape, e = op.data_layout, shape_of(op.x), op.extents()
    (kh, kw), (sh, sw), (dh, dw) = ints(op.pool_size), ints(op.strides), ints(op.dilation)
    pt, pl, pb, pr = ints(op.padding)
    is_avg = isinstance(op, AvgPool2DOp)
    order = op.order if isinstance(op, LpPool2DOp) else None
    # Padding the user asked for counts when count_include_pad; a ceil-mode tail never.
    if isinstance(op, AvgPool2DOp) and op.count_include_pad.value.data:
        counted = f"h < {e['H'] + pb} && w < {e['W'] + pr}"
    else:
        counted = "inside"

    # The input may be a slice of a concat's buffer (a UNet's skip, pooled and
    # concatenated later): its windows are read where it lies.
    source = out.operand(0, shape)

    def compute(coords: Sequence[str]) -> tuple[list[str], str]:
        at = logical(layout, coords)
        load = f"in0[{source.at(physical(layout, {**at, 'H': 'h', 'W': 'w'}))}]"
        if is_avg:
            step = [f"if (inside) acc += {load};", f"if ({counted}) ++count;"]
        elif order is not None:
            step = [f"if (inside) {{ const float a = fabsf({load}); acc += {_power('a', order)}; }}"]
        else:
            step = [f"if (inside) acc = fmaxf(acc, {load});"]
        lines = [
            f"float acc = {'-INFINITY' if order is None and not is_avg else '0.0f'};",
            "int count = 0;",
            f"for (int r = 0; r < {kh}; ++r) {{",
            f"  const int h = {at['H']} * {sh} - {pt} + r * {dh};",
            f"  for (int s = 0; s < {kw}; ++s) {{",
            f"    const int w = {at['W']} * {sw} - {pl} + s * {dw};",
            f"    const bool inside = h >= 0 && h < {e['H']} && w >= 0 && w < {e['W']};",
            *("    " + line for line in step),
            "  }",
            "}",
        ]
        if order is not None:
            return lines, _root("acc", order)
        return lines, "acc / (float)count" if is_avg else "acc"

    return per_element(fused, name, out, compute)


def _power(x: str, order: int) -> str:
    """``x`` (a variable, not negative) to the ``order``: products for the common ones."""
    return x if order == 1 else f"{x} * {x}" if order == 2 else f"powf({x}, {order}.0f)"


def _root(x: str, order: int) -> str:
    return x if order == 1 else f"sqrtf({x})" if order == 2 else f"powf({x}, 1.0f / {order})"


def lower_global(fused: FusedOp, name: str, out: Output) -> Kernel:
    (op,) = fused.ops
    assert isinstance(op, GlobalPool2DOp)
    layout, shape, e = op.data_layout, shape_of(op.x), op.extents()
    is_avg = isinstance(op, GlobalAvgPool2DOp)

    # The input may be a slice of a concat's buffer (a UNet's skip, pooled and
    # concatenated later): its windows are read where it lies.
    source = out.operand(0, shape)

    def compute(coords: Sequence[str]) -> tuple[list[str], str]:
        at = logical(layout, coords)
        load = f"in0[{source.at(physical(layout, {**at, 'H': 'h', 'W': 'w'}))}]"
        lines = [
            f"float acc = {'0.0f' if is_avg else '-INFINITY'};",
            f"for (int h = 0; h < {e['H']}; ++h)",
            f"  for (int w = 0; w < {e['W']}; ++w)",
            f"    acc = {'acc + ' + load if is_avg else f'fmaxf(acc, {load})'};",
        ]
        return lines, f"acc / {e['H'] * e['W']}.0f" if is_avg else "acc"

    return per_element(fused, name, out, compute)


def flops(op: NNOp) -> int:
    """One max or add per window tap of each output."""
    assert isinstance(op, Pool2DOp)
    kh, kw = ints(op.pool_size)
    return prod(shape_of(op.output)) * kh * kw


def flops_global(op: NNOp) -> int:
    """One max or add per input element."""
    assert isinstance(op, GlobalPool2DOp)
    return prod(shape_of(op.x))
