"""C code for the elementwise part of a fused group.

Every op after the group's anchor (or every op of an elementwise group) produces a
tensor of the group's output shape, so one output element is computed from the
anchor's value for that element, from per-channel parameters and from other tensors
read with numpy broadcasting at the same coordinates, wherever the plan put them (a
slice of a larger buffer too, see `Output.views`).
"""

from __future__ import annotations

from collections.abc import Sequence

from xdsl.ir import BlockArgument, Operation, SSAValue

from relayout.dialects.nn import BatchNormOp, BiasAddOp, BinaryOp, ChannelOp, FusedOp, UnaryOp
from relayout.dialects.nn.base import shape_of
from relayout.dialects.nn.elementwise import c_float
from relayout.lowering.cuda.output import Output

EPILOGUE_OPS = (BiasAddOp, BatchNormOp, UnaryOp, BinaryOp)
"""The ops `tail` computes."""


def _broadcast_load(arg: SSAValue, out: Output, out_coords: Sequence[str]) -> str:
    """A fused group's input (its block argument ``in<k>``) at the output's coordinates."""
    assert isinstance(arg, BlockArgument)
    shape = shape_of(arg)
    coords = list(out_coords[len(out_coords) - len(shape) :])
    return f"in{arg.index}[{out.operand(arg.index, shape).at(coords)}]"


def loads_only(ops: Sequence[Operation], arg: BlockArgument) -> bool:
    """Whether ``ops``, computed by `tail`, are all that read ``arg``, and read it at
    the output's coordinates (`_broadcast_load`), not as a per-channel parameter."""
    return all(
        use.operation in ops and isinstance(use.operation, EPILOGUE_OPS)
        and not (isinstance(use.operation, ChannelOp) and use.index > 0)
        for use in arg.uses
    )


def _channel(op: ChannelOp, param: SSAValue, out_coords: Sequence[str]) -> str:
    assert isinstance(param, BlockArgument)
    return f"in{param.index}[{out_coords[op.channel_axis]}]"


def _expr(op: Operation, operands: list[str], out_coords: Sequence[str]) -> str:
    match op:
        case BiasAddOp():
            return f"({operands[0]} + {_channel(op, op.bias, out_coords)})"
        case BatchNormOp():
            g, b, m, v = (_channel(op, p, out_coords) for p in op.params())
            scale = f"({g} / sqrtf({v} + {c_float(op.epsilon.value.data)}))"
            return f"({operands[0]} * {scale} + ({b} - {m} * {scale}))"
        case UnaryOp() | BinaryOp():
            return op.c_expr(*operands)
    raise TypeError(f"{op.name} is not an elementwise op")


def tail(
    fused: FusedOp, out: Output, ops: Sequence[Operation], seed: dict[SSAValue, str],
    out_coords: Sequence[str],
) -> tuple[list[str], str]:
    """Statements computing ``ops`` for one element, and the variable holding the result.

    ``seed`` names values already computed (the anchor's accumulator); ``out`` says
    where the group's inputs lie.
    """
    names = dict(seed)
    lines: list[str] = []
    for k, op in enumerate(ops):
        operands = [
            names[v] if v in names else _broadcast_load(v, out, out_coords) for v in op.operands
        ]
        var = f"v{k}"
        lines.append(f"const float {var} = {_expr(op, operands, out_coords)};")
        names[op.results[0]] = var
    return lines, names[fused.yielded]
