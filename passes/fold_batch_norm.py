"""`fold-batch-norm`: conv2d (+ bias_add) followed by an inference batch_norm becomes a
conv2d with scaled weights plus a bias, in whatever layouts the conv uses."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from xdsl.context import Context
from xdsl.dialects.builtin import ModuleOp
from xdsl.ir import Operation, SSAValue
from xdsl.passes import ModulePass
from xdsl.pattern_rewriter import (
    GreedyRewritePatternApplier,
    PatternRewriter,
    PatternRewriteWalker,
    RewritePattern,
    op_type_rewrite_pattern,
)

from relayout import layout as L
from relayout.dialects.nn import AddOp, BatchNormOp, BiasAddOp, ConstantOp, Conv2DOp
from relayout.dialects.nn.base import shape_of


def _constant(value: SSAValue) -> np.ndarray | None:
    owner = value.owner
    return owner.array() if isinstance(owner, ConstantOp) else None


def channel_vector(vec: np.ndarray, layout: L.Layout, letter: str) -> np.ndarray:
    """``vec`` along axis ``letter``, shaped to broadcast against a tensor in ``layout``
    (blocked ones included: the other axes get extent and block size 1)."""
    extents = dict.fromkeys(layout.primal, 1) | {letter: vec.size}
    primal = "".join(sorted(layout.primal))
    logical = vec.reshape([extents[p] for p in primal])
    target = layout.with_factors({p: 1 for p in layout.primal if p != letter})
    return L.transform(logical, primal, target)


def _bias(conv: Conv2DOp, bias: np.ndarray, out: L.Layout) -> list[Operation]:
    """A bias_add where the channel axis is whole, else a broadcast add (blocked C)."""
    if out.factor_of("C") == 1:
        vec = ConstantOp.of(bias)
        return [vec, BiasAddOp.make(conv, vec, axis=out.index_of("C"))]
    block = ConstantOp.of(channel_vector(bias, out, "C"))
    return [block, AddOp.make(conv, block)]


class FoldIntoConv(RewritePattern):
    @op_type_rewrite_pattern
    def match_and_rewrite(self, bn: BatchNormOp, rewriter: PatternRewriter) -> None:
        producer = bn.x.owner
        bias = None
        if isinstance(producer, BiasAddOp) and producer.result.has_one_use():
            bias, producer = producer, producer.x.owner
        if not isinstance(producer, Conv2DOp) or not producer.result.has_one_use():
            return
        _, kernel, out = producer.layouts
        if out.ndim != len(shape_of(bn.x)) or out.axes[bn.channel_axis].letter != "C":
            return
        params = [_constant(p) for p in bn.params()]
        known = [p for p in params if p is not None]
        weight = _constant(producer.weight)
        old_bias = _constant(bias.bias) if bias else np.float32(0)
        if weight is None or old_bias is None or len(known) != len(params):
            return
        scale, shift = bn.scale_shift(*known)
        new_weight = ConstantOp.of(weight * channel_vector(scale, kernel, "O"))
        conv = Conv2DOp.make(producer.data, new_weight, **producer.properties)
        rewriter.replace(bn, [new_weight, conv, *_bias(conv, old_bias * scale + shift, out)])


@dataclass(frozen=True)
class FoldBatchNormPass(ModulePass):
    name = "fold-batch-norm"

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        PatternRewriteWalker(GreedyRewritePatternApplier([FoldIntoConv()])).rewrite_module(op)
