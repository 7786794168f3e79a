"""Data rearrangements: transpose and pad (gathers). Reshape and batch_flatten have no
kernel: they move nothing, and the plan aliases their result (`plan.is_alias`)."""

from __future__ import annotations

from collections.abc import Sequence

from relayout.dialects.nn import FusedOp, PadOp, TransposeOp
from relayout.dialects.nn.base import ints, shape_of
from relayout.dialects.nn.elementwise import c_float
from relayout.lowering.cuda.index import offset
from relayout.lowering.cuda.kernel import Kernel, per_element
from relayout.lowering.cuda.output import Output


def lower_transpose(fused: FusedOp, name: str, out: Output) -> Kernel:
    (op,) = fused.ops
    assert isinstance(op, TransposeOp)
    axes, shape = ints(op.axes), shape_of(op.x)

    def compute(coords: Sequence[str]) -> tuple[list[str], str]:
        src = [coords[axes.index(i)] for i in range(len(shape))]
        return [], f"in0[{offset(shape, src)}]"

    return per_element(fused, name, out, compute)


def _pad_source(coord: str, before: int, extent: int, mode: str) -> str:
    """The input coordinate that output coordinate ``coord`` reads in a non-constant mode
    (the shape rule keeps reflect within one mirror)."""
    if mode == "wrap":
        # A whole number of periods added first keeps C's % away from negative operands.
        shift = -before % extent
        return f"(({coord} + {shift}) % {extent})"
    t = f"({coord} - {before})"
    if mode == "edge":
        return f"({t} < 0 ? 0 : {t} > {extent - 1} ? {extent - 1} : {t})"
    assert mode == "reflect"
    return f"({t} < 0 ? -{t} : {t} > {extent - 1} ? {2 * (extent - 1)} - {t} : {t})"


def lower_pad(fused: FusedOp, name: str, out: Output) -> Kernel:
    (op,) = fused.ops
    assert isinstance(op, PadOp)
    shape, mode = shape_of(op.x), op.mode.data

    def compute(coords: Sequence[str]) -> tuple[list[str], str]:
        if mode != "constant":
            src = [c if pair == (0, 0) else _pad_source(c, pair[0], e, mode)
                   for c, pair, e in zip(coords, op.pairs(), shape)]
            return [], f"in0[{offset(shape, src)}]"
        src = [f"({c} - {before})" for c, (before, _) in zip(coords, op.pairs())]
        inside = " && ".join(f"{s} >= 0 && {s} < {e}" for s, e in zip(src, shape)) or "true"
        return [], f"({inside}) ? in0[{offset(shape, src)}] : {c_float(op.pad_value.value.data)}"

    return per_element(fused, name, out, compute)
