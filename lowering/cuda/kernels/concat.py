"""`nn.concat`: one thread per output element, reading the input that holds its
coordinate along the axis."""

from __future__ import annotations

from collections.abc import Sequence

from xdsl.ir import BlockArgument

from relayout.dialects.nn import ConcatOp, FusedOp
from relayout.dialects.nn.base import shape_of
from relayout.lowering.cuda.index import offset
from relayout.lowering.cuda.kernel import Kernel, per_element


def lower(fused: FusedOp, name: str) -> Kernel:
    (op,) = fused.ops
    assert isinstance(op, ConcatOp)
    axis = op.concat_axis

    def compute(coords: Sequence[str]) -> tuple[list[str], str]:
        lines, start = ["float v;"], 0
        for k, arg in enumerate(op.inputs):
            assert isinstance(arg, BlockArgument)  # the fused group's input in<index>
            shape = shape_of(arg)
            at = list(coords)
            at[axis] = f"({coords[axis]} - {start})"
            branch = "if" if k == 0 else "else if"
            end = start + shape[axis]
            test = f"({coords[axis]} < {end})" if k < len(op.inputs) - 1 else ""
            head = f"{branch} {test}" if test else ("else" if k else "")
            lines.append(f"{head} v = in{arg.index}[{offset(shape, at)}];".strip())
            start = end
        return lines, "v"

    return per_element(fused, name, compute)
