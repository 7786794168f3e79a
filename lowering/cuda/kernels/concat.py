"""`nn.concat`: each operand copied into its slice of the result by a grid-stride loop
of its own, which reads it in memory order (from a slice of a larger buffer where it
lies in one). Operands already in place (`Output.present`, see `placement.py`) are
skipped: their producers wrote them there."""

from __future__ import annotations

from math import prod

from xdsl.ir import BlockArgument

from relayout.dialects.nn import ConcatOp, FusedOp
from relayout.dialects.nn.base import shape_of
from relayout.lowering.cuda.index import unravel
from relayout.lowering.cuda.kernel import THREADS, Kernel, function, grid_1d, grid_stride, signature
from relayout.lowering.cuda.output import Output


def lower(fused: FusedOp, name: str, out: Output) -> Kernel:
    (op,) = fused.ops
    assert isinstance(op, ConcatOp)
    axis = op.concat_axis
    body: list[str] = []
    start, largest = 0, 1
    for arg in op.inputs:
        assert isinstance(arg, BlockArgument)  # the fused group's input in<index>
        shape = shape_of(arg)
        if arg.index not in out.present:
            coord_lines, coords = unravel("i", shape, "d")
            at = list(coords)
            at[axis] = f"{coords[axis]} + {start}"
            source = out.operand(arg.index, shape)
            read = "i" if source.is_row_major else source.at(coords)
            copy = f"out[{out.at(at)}] = in{arg.index}[{read}];"
            body += grid_stride(prod(shape), [*coord_lines, copy])
            largest = max(largest, prod(shape))
        start += shape[axis]
    return Kernel(name, function(signature(fused, name, out), body), grid_1d(largest, THREADS),
                  (THREADS, 1, 1))
