"""nn.channel_shuffle over blocked channels computes what the shuffle of the unblocked
tensor does, moved to the blocked layout; block_axis must follow axis."""

import numpy as np
import pytest
from xdsl.dialects.builtin import TensorType, f32
from xdsl.ir import Block, BlockArgument

from relayout import layout as L
from relayout.dialects.nn import ChannelShuffleOp
from relayout.dialects.nn.base import ShapeError


def arg(shape: tuple[int, ...]) -> BlockArgument:
    return Block(arg_types=[TensorType(f32, shape)]).args[0]


@pytest.mark.parametrize("blocked, groups", [("NCHW8c", 2), ("NCHW8c", 3), ("NCHW4c", 6),
                                             ("NHWC2c", 4)])
def test_blocked_equals_unblocked(blocked, groups):
    x = np.random.default_rng(0).standard_normal((2, 24, 3, 5)).astype(np.float32)
    plain = ChannelShuffleOp.make(arg(x.shape), axis=1, groups=groups)
    layout = L.parse(blocked)
    xb = L.transform(x, "NCHW", layout)
    op = ChannelShuffleOp.make(arg(xb.shape), axis=layout.index_of("C"), groups=groups,
                               block_axis=layout.index_of("c"))
    want = L.transform(plain.reference(x), "NCHW", layout)
    np.testing.assert_array_equal(op.reference(xb), want)


def test_block_axis_after_axis():
    with pytest.raises(ShapeError, match="must come after axis"):
        ChannelShuffleOp.make(arg((1, 8, 3, 3, 4)), axis=4, groups=2, block_axis=1)
