"""The layout transform `fuse-ops` puts at the end of a group (its store).

Such a group is ``[ops..., layout_transform]`` with a transform that only permutes
axes: the group's kernel computes the transform's source, and stores each element
where the transform would put it, so the transform's data movement happens in that
store. The kernel is the template of the group without the transform
(`without_store_transform`), writing through `permuted` steps.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from xdsl.ir import Block, SSAValue

from relayout import layout as L
from relayout.dialects.nn import FusedOp, LayoutTransformOp, YieldOp
from relayout.dialects.nn.base import shape_of
from relayout.lowering.cuda.output import Output, Strided


def store_transform(fused: FusedOp) -> LayoutTransformOp | None:
    """The permuting transform that ends ``fused`` after other ops, if any."""
    ops = fused.ops
    last = ops[-1]
    if len(ops) > 1 and isinstance(last, LayoutTransformOp) \
            and L.permutation(last.src, last.dst) is not None:
        return last
    return None


def permuted(result: Strided, op: LayoutTransformOp) -> Strided:
    """Where each element of ``op``'s source goes, its result lying at ``result``."""
    perm = L.permutation(op.src, op.dst)
    assert perm is not None
    steps = [0] * len(perm)
    for dst_axis, src_axis in enumerate(perm):
        steps[src_axis] = result.steps[dst_axis]
    shape = shape_of(op.x)
    return Strided(shape, tuple(0 if e == 1 else s for e, s in zip(shape, steps)), result.base)


def permuted_output(out: Output, op: LayoutTransformOp) -> Output:
    return Output(permuted(out.result, op), out.present, out.views)


@contextmanager
def without_store_transform(fused: FusedOp, op: LayoutTransformOp) -> Iterator[FusedOp]:
    """``fused`` without its store transform ``op``: a detached group over the same
    operands, yielding the transform's source; its references go when the block ends."""
    body = Block(arg_types=fused.block.arg_types)
    mapping: dict[SSAValue, SSAValue] = dict(zip(fused.block.args, body.args))
    for inner in fused.ops:
        if inner is not op:
            body.add_op(inner.clone(value_mapper=mapping))
    body.add_op(YieldOp(mapping[op.x]))
    group = FusedOp.wrap(fused.kernel.data, list(fused.inputs), body)
    try:
        yield group
    finally:
        group.drop_all_references()
