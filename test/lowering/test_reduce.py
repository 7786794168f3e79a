"""mean (with and without keepdims), softmax and log_softmax."""

from relayout.dialects.nn import LogSoftmaxOp, MeanOp, SoftmaxOp


def test_mean_softmax_and_log_softmax(nets):
    def make(add, x):
        return [
            add(MeanOp.make(x, axes=(1, 2))),
            add(MeanOp.make(x, axes=(-1, 1), keepdims=True)),
            add(SoftmaxOp.make(x, axis=1)),
            add(SoftmaxOp.make(x, axis=-1)),
            add(LogSoftmaxOp.make(x, axis=1)),
            add(LogSoftmaxOp.make(x, axis=-1)),
        ]

    nets.check(nets.build([(2, 5, 3, 7)], make))
