"""slice and channel_shuffle kernels against the interpreter: strides of every sign,
bounds at both ends, a shuffle on a middle axis and on the last (NHWC's C), and over
blocked channels (NCHW8c: the block axis and the channel-in-block axis together)."""

from relayout.dialects.nn import ChannelShuffleOp, SliceOp


def test_slices(nets):
    def make(add, x):
        return [
            add(SliceOp.make(x, begin=(1, 2, 0, 4), end=(2, 5, 4, 5), strides=(1, 1, 1, 1))),
            add(SliceOp.make(x, begin=(0, 5, 3, 0), end=(2, -1, 0, 5), strides=(1, -2, -1, 3))),
            add(SliceOp.make(x, begin=(1, 0, 3, 4), end=(-1, 6, -1, -1), strides=(-1, 5, -2, -3))),
        ]

    plan = nets.check(nets.build([(2, 6, 4, 5)], make))
    assert len(plan.launches) == 3


def test_channel_shuffles(nets):
    def make(add, x):
        return [
            add(ChannelShuffleOp.make(x, axis=1, groups=3)),
            add(ChannelShuffleOp.make(x, axis=-1, groups=2)),
        ]

    plan = nets.check(nets.build([(2, 6, 3, 4)], make))
    assert len(plan.launches) == 2


def test_blocked_channel_shuffle(nets):
    def make(add, x):
        return add(ChannelShuffleOp.make(x, axis=1, groups=3, block_axis=4))

    nets.check(nets.build([(2, 3, 2, 5, 8)], make))
