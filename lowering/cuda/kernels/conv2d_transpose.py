"""`nn.conv2d_transpose` with its fused epilogue, in any data and kernel layout: one
thread per output element gathers the input pixels whose taps land on it (those where
``out + pad - tap * dilation`` is a whole multiple of the stride inside the input), so
no two threads write one element and no atomics are needed."""

from __future__ import annotations

from collections.abc import Sequence
from math import prod

from relayout.dialects.nn import Conv2DTransposeOp, FusedOp, NNOp
from relayout.dialects.nn.base import ints, shape_of
from relayout.lowering.cuda.epilogue import tail
from relayout.lowering.cuda.index import element, logical
from relayout.lowering.cuda.kernel import Kernel, per_element
from relayout.lowering.cuda.output import Output


def lower(fused: FusedOp, name: str, out: Output) -> Kernel:
    op = fused.ops[0]
    assert isinstance(op, Conv2DTransposeOp)
    data, kernel = op.layouts
    x, w = op.extents()
    x_shape, w_shape = shape_of(op.data), shape_of(op.weight)
    cg, og = x["C"] // op.group_count, w["O"]
    (sh, sw), (dh, dw) = ints(op.strides), ints(op.dilation)
    top, left = ints(op.padding)[:2]

    def axis(out: str, pad: int, tap: str, dil: int, stride: int, size: int, name: str) -> list[str]:
        """``name`` the input row (or column) tap ``tap`` reads, or ``continue``; a
        negative numerator is skipped first, where C's ``%`` and ``/`` would truncate."""
        return [
            f"const int {name}s = {out} + {pad} - {tap} * {dil};",
            f"if ({name}s < 0 || {name}s % {stride}) continue;",
            f"const int {name} = {name}s / {stride};",
            f"if ({name} >= {size}) continue;",
        ]

    def compute(coords: Sequence[str]) -> tuple[list[str], str]:
        at = logical(data, coords)
        lines, value = tail(fused, out, fused.ops[1:], {op.output: "acc"}, coords)
        load_x = element(data, x_shape, {"N": "n", "C": "ic", "H": "h", "W": "w"})
        load_w = element(kernel, w_shape, {"I": "ic", "O": "o", "H": "r", "W": "s"})
        return [
            f"const int n = {at['N']}, k = {at['C']}, p = {at['H']}, q = {at['W']};",
            f"const int g = k / {og}, o = k % {og};",
            "float acc = 0.0f;",
            f"for (int r = 0; r < {w['H']}; ++r) {{",
            *("  " + line for line in axis("p", top, "r", dh, sh, x["H"], "h")),
            f"  for (int s = 0; s < {w['W']}; ++s) {{",
            *("    " + line for line in axis("q", left, "s", dw, sw, x["W"], "w")),
            f"    for (int c = 0; c < {cg}; ++c) {{",
            f"      const int ic = g * {cg} + c;",
            f"      acc = fmaf(in0[{load_x}], in1[{load_w}], acc);",
            "    }",
            "  }",
            "}",
            *lines,
        ], value

    return per_element(fused, name, out, compute)


def flops(op: NNOp) -> int:
    """A multiply and an add per tap that each input element scatters: 2 N C H W
    (K / groups) R S."""
    assert isinstance(op, Conv2DTransposeOp)
    _, w = op.extents()
    return 2 * prod(shape_of(op.data)) * w["O"] * w["H"] * w["W"]
