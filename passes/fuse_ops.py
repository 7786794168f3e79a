"""`fuse-ops`: group nn ops into `nn.fused` kernels, TVM style.

A conv (conv2d, conv2d_transpose, deform_conv2d) or dense takes the per-channel and
elementwise ops that follow it as its epilogue (bias, batch-norm remains, residual add,
activation); a run of elementwise ops becomes one kernel; every other op (pools, concat,
...) is a kernel of its own. A layout_transform read only by a conv2d's data operand is
the conv's prologue: the implicit-GEMM gather addresses any layout, so the conv reads
the transform's source directly and the transform launches nothing of its own (the IR
inside the kernel still holds it). Likewise a transform that only permutes axes and is
the only reader of a group's result ends that group: its kernel stores each element
where the transform puts it (a conv's output returned in NCHW, a transform between
elementwise ops). Constants stay outside and become kernel arguments.
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Sequence
from dataclasses import dataclass

from xdsl.context import Context
from xdsl.dialects.builtin import ModuleOp
from xdsl.ir import Block, Operation, SSAValue
from xdsl.passes import ModulePass
from xdsl.rewriter import InsertPoint, Rewriter

from relayout.dialects.nn import (
    BatchFlattenOp,
    BinaryOp,
    ChannelOp,
    ConcatOp,
    ConstantOp,
    Conv2DOp,
    Conv2DTransposeOp,
    DeformConv2DOp,
    DenseOp,
    FusedOp,
    LayoutTransformOp,
    NNOp,
    ReshapeOp,
    UnaryOp,
    YieldOp,
    tvm_name,
)
from relayout.layout import permutation

ANCHORS = (Conv2DOp, Conv2DTransposeOp, DeformConv2DOp, DenseOp)
EPILOGUE = (UnaryOp, BinaryOp, ChannelOp)
STORED_AS_IS = (LayoutTransformOp, ReshapeOp, BatchFlattenOp, ConcatOp)
"""Groups that end with these take no transform after them: a transform merges with
another (simplify-layout-transforms), a reshape or flatten launches nothing and a
concat may launch nothing (the CUDA plan aliases and places them)."""

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


def _prologue_reader(op: NNOp, taken: set[Operation]) -> Conv2DOp | None:
    """The conv2d that is the only reader of layout transform ``op``, as its data, and is
    in no other group yet, if any."""
    if not isinstance(op, LayoutTransformOp):
        return None
    uses = list(op.output.uses)
    if len(uses) != 1:
        return None
    user = uses[0].operation
    if (
        isinstance(user, Conv2DOp)
        and uses[0].index == 0
        and user not in taken
        and user.parent_block() is op.parent_block()
    ):
        return user
    return None


def _store_transform(op: NNOp, taken: set[Operation]) -> LayoutTransformOp | None:
    """The layout transform that is the only reader of ``op``, if it only permutes axes
    and is in no other group yet: the kernel computing ``op`` can store each element
    where the transform puts it."""
    if isinstance(op, STORED_AS_IS):
        return None
    uses = list(op.results[0].uses)
    if len(uses) != 1:
        return None
    user = uses[0].operation
    if (
        isinstance(user, LayoutTransformOp)
        and user not in taken
        and user.parent_block() is op.parent_block()
        and permutation(user.src, user.dst) is not None
    ):
        return user
    return None


def group_from(op: NNOp, taken: set[Operation]) -> list[NNOp]:
    """The ops fused with ``op`` as the group's first op."""
    group: list[NNOp] = [op]
    if (reader := _prologue_reader(op, taken)) is not None:
        group.append(reader)
    if isinstance(group[-1], ANCHORS + EPILOGUE):
        while (user := _absorbable(group[-1].results[0], taken)) is not None:
            group.append(user)
    if (store := _store_transform(group[-1], taken)) is not None:
        group.append(store)
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


def launches_a_transform(kernel: str) -> bool:
    """Whether ``kernel`` (a `KernelNames` name) is a layout_transform alone: the only
    kernels whose launches do nothing but a transform's data movement."""
    return re.fullmatch(r"fused_layout_transform(_\d+)?", kernel) is not None


def plan_groups(module: ModuleOp) -> list[tuple[list[NNOp], str]]:
    """The groups `fuse-ops` would make of ``module`` and their kernel names, without
    changing it (explain-layout names the kernel that moves each transform's data)."""
    names = KernelNames()
    planned: list[tuple[list[NNOp], str]] = []
    for block in [b for o in module.walk() for r in o.regions for b in r.blocks]:
        if isinstance(block.parent_op(), FusedOp):
            continue
        grouped: set[Operation] = set()
        for o in block.ops:
            if o in grouped or not isinstance(o, NNOp) or isinstance(o, ConstantOp):
                continue
            group = group_from(o, grouped)
            grouped.update(group)
            planned.append((group, names(group)))
    return planned


@dataclass(frozen=True)
class FuseOpsPass(ModulePass):
    name = "fuse-ops"

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        for group, name in plan_groups(op):
            fuse(group, name)
