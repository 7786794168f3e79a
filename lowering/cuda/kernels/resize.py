"""`nn.resize2d`: one thread per output element, summing the taps of H and W that
dialects/nn/resize_taps.py computes at compile time, baked into the source as
`__device__` arrays next to the kernel (numbers only)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from relayout.dialects.nn import FusedOp, NNOp, Resize2DOp
from relayout.dialects.nn.base import shape_of
from relayout.dialects.nn.elementwise import c_float
from relayout.dialects.nn.resize_taps import Taps
from relayout.lowering.cuda.index import element, logical
from relayout.lowering.cuda.kernel import Kernel, per_element
from relayout.lowering.cuda.output import Output

_PER_LINE = 16


def _array(kind: str, name: str, values: Sequence[str]) -> str:
    rows = [", ".join(values[i:i + _PER_LINE]) for i in range(0, len(values), _PER_LINE)]
    body = "".join(f"  {row},\n" for row in rows)
    return f"__device__ const {kind} {name}[{len(values)}] = {{\n{body}}};\n"


def _tables(prefix: str, t: Taps) -> str:
    """Index and weight of each output index's taps, a zero weight ending the row, and
    where any lies outside the crop, the outside flags."""
    text = _array("int", f"{prefix}_index", [str(int(i)) for i in t.index.reshape(-1)])
    text += _array("float", f"{prefix}_weight", [c_float(w) for w in t.weight.reshape(-1)])
    if t.outside.any():
        text += _array("unsigned char", f"{prefix}_outside", [str(int(o)) for o in t.outside])
    return text


def lower(fused: FusedOp, name: str, out: Output) -> Kernel:
    (op,) = fused.ops
    assert isinstance(op, Resize2DOp)
    layout, shape = op.data_layout, shape_of(op.x)
    th, tw = op.taps()
    h, w = f"{name}_h", f"{name}_w"

    def compute(coords: Sequence[str]) -> tuple[list[str], str]:
        at = logical(layout, coords)
        load = f"in0[{element(layout, shape, {**at, 'H': 'ih', 'W': f'{w}_index[b]'})}]"
        lines = [
            f"const int oh = {at['H']}, ow = {at['W']};",
            "float acc = 0.0f;",
            f"for (int a = oh * {th.width}; a < (oh + 1) * {th.width}; ++a) {{",
            f"  const float wh = {h}_weight[a];",
            "  if (wh == 0.0f) break;",
            f"  const int ih = {h}_index[a];",
            "  float row = 0.0f;",
            f"  for (int b = ow * {tw.width}; b < (ow + 1) * {tw.width}; ++b) {{",
            f"    const float ww = {w}_weight[b];",
            "    if (ww == 0.0f) break;",
            f"    row += ww * {load};",
            "  }",
            "  acc += wh * row;",
            "}",
        ]
        flags = [f"{p}_outside[o{axis}]" for p, axis, t in ((h, "h", th), (w, "w", tw))
                 if t.outside.any()]
        if not flags:
            return lines, "acc"
        return lines, f"({' || '.join(flags)}) ? {c_float(op.extrapolation_value.value.data)} : acc"

    kernel = per_element(fused, name, out, compute)
    return replace(kernel, source=_tables(h, th) + _tables(w, tw) + kernel.source)


def flops(op: NNOp) -> int:
    """Per output element, a multiply and an add per tap of H times tap of W, and per tap
    of H one more of each (its row's weight)."""
    assert isinstance(op, Resize2DOp)
    th, tw = op.taps()
    taps_h, taps_w = int(np.count_nonzero(th.weight)), int(np.count_nonzero(tw.weight))
    e = op.extents()
    return 2 * e["N"] * e["C"] * (taps_h * taps_w + taps_h * len(tw.index))
