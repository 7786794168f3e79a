"""`nn.slice` and `nn.channel_shuffle`: gathers, one thread per output element reading
the input element it selects."""

from __future__ import annotations

from collections.abc import Sequence
from math import prod

from xdsl.ir import SSAValue

from relayout.dialects.nn import ChannelShuffleOp, FusedOp, NNOp, SliceOp
from relayout.dialects.nn.base import shape_of
from relayout.lowering.cuda.index import offset
from relayout.lowering.cuda.kernel import Kernel, per_element
from relayout.lowering.cuda.output import Output


def lower_slice(fused: FusedOp, name: str, out: Output) -> Kernel:
    (op,) = fused.ops
    assert isinstance(op, SliceOp)
    shape, ranges = shape_of(op.x), op.ranges()

    def compute(coords: Sequence[str]) -> tuple[list[str], str]:
        src = [_affine(r.start, r.step, c) for r, c in zip(ranges, coords)]
        return [], f"in0[{offset(shape, src)}]"

    return per_element(fused, name, out, compute)


def _affine(start: int, step: int, coord: str) -> str:
    scaled = coord if step == 1 else f"{coord} * {step}" if step > 0 else f"-{coord} * {-step}"
    return scaled if start == 0 else f"{start} + {scaled}"


def lower_channel_shuffle(fused: FusedOp, name: str, out: Output) -> Kernel:
    (op,) = fused.ops
    assert isinstance(op, ChannelShuffleOp)
    shape, axis, inner, groups = shape_of(op.x), op.shuffle_axis, op.inner_axis, op.group_count
    per_group, block = op.channels // groups, 1 if inner is None else shape[inner]

    def compute(coords: Sequence[str]) -> tuple[list[str], str]:
        src = list(coords)
        j = coords[axis] if inner is None else f"({coords[axis]} * {block} + {coords[inner]})"
        lines = [f"const int p = ({j} % {groups}) * {per_group} + {j} / {groups};"]
        if inner is None:
            src[axis] = "p"
        else:
            src[axis], src[inner] = f"p / {block}", f"p % {block}"
        return lines, f"in0[{offset(shape, src)}]"

    return per_element(fused, name, out, compute)


def reads_slice(op: NNOp, value: SSAValue) -> int:
    """A slice needs only the elements it keeps."""
    assert isinstance(op, SliceOp)
    return prod(shape_of(op.output))
