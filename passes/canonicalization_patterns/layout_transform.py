"""Canonicalization patterns of `nn.layout_transform`.

Chains compose (A->B->C is A->C, and A->B->A is nothing), a transform that moves only
unit axes becomes a reshape, and a transform is sunk through a single-use elementwise op
when that lets it meet and cancel the transform on the other side.
"""

from __future__ import annotations

from xdsl.pattern_rewriter import (
    PatternRewriter,
    RewritePattern,
    op_type_rewrite_pattern,
)

from relayout import layout as L
from relayout.dialects.nn import LayoutTransformOp, ReshapeOp, UnaryOp
from relayout.dialects.nn.base import shape_of


class DropIdentity(RewritePattern):
    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: LayoutTransformOp, rewriter: PatternRewriter):
        if op.src_layout == op.dst_layout:
            rewriter.replace(op, [], [op.x])


class ComposeChain(RewritePattern):
    """lt(lt(x, A->B), B->C) -> lt(x, A->C); the inner one dies if nothing else reads it."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: LayoutTransformOp, rewriter: PatternRewriter):
        inner = op.x.owner
        if not isinstance(inner, LayoutTransformOp) or inner.dst_layout != op.src_layout:
            return
        if inner.src_layout == op.dst_layout:
            rewriter.replace(op, [], [inner.x])
            return
        merged = LayoutTransformOp.make(
            inner.x, src_layout=inner.src_layout, dst_layout=op.dst_layout
        )
        merged.attributes.update(op.attributes)
        rewriter.replace(op, [merged])


class UnitAxesToReshape(RewritePattern):
    """Moving only size-1 axes moves no data: a reshape says so, and costs no kernel."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: LayoutTransformOp, rewriter: PatternRewriter):
        if op.src_layout == op.dst_layout:
            return
        if not L.moves_data(shape_of(op.x), op.src, op.dst):
            rewriter.replace(op, [ReshapeOp.make(op.x, newshape=shape_of(op.result))])


class SinkThroughUnary(RewritePattern):
    """lt(u(lt(x, A->B)), B->C) -> lt(u(x), A->C) when u is elementwise and single-use."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: LayoutTransformOp, rewriter: PatternRewriter):
        unary = op.x.owner
        if not isinstance(unary, UnaryOp) or not unary.result.has_one_use():
            return
        inner = unary.x.owner
        if not isinstance(inner, LayoutTransformOp) or inner.dst_layout != op.src_layout:
            return
        moved = type(unary).make(inner.x, **unary.properties)
        merged = LayoutTransformOp.make(
            moved, src_layout=inner.src_layout, dst_layout=op.dst_layout
        )
        merged.attributes.update(op.attributes)
        rewriter.replace(op, [moved, merged])


PATTERNS = (DropIdentity(), ComposeChain(), UnitAxesToReshape(), SinkThroughUnary())
