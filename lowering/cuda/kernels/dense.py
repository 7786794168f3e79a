"""`nn.dense` with its fused epilogue: the shared tiled GEMM with rows from x and
columns from the rows of the weight (both read along the reduction axis); an x of rank
above 2 is a stack of rows."""

from __future__ import annotations

from math import prod

from relayout.dialects.nn import DenseOp, FusedOp, NNOp
from relayout.dialects.nn.base import shape_of
from relayout.lowering.cuda import gemm
from relayout.lowering.cuda.epilogue import tail
from relayout.lowering.cuda.index import unravel
from relayout.lowering.cuda.kernel import Kernel
from relayout.lowering.cuda.output import Output
from relayout.lowering.cuda.precision import lower_gemm


def lower(fused: FusedOp, name: str, out: Output, precision: str) -> Kernel:
    op = fused.ops[0]
    assert isinstance(op, DenseOp)
    x, (units, k) = shape_of(op.x), shape_of(op.weight)
    rows = prod(x[:-1])

    def store(acc: str, m: str, o: str) -> list[str]:
        # The epilogue reads broadcast operands at the output's coordinates, so an x of
        # rank above 2 splits the row into its leading coordinates.
        row_lines, row = unravel(m, x[:-1], "row") if len(x) > 2 else ([], [m])
        lines, value = tail(fused, out, fused.ops[1:], {op.output: acc}, [*row, o])
        return [*row_lines, *lines, f"out[{out.at([*row, o])}] = {value};"]

    problem = gemm.Problem(
        m=rows,
        n=units,
        k=k,
        groups=1,
        row_setup=lambda m: [("an", m)],
        k_split=lambda kk: [],
        a_element=lambda v: ("true", f"{v['an']} * {k} + kk"),
        b_offset=lambda o: f"{o} * {k} + kk",
        store=store,
        a_width=4 if k % 4 == 0 else 1,
        b_width=4 if k % 4 == 0 else 1,
    )
    return lower_gemm(fused, name, out, problem, precision)


def flops(op: NNOp) -> int:
    """2 M N K: a multiply and an add per reduction step of each output."""
    assert isinstance(op, DenseOp)
    return 2 * prod(shape_of(op.output)) * shape_of(op.weight)[1]
