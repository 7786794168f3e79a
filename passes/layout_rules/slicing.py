"""slice and channel_shuffle follow their input with the axes remapped: in NHWC a slice
or shuffle of the channels runs along the last axis and moves nothing else. Where the
axis is split into blocks (NCHW16c), a slice follows only when it keeps whole blocks
(stride 1, bounds on block boundaries); a shuffle gathers over the block axis and the
channel-in-block axis together. Otherwise the input is
restored to its original layout."""

from __future__ import annotations

from relayout.dialects.nn import ChannelShuffleOp, SliceOp
from relayout.dialects.nn.base import shape_of
from relayout.passes.layout_rules.common import along_one_axis, axis_letter
from relayout.passes.layout_rules.converter import Converter, Outcome


def slice_(op: SliceOp, cv: Converter) -> Outcome | None:
    s = cv.relayout(op.x)
    if s is None or s.orig.is_blocked:
        return None
    x = cv.new(op.x)
    # Axes the original does not name (a block's inner axis) keep all their elements.
    begin, end, strides = [0] * s.cur.ndim, list(shape_of(x)), [1] * s.cur.ndim
    for letter, extent, r in zip(s.orig.primal, shape_of(op.x), op.ranges()):
        at, block = s.cur.index_of(letter), s.cur.factor_of(letter)
        if block == 1:
            begin[at], end[at], strides[at] = r.start, r.stop, r.step
        elif r != range(extent):
            if r.step != 1 or r.start % block or r.stop % block:
                return None
            begin[at], end[at] = r.start // block, r.stop // block
    new = cv.rebuild(op, [x], begin=tuple(begin), end=tuple(end), strides=tuple(strides))
    return [(new.result, s)]


def channel_shuffle(op: ChannelShuffleOp, cv: Converter) -> Outcome | None:
    """Along the channels' letter; where it is split into blocks, over the block axis
    and the channel-in-block axis together."""
    s = cv.relayout(op.x)
    if s is None:
        return None
    letter = axis_letter(s, op.shuffle_axis)
    if letter is None or op.inner_axis is not None:
        return None
    if letter not in s.split_letters():
        return along_one_axis(op, cv, op.shuffle_axis)
    outer, inner = s.cur.index_of(letter), s.cur.index_of(letter.lower())
    if inner < outer:
        return None
    new = cv.rebuild(op, [cv.new(op.x)], axis=outer, block_axis=inner)
    return [(new.result, s)]
