"""`simplify-layout-transforms`: the canonicalization patterns of nn.layout_transform
(`relayout.passes.canonicalization_patterns.layout_transform`), run on their own.

Chains compose (A->B->C is A->C, and A->B->A is nothing), a transform that moves only
unit axes becomes a reshape, and a transform is sunk through a single-use elementwise op
when that lets it meet and cancel the transform on the other side.
"""

from __future__ import annotations

from dataclasses import dataclass

from xdsl.context import Context
from xdsl.dialects.builtin import ModuleOp
from xdsl.passes import ModulePass
from xdsl.pattern_rewriter import GreedyRewritePatternApplier, PatternRewriteWalker

from relayout.passes.canonicalization_patterns.layout_transform import PATTERNS


@dataclass(frozen=True)
class SimplifyLayoutTransformsPass(ModulePass):
    name = "simplify-layout-transforms"

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        PatternRewriteWalker(GreedyRewritePatternApplier(list(PATTERNS))).rewrite_module(op)
