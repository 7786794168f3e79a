"""`fold-constants`: evaluate, with the ops' numpy reference, every op whose operands are
all constants: weight layout transforms, bias and batch-norm parameter arithmetic,
reshapes. A weight is folded once however many ops share it; dead constants go."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeGuard

import numpy as np
from xdsl.context import Context
from xdsl.dialects.builtin import ModuleOp
from xdsl.ir import Operation, SSAValue
from xdsl.passes import ModulePass
from xdsl.rewriter import InsertPoint, Rewriter

from relayout.dialects.nn import ConstantOp, NNOp

Key = tuple[str, tuple[tuple[str, str], ...], tuple[SSAValue, ...]]


def _foldable(op: Operation) -> TypeGuard[NNOp]:
    return (
        isinstance(op, NNOp)
        and bool(op.operands)
        and all(isinstance(v.owner, ConstantOp) for v in op.operands)
    )


def _constant(value: SSAValue) -> np.ndarray:
    owner = value.owner
    assert isinstance(owner, ConstantOp)
    return owner.array()


def _key(op: NNOp) -> Key:
    """Ops that compute the same thing from the same constants fold to one constant."""
    props = tuple(sorted((k, str(v)) for k, v in op.properties.items()))
    return (op.name, props, tuple(op.operands))


def fold_constants(module: ModuleOp) -> int:
    """Fold in place; returns how many ops were folded."""
    folded: dict[Key, ConstantOp] = {}
    count = 0
    for op in list(module.walk()):
        if not _foldable(op):
            continue
        key = _key(op)
        if key not in folded:
            value = op.reference(*(_constant(v) for v in op.operands))
            folded[key] = ConstantOp.of(value)
            Rewriter.insert_op(folded[key], InsertPoint.before(op))
        Rewriter.replace_op(op, [], [folded[key].result])
        count += 1
    _erase_dead_constants(module)
    return count


def _erase_dead_constants(module: ModuleOp) -> None:
    for op in reversed(list(module.walk())):
        if isinstance(op, ConstantOp) and not op.result.uses:
            Rewriter.erase_op(op)


@dataclass(frozen=True)
class FoldConstantsPass(ModulePass):
    name = "fold-constants"

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        fold_constants(op)
