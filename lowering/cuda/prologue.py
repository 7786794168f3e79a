"""The layout transform `fuse-ops` puts in front of a conv2d (its prologue).

Such a group is ``[layout_transform, conv2d, epilogue...]``: the transform's source is
the kernel's ``in0``, and the conv's operand load addresses it in the source's layout
and shape, so the transform's data movement happens in that load.
"""

from __future__ import annotations

from dataclasses import dataclass

from xdsl.ir import BlockArgument, Operation

from relayout.dialects.nn import FusedOp, LayoutTransformOp


@dataclass(frozen=True)
class Parts:
    prologue: LayoutTransformOp | None
    anchor: Operation
    """The op whose template the group runs: the first op after the prologue."""
    epilogue: list[Operation]


def parts(fused: FusedOp) -> Parts:
    ops = fused.ops
    head = ops[0]
    if isinstance(head, LayoutTransformOp) and len(ops) > 1:
        assert isinstance(head.x, BlockArgument) and head.x.index == 0
        return Parts(head, ops[1], ops[2:])
    return Parts(None, head, ops[1:])
