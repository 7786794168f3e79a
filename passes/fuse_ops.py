"""`fuse-ops`: group nn ops into `nn.fused` kernels, TVM style.

A conv2d or dense takes the per-channel and elementwise ops that follow it as its
epilogue (bias, batch-norm remains, residual add, activation); a run of elementwise ops
becomes one kernel; every other op (layout_transform, pools, concat, ...) is a kernel
of its own. Constants stay outside and become kernel arguments.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass

from xdsl.context import Context
from xdsl.dialects.builtin import ModuleOp
from xdsl.ir import Block, Operation, SSAValue
from xdsl.passes import ModulePass
from xdsl.rewriter import InsertPoint, Rewriter

from relayout.dialects.nn import (
    BinaryOp,
    ChannelOp,
    ConstantOp,
    Conv2DOp,
    Conv2DTransposeOp,
    DenseOp,
    FusedOp,
    NNOp,
    UnaryOp,
    YieldOp,
    tvm_name,
)

ANCHORS = (Conv2DOp, Conv2DTransposeOp, DenseOp)
EPILOGUE = (UnaryOp, BinaryOp, ChannelOp)

Signature = tuple[Hashable, ...]


def _absorbable(value: SSAValue, taken: set[Operation]) -> NNOp | None:
    """The single elementwise user of ``value`` that keeps its shape and is in no other
    group yet, if any."""
    uses = list(value.uses)
    if len(uses) != 1:
        return None
    user = uses[0].operation
    if (
        isinstance(user, EPILOGUE)
        and user not in taken
        and user.parent_block() is value.owner.parent_block()
        and user.results[0].type == value.type
    ):
        return user
    return None


def group_from(op: NNOp, taken: set[Operation]) -> list[NNOp]:
    """The ops fused with ``op`` as the group's first op."""
    group: list[NNOp] = [op]
    if isinstance(op, ANCHORS + EPILOGUE):
        while (user := _absorbable(group[-1].results[0], taken)) is not None:
            group.append(user)
    return group


def _signature(group: Sequence[Operation]) -> Signature:
    """What makes two groups the same kernel: op kinds, properties, types and wiring."""
    index: dict[SSAValue, int] = {op.results[0]: i for i, op in enumerate(group)}
    outside: list[SSAValue] = []
    sig: list[Hashable] = []
    for op in group:
        refs: list[tuple[str, int] | tuple[str, int, str]] = []
        for v in op.operands:
            if v in index:
                refs.append(("op", index[v]))
            else:
                if v not in outside:
                    outside.append(v)
                refs.append(("arg", outside.index(v), str(v.type)))
        props = tuple(sorted((k, str(p)) for k, p in op.properties.items()))
        sig.append((op.name, props, tuple(refs), str(op.results[0].type)))
    return tuple(sig)


def _external_inputs(group: Sequence[Operation]) -> list[SSAValue]:
    inside = {op.results[0] for op in group}
    inputs: list[SSAValue] = []
    for op in group:
        for v in op.operands:
            if v not in inside and v not in inputs:
                inputs.append(v)
    return inputs


def fuse(group: Sequence[Operation], kernel: str) -> FusedOp:
    """Replace ``group`` by one `nn.fused` op placed where its last op was."""
    inputs = _external_inputs(group)
    body = Block(arg_types=[v.type for v in inputs])
    mapping: dict[SSAValue, SSAValue] = dict(zip(inputs, body.args))
    for op in group:
        body.add_op(op.clone(value_mapper=mapping))
    body.add_op(YieldOp(mapping[group[-1].results[0]]))
    fused = FusedOp.wrap(kernel, inputs, body)
    last = group[-1]
    Rewriter.insert_op(fused, InsertPoint.before(last))
    last.results[0].replace_all_uses_with(fused.output)
    for op in reversed(group):
        Rewriter.erase_op(op)
    return fused


class KernelNames:
    """TVM's naming: `fused_` + op names, and `_1`, `_2`, ... for distinct variants."""

    def __init__(self) -> None:
        self._variants: dict[str, list[Signature]] = {}

    def __call__(self, group: Sequence[NNOp]) -> str:
        base = "fused_" + "_".join(tvm_name(type(op)) for op in group)
        variants = self._variants.setdefault(base, [])
        sig = _signature(group)
        if sig not in variants:
            variants.append(sig)
        k = variants.index(sig)
        return base if k == 0 else f"{base}_{k}"


@dataclass(frozen=True)
class FuseOpsPass(ModulePass):
    name = "fuse-ops"

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        names = KernelNames()
        for block in [b for o in op.walk() for r in o.regions for b in r.blocks]:
            if isinstance(block.parent_op(), FusedOp):
                continue
            grouped: set[Operation] = set()
            groups: list[list[NNOp]] = []
            for o in block.ops:
                if o in grouped or not isinstance(o, NNOp) or isinstance(o, ConstantOp):
                    continue
                group = group_from(o, grouped)
                grouped.update(group)
                groups.append(group)
            for group in groups:
                fuse(group, names(group))
