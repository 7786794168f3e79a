"""`nn.deform_conv2d` with its fused epilogue, in any data layout: one thread per output
element walks its taps; for each offset group that shares input channels with its conv
group it reads the tap's offset (and mask), tests the point against the image in float
before it becomes an int (an offset of any size, or NaN, reads nothing), and sums the
bilinear samples of those channels times the weight."""

from __future__ import annotations

from collections.abc import Sequence
from math import prod

from xdsl.ir import BlockArgument, SSAValue

from relayout.dialects.nn import DeformConv2DOp, FusedOp, NNOp
from relayout.dialects.nn.base import ints, shape_of
from relayout.lowering.cuda.epilogue import tail
from relayout.lowering.cuda.index import element, logical
from relayout.lowering.cuda.kernel import Kernel, per_element
from relayout.lowering.cuda.output import Output


def _param(value: SSAValue) -> str:
    """The kernel parameter that holds operand ``value`` (a block argument)."""
    assert isinstance(value, BlockArgument)
    return f"in{value.index}"


def lower(fused: FusedOp, name: str, out: Output) -> Kernel:
    op = fused.ops[0]
    assert isinstance(op, DeformConv2DOp)
    layout, ext = op.layout, op.extents("data")
    o, cpg, kh, kw = op.kernel()
    cpo = ext["C"] // op.offset_group_count
    (sh, sw), (dh, dw) = ints(op.strides), ints(op.dilation)
    top, left = ints(op.padding)[:2]
    data, weight, offset = _param(op.data), _param(op.weight), _param(op.offset)
    x_shape, off_shape = shape_of(op.data), shape_of(op.offset)

    def load(param: str, shape: Sequence[int], c: str, h: str, w: str) -> str:
        return f"{param}[{element(layout, shape, {'N': 'n', 'C': c, 'H': h, 'W': w})}]"

    def corner(ok: str, weight_var: str, h: str, w: str) -> str:
        return f"if ({ok}) sample += {weight_var} * {load(data, x_shape, 'ic', h, w)};"

    if op.mask is None:
        scaled = "sample"
        mask_line = []
    else:
        scaled = "sample * m"
        mask_line = [f"const float m = {load(_param(op.mask), shape_of(op.mask), 't', 'p', 'q')};"]

    def compute(coords: Sequence[str]) -> tuple[list[str], str]:
        at = logical(layout, coords)
        lines, value = tail(fused, out, fused.ops[1:], {op.output: "acc"}, coords)
        w_index = f"((k * {cpg} + ic - first) * {kh} + r) * {kw} + s"
        dy, dx = (load(offset, off_shape, c, "p", "q") for c in ("2 * t", "2 * t + 1"))
        per_group = [
            f"const int t = (dg * {kh} + r) * {kw} + s;",
            f"const float y = (float)(p * {sh} - {top} + r * {dh}) + {dy};",
            f"const float x = (float)(q * {sw} - {left} + s * {dw}) + {dx};",
            f"if (!(y > -1.0f && y < {ext['H']} && x > -1.0f && x < {ext['W']})) continue;",
            *mask_line,
            "const int y0 = (int)floorf(y), x0 = (int)floorf(x);",
            "const float ly = y - (float)y0, lx = x - (float)x0;",
            "const float hy = 1.0f - ly, hx = 1.0f - lx;",
            "const float w00 = hy * hx, w01 = hy * lx, w10 = ly * hx, w11 = ly * lx;",
            f"const bool up = y0 >= 0, down = y0 + 1 < {ext['H']};",
            f"const bool lt = x0 >= 0, rt = x0 + 1 < {ext['W']};",
            f"const int c_end = min(last, (dg + 1) * {cpo});",
            f"for (int ic = max(first, dg * {cpo}); ic < c_end; ++ic) {{",
            "  float sample = 0.0f;",
            f"  {corner('up && lt', 'w00', 'y0', 'x0')}",
            f"  {corner('up && rt', 'w01', 'y0', 'x0 + 1')}",
            f"  {corner('down && lt', 'w10', 'y0 + 1', 'x0')}",
            f"  {corner('down && rt', 'w11', 'y0 + 1', 'x0 + 1')}",
            f"  acc = fmaf({weight}[{w_index}], {scaled}, acc);",
            "}",
        ]
        return [
            f"const int n = {at['N']}, k = {at['C']}, p = {at['H']}, q = {at['W']};",
            # The conv group's input channels, and the offset groups they fall in.
            f"const int first = k / {o // op.group_count} * {cpg}, last = first + {cpg};",
            "float acc = 0.0f;",
            f"for (int r = 0; r < {kh}; ++r) {{",
            f"  for (int s = 0; s < {kw}; ++s) {{",
            f"    for (int dg = first / {cpo}; dg <= (last - 1) / {cpo}; ++dg) {{",
            *("      " + line for line in per_group),
            "    }",
            "  }",
            "}",
            *lines,
        ], value

    return per_element(fused, name, out, compute)


def flops(op: NNOp) -> int:
    """Per output element, tap and input channel of its group: the bilinear sample (4
    multiplies, 3 adds), the mask's multiply and the multiply-add with the weight."""
    assert isinstance(op, DeformConv2DOp)
    _, cpg, kh, kw = op.kernel()
    return 10 * prod(shape_of(op.output)) * cpg * kh * kw
