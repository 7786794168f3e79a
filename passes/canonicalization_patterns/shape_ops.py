"""Canonicalization patterns of `nn.reshape`.

ShuffleNet writes its channel shuffle as reshape ``[N,C,H,W] -> [N,g,C/g,H,W]``,
transpose of the two new axes, reshape back. The 5-D middle has no NHWC form, so
convert-layout would restore NCHW around every shuffle; as one `nn.channel_shuffle` it
is a gather along C that follows any layout that keeps C whole.
"""

from __future__ import annotations

from xdsl.pattern_rewriter import PatternRewriter, RewritePattern, op_type_rewrite_pattern

from relayout.dialects.nn import ChannelShuffleOp, ReshapeOp, TransposeOp
from relayout.dialects.nn.base import shape_of


class ChannelShuffle(RewritePattern):
    """reshape(transpose(reshape(x) splitting axis a in [g, C/g]) swapping them) back to
    x's shape -> channel_shuffle(x, axis=a, groups=g); the middle ops die with their
    last use."""

    @op_type_rewrite_pattern
    def match_and_rewrite(self, op: ReshapeOp, rewriter: PatternRewriter) -> None:
        swap = op.x.owner
        if not isinstance(swap, TransposeOp):
            return
        split = swap.x.owner
        if not isinstance(split, ReshapeOp):
            return
        x = split.x
        shape, middle = shape_of(x), shape_of(split.result)
        axis = _swapped_pair(swap.perm)
        if axis is None or shape_of(op.result) != shape or len(middle) != len(shape) + 1:
            return
        groups, rest = middle[axis], middle[axis + 1]
        if middle != shape[:axis] + (groups, rest) + shape[axis + 1:]:
            return
        rewriter.replace(op, [ChannelShuffleOp.make(x, axis=axis, groups=groups)])
        for dead in (swap, split):
            if not dead.result.uses:
                rewriter.erase(dead)


def _swapped_pair(perm: tuple[int, ...]) -> int | None:
    """``a`` when ``perm`` swaps axes a and a + 1 and keeps the others."""
    moved = [i for i, p in enumerate(perm) if p != i]
    if len(moved) == 2 and moved[1] == moved[0] + 1 and perm[moved[0]] == moved[1]:
        return moved[0]
    return None


PATTERNS = (ChannelShuffle(),)
