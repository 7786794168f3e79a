"""Data rearrangements: reshape and batch_flatten (a copy in row-major order),
transpose and pad (gathers)."""

from __future__ import annotations

from collections.abc import Sequence

from relayout.dialects.nn import FusedOp, PadOp, TransposeOp
from relayout.dialects.nn.base import ints, shape_of
from relayout.dialects.nn.elementwise import c_float
from relayout.lowering.cuda.index import offset
from relayout.lowering.cuda.kernel import Kernel, per_element


def lower_copy(fused: FusedOp, name: str) -> Kernel:
    return per_element(fused, name, lambda coords: ([], "in0[i]"))


def lower_transpose(fused: FusedOp, name: str) -> Kernel:
    (op,) = fused.ops
    assert isinstance(op, TransposeOp)
    axes, shape = ints(op.axes), shape_of(op.x)

    def compute(coords: Sequence[str]) -> tuple[list[str], str]:
        src = [coords[axes.index(i)] for i in range(len(shape))]
        return [], f"in0[{offset(shape, src)}]"

    return per_element(fused, name, compute)


def lower_pad(fused: FusedOp, name: str) -> Kernel:
    (op,) = fused.ops
    assert isinstance(op, PadOp)
    shape = shape_of(op.x)

    def compute(coords: Sequence[str]) -> tuple[list[str], str]:
        src = [f"({c} - {before})" for c, (before, _) in zip(coords, op.pairs())]
        inside = " && ".join(f"{s} >= 0 && {s} < {e}" for s, e in zip(src, shape)) or "true"
        return [], f"({inside}) ? in0[{offset(shape, src)}] : {c_float(op.pad_value.value.data)}"

    return per_element(fused, name, compute)
