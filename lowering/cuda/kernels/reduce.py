"""Reductions: `nn.mean`, `nn.softmax` and `nn.log_softmax`, one thread per output element looping over
the reduced extent (these ops are small in conv nets: heads and pooled features)."""

from __future__ import annotations

from collections.abc import Sequence
from math import prod

from relayout.dialects.nn import FusedOp, MeanOp, NNOp, SoftmaxBaseOp
from relayout.dialects.nn.base import shape_of
from relayout.lowering.cuda.index import offset, unravel
from relayout.lowering.cuda.kernel import Kernel, per_element
from relayout.lowering.cuda.output import Output


def lower_mean(fused: FusedOp, name: str, out: Output) -> Kernel:
    (op,) = fused.ops
    assert isinstance(op, MeanOp)
    shape, reduced = shape_of(op.x), op.reduced
    keep = bool(op.keepdims.value.data)
    red_shape = [shape[a] for a in reduced]

    def compute(coords: Sequence[str]) -> tuple[list[str], str]:
        loop_lines, red = unravel("t", red_shape, "t")
        # Without keepdims the output coordinates are those of the kept axes only.
        kept = iter(coords)
        src = [
            red[reduced.index(i)] if i in reduced else coords[i] if keep else next(kept)
            for i in range(len(shape))
        ]
        lines = [
            "float acc = 0.0f;",
            f"for (int t = 0; t < {prod(red_shape)}; ++t) {{",
            *("  " + line for line in loop_lines),
            f"  acc += in0[{offset(shape, src)}];",
            "}",
        ]
        return lines, f"acc / {prod(red_shape)}.0f"

    return per_element(fused, name, out, compute)


def lower_softmax(fused: FusedOp, name: str, out: Output) -> Kernel:
    (op,) = fused.ops
    assert isinstance(op, SoftmaxBaseOp)
    shape, axis = shape_of(op.x), op.softmax_axis

    def compute(coords: Sequence[str]) -> tuple[list[str], str]:
        at = list(coords)
        at[axis] = "t"
        row = f"in0[{offset(shape, at)}]"
        lines = [
            "float mx = -INFINITY, sum = 0.0f;",
            f"for (int t = 0; t < {shape[axis]}; ++t) mx = fmaxf(mx, {row});",
            f"for (int t = 0; t < {shape[axis]}; ++t) sum += expf({row} - mx);",
        ]
        value = "(in0[i] - mx) - logf(sum)" if op.LOG else "expf(in0[i] - mx) / sum"
        return lines, value

    return per_element(fused, name, out, compute)


def flops_mean(op: NNOp) -> int:
    """One add per input element (the division per output is noise)."""
    assert isinstance(op, MeanOp)
    return prod(shape_of(op.x))


def flops_softmax(op: NNOp) -> int:
    """Per element: the max, the subtraction, the exponential, the sum and the division
    (or the logarithm's subtraction), five in all."""
    assert isinstance(op, SoftmaxBaseOp)
    return 5 * prod(shape_of(op.output))
