"""`nn.conv2d` with its fused epilogue, in any data, kernel and output layout.

Grouped and dense convolutions run as implicit GEMM (rows: output pixels n, p, q;
columns: output channels of the group; reduction: r, s, c with c innermost, which is
contiguous in NHWC data and in OHWI/HWIO weights). Depthwise convolutions, whose
reduction is only r x s, run one thread per output element instead. Every tensor is
addressed through the layout algebra, so blocked layouts take the same path, and so
does a layout transform fused in front of the conv (`prologue.py`): the data is then
read from the transform's source, in the source's layout.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from math import prod

from xdsl.ir import Operation

from relayout.dialects.nn import Conv2DOp, FusedOp, LayoutTransformOp, NNOp
from relayout.dialects.nn.base import ints, shape_of
from relayout.lowering.cuda import gemm
from relayout.lowering.cuda.epilogue import tail
from relayout.lowering.cuda.index import element, logical, physical, run_width
from relayout.lowering.cuda.kernel import Kernel, per_element
from relayout.lowering.cuda.output import Output
from relayout.lowering.cuda.precision import lower_gemm
from relayout.lowering.cuda.prologue import parts


class Geometry:
    """The numbers of one convolution, read from the op once; the data's layout and
    shape are those of ``source`` where a transform before the conv is fused into it."""

    def __init__(self, op: Conv2DOp, source: LayoutTransformOp | None = None) -> None:
        self.data_layout, self.kernel_layout, self.out_layout = op.layouts
        x, w = op.extents()
        self.x_shape, self.w_shape = shape_of(op.data), shape_of(op.weight)
        self.source = source
        if source is not None and source.dst == self.data_layout:
            self.data_layout, self.x_shape = source.src, shape_of(source.x)
            self.source = None
        self.out_shape = shape_of(op.output)
        self.H, self.W = x["H"], x["W"]
        self.R, self.S = w["H"], w["W"]
        self.G = op.group_count
        self.CG, self.KG = w["I"], w["O"] // self.G
        o = self.out_layout.logical_extents(self.out_shape)
        self.N, self.P, self.Q = x["N"], o["H"], o["W"]
        (self.SH, self.SW), (self.DH, self.DW) = ints(op.strides), ints(op.dilation)
        self.PT, self.PL = ints(op.padding)[:2]

    def data(self, n: str, c: str, h: str, w: str) -> str:
        at = {"N": n, "C": c, "H": h, "W": w}
        if self.source is None:
            return element(self.data_layout, self.x_shape, at)
        # The conv names the transform's result in its own data layout, which need not
        # be the transform's destination (a transform to NCWH read as NCHW): through
        # the result's physical coordinates back to the letters the source is stored by.
        moved = logical(self.source.dst, physical(self.data_layout, at))
        return element(self.source.src, shape_of(self.source.x), moved)

    def weight(self, o: str, i: str, r: str, s: str) -> str:
        return element(self.kernel_layout, self.w_shape, {"O": o, "I": i, "H": r, "W": s})

    def inside(self, h: str, w: str) -> str:
        return f"{h} >= 0 && {h} < {self.H} && {w} >= 0 && {w} < {self.W}"


def lower(fused: FusedOp, name: str, out: Output, precision: str) -> Kernel:
    group = parts(fused)
    conv = group.anchor
    assert isinstance(conv, Conv2DOp)
    geo = Geometry(conv, group.prologue)
    if geo.CG == 1 and geo.G > 1:
        return depthwise(fused, name, out, conv, geo, group.epilogue)
    return implicit_gemm(fused, name, out, conv, geo, precision, group.epilogue)


def _store(
    fused: FusedOp, out: Output, conv: Conv2DOp, geo: Geometry, epilogue: Sequence[Operation]
) -> Callable[[str, str, str], list[str]]:
    def store(acc: str, m: str, o: str) -> list[str]:
        pq = geo.P * geo.Q
        phys = physical(geo.out_layout, {"N": "on", "C": "oc", "H": "op", "W": "oq"})
        lines, value = tail(fused, out, epilogue, {conv.output: acc}, phys)
        return [
            f"const int on = {m} / {pq}, op = ({m} % {pq}) / {geo.Q}, oq = {m} % {geo.Q};",
            f"const int oc = g * {geo.KG} + {o};",
            *lines,
            f"out[{out.at(phys)}] = {value};",
        ]

    return store


def implicit_gemm(
    fused: FusedOp, name: str, out: Output, conv: Conv2DOp, geo: Geometry, precision: str,
    epilogue: Sequence[Operation],
) -> Kernel:
    pq = geo.P * geo.Q
    # OHWI weights run along the reduction (kk ends in c); HWIO ones along o.
    b_along_k = geo.kernel_layout.axes[-1].letter == "I"
    problem = gemm.Problem(
        m=geo.N * pq,
        n=geo.KG,
        k=geo.R * geo.S * geo.CG,
        groups=geo.G,
        row_setup=lambda m: [
            ("an", f"{m} / {pq}"),
            ("ah", f"(({m} % {pq}) / {geo.Q}) * {geo.SH} - {geo.PT}"),
            ("aw", f"({m} % {geo.Q}) * {geo.SW} - {geo.PL}"),
        ],
        k_split=lambda kk: [
            (f"const int c = {kk} % {geo.CG}, r = {kk} / {geo.CG} / {geo.S}, "
            f"s = {kk} / {geo.CG} % {geo.S};")
        ],
        a_element=lambda v: (
            geo.inside(f"({v['ah']} + r * {geo.DH})", f"({v['aw']} + s * {geo.DW})"),
            geo.data(
                v["an"], f"g * {geo.CG} + c", f"{v['ah']} + r * {geo.DH}",
                f"{v['aw']} + s * {geo.DW}",
            ),
        ),
        b_offset=lambda o: geo.weight(f"g * {geo.KG} + {o}", "c", "r", "s"),
        store=_store(fused, out, conv, geo, epilogue),
        # Through a transform the conv's layout does not match, no run of C is known.
        a_width=run_width(geo.data_layout, "C", geo.CG) if geo.source is None else 1,
        b_width=run_width(geo.kernel_layout, *(("I", geo.CG) if b_along_k else ("O", geo.KG))),
        b_along_k=b_along_k,
    )
    return lower_gemm(fused, name, out, problem, precision)


def depthwise(
    fused: FusedOp, name: str, out: Output, conv: Conv2DOp, geo: Geometry,
    epilogue: Sequence[Operation],
) -> Kernel:
    def compute(coords: Sequence[str]) -> tuple[list[str], str]:
        at = logical(geo.out_layout, coords)
        h = f"p * {geo.SH} - {geo.PT} + r * {geo.DH}"
        w = f"q * {geo.SW} - {geo.PL} + s * {geo.DW}"
        lines, value = tail(fused, out, epilogue, {conv.output: "acc"}, coords)
        return [
            f"const int n = {at['N']}, k = {at['C']}, p = {at['H']}, q = {at['W']};",
            f"const int g = k / {geo.KG};",
            "float acc = 0.0f;",
            f"for (int r = 0; r < {geo.R}; ++r) {{",
            f"  const int h = {h};",
            f"  if (h < 0 || h >= {geo.H}) continue;",
            f"  for (int s = 0; s < {geo.S}; ++s) {{",
            f"    const int w = {w};",
            f"    if (w < 0 || w >= {geo.W}) continue;",
            (f"    acc = fmaf(in0[{geo.data('n', 'g', 'h', 'w')}], "
            f"in1[{geo.weight('k', '0', 'r', 's')}], acc);"),
            "  }",
            "}",
            *lines,
        ], value

    return per_element(fused, name, out, compute)


def flops(op: NNOp) -> int:
    """2 N K P Q (C / groups) R S: a multiply and an add per tap of each output."""
    assert isinstance(op, Conv2DOp)
    _, w = op.extents()
    return 2 * prod(shape_of(op.output)) * w["I"] * w["H"] * w["W"]
