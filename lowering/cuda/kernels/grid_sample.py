"""`nn.grid_sample`: one thread per output element. It reads its (x, y) from the grid,
turns them into pixel places as the reference does (dialects/nn/grid_sample.py), finds
the taps of each axis and their weights, and sums the taps of H times W of its channel
through the layout algebra. Reflection folds places and taps with a `__device__`
function next to the kernel."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from math import prod

from xdsl.ir import BlockArgument

from relayout.dialects.nn import FusedOp, GridSampleOp, NNOp
from relayout.dialects.nn.base import shape_of
from relayout.dialects.nn.elementwise import c_float
from relayout.dialects.nn.grid_sample import CUBIC_A, OFFSETS, REACH
from relayout.lowering.cuda.index import element, logical, offset
from relayout.lowering.cuda.kernel import Kernel, per_element
from relayout.lowering.cuda.output import Output


def _reflect(name: str) -> str:
    """`reflect` of the reference; a NaN stays NaN, an infinity becomes NaN."""
    return (
        f"__device__ __forceinline__ float {name}(float x, float lo, float hi) {{\n"
        "  if (!(x < lo || x > hi)) return x;\n"
        "  const float span = hi - lo;\n"
        "  if (span == 0.0f) return lo;\n"
        "  const bool below = x < lo;\n"
        "  const float dist = below ? lo - x : x - hi;\n"
        "  const float turns = floorf(dist / span);\n"
        "  const float rest = dist - turns * span;\n"
        "  return below == (fmodf(turns, 2.0f) == 0.0f) ? lo + rest : hi - rest;\n"
        "}\n"
    )


def _plus(value: float) -> str:
    """``value`` as a float literal added to a term: `` + 3.0f``, `` - 6.0f``."""
    return f" - {c_float(-value)}" if value < 0 else f" + {c_float(value)}"


def _cubic(s: str, near: bool) -> str:
    """Keys' kernel at distance ``s``, within 1 (``near``) or from 1 to 2; the
    coefficients of dialects/nn/resize_taps.py `cubic`."""
    a = CUBIC_A
    if near:
        return f"(({c_float(a + 2)} * {s}{_plus(-(a + 3))}) * {s} * {s} + 1.0f)"
    return f"((({c_float(a)} * {s}{_plus(-5 * a)}) * {s}{_plus(8 * a)}) * {s}{_plus(-4 * a)})"


def _weights(method: str, t: str) -> list[str]:
    """The C weight of each tap of `OFFSETS`, from the place's fraction ``t``."""
    if method == "nearest":
        return ["1.0f"]
    if method == "bilinear":
        return [f"1.0f - {t}", t]
    return [_cubic(f"({t} + 1.0f)", False), _cubic(t, True), _cubic(f"(1.0f - {t})", True),
            _cubic(f"(2.0f - {t})", False)]


class _Axis:
    """The C of one axis: ``v`` is "x" (W, the grid's first value) or "y" (H)."""

    def __init__(self, op: GridSampleOp, v: str, extent: int, reflect: str) -> None:
        self.op, self.v, self.extent, self.reflect = op, v, extent, reflect
        self.lo, self.hi = op.bounds(extent)

    def place(self, g: str) -> list[str]:
        """The float place ``p<v>`` of grid value ``g``, inside by the padding mode."""
        op, p, d = self.op, f"p{self.v}", self.extent
        # __fmul_rn: a fused multiply-add would round (g + 1) * d - 1 once, not twice as
        # the reference does, and move nearest's ties.
        expr = (f"({g} + 1.0f) * 0.5f * {c_float(d - 1)}" if op.corners
                else f"(__fmul_rn({g} + 1.0f, {c_float(d)}) - 1.0f) * 0.5f")
        lines = [f"float {p} = {expr};"]
        if op.method.data == "nearest":
            lines.append(f"{p} = rintf({p});")
        lo, hi = c_float(self.lo), c_float(self.hi)
        if op.padding_mode.data == "border":
            lines.append(f"{p} = {p} < {lo} ? 0.0f : {p} > {hi} ? {c_float(d - 1)} : {p};")
        elif op.padding_mode.data == "reflection":
            lines.append(f"{p} = {self.reflect}({p}, {lo}, {hi});")
        return lines

    def taps(self) -> list[str]:
        """Arrays ``w<v>`` and ``i<v>`` of the taps' weights and indices (-1: reads 0)."""
        op, v, d, p = self.op, self.v, self.extent, f"p{self.v}"
        offsets = OFFSETS[op.method.data]
        lines = [
            f"{p} = fminf(fmaxf({p}, {c_float(-REACH)}), {c_float(d - 1 + REACH)});",
            f"const float left{v} = floorf({p});",
            f"const int first{v} = (int)left{v}{f' - {-offsets[0]}' if offsets[0] else ''};",
        ]
        if op.method.data != "nearest":
            lines.append(f"const float t{v} = {p} - left{v};")
        weights = _weights(op.method.data, f"t{v}")
        lines.append(f"const float w{v}[{len(weights)}] = {{{', '.join(weights)}}};")
        lines.append(f"int i{v}[{len(offsets)}];")
        lines.append(f"for (int k = 0; k < {len(offsets)}; ++k) {{")
        lines.append(f"  const int at = first{v} + k;")
        mode = op.padding_mode.data
        if mode == "zeros":
            lines.append(f"  i{v}[k] = at >= 0 && at < {d} ? at : -1;")
        elif mode == "border":
            lines.append(f"  i{v}[k] = min(max(at, 0), {d - 1});")
        else:
            lines.append(f"  i{v}[k] = (int){self.reflect}((float)at, {c_float(self.lo)}, "
                         f"{c_float(self.hi)});")
        lines.append("}")
        return lines


def lower(fused: FusedOp, name: str, out: Output) -> Kernel:
    (op,) = fused.ops
    assert isinstance(op, GridSampleOp)
    x, grid = op.x, op.grid
    assert isinstance(x, BlockArgument) and isinstance(grid, BlockArgument)
    layout, shape, e = op.data_layout, shape_of(x), op.extents()
    reflect = f"{name}_reflect"
    across, down = _Axis(op, "x", e["W"], reflect), _Axis(op, "y", e["H"], reflect)
    taps = len(OFFSETS[op.method.data])
    zeros = op.padding_mode.data == "zeros"

    def compute(coords: Sequence[str]) -> tuple[list[str], str]:
        at = logical(layout, coords)
        g = offset(shape_of(grid), [at["N"], at["H"], at["W"], "0"])
        load = f"in{x.index}[{element(layout, shape, {**at, 'H': 'iy[a]', 'W': 'ix[b]'})}]"
        lines = [
            f"const float* g = in{grid.index} + {g};",
            *across.place("g[0]"), *down.place("g[1]"),
            "const bool lost = isnan(px) || isnan(py);",
            *across.taps(), *down.taps(),
            "float acc = 0.0f;",
            f"for (int a = 0; a < {taps}; ++a) {{",
            *(["  if (iy[a] < 0) continue;"] if zeros else []),
            "  float row = 0.0f;",
            f"  for (int b = 0; b < {taps}; ++b) {{",
            *(["    if (ix[b] < 0) continue;"] if zeros else []),
            f"    row += wx[b] * {load};",
            "  }",
            "  acc += wy[a] * row;",
            "}",
        ]
        return lines, "lost ? NAN : acc"

    kernel = per_element(fused, name, out, compute)
    if op.padding_mode.data != "reflection":
        return kernel
    return replace(kernel, source=_reflect(reflect) + kernel.source)


def flops(op: NNOp) -> int:
    """Per output element, a multiply and an add per tap of H times tap of W, and per
    tap of H one more of each (its row's weight)."""
    assert isinstance(op, GridSampleOp)
    taps = len(OFFSETS[op.method.data])
    return 2 * (taps * taps + taps) * prod(shape_of(op.output))
