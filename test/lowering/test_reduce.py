"""mean (with and without keepdims) and softmax."""

from relayout.dialects.nn import MeanOp, SoftmaxOp


def test_mean_and_softmax(nets):
    def make(add, x):
        return [
            add(MeanOp.make(x, axes=(1, 2))),
            add(MeanOp.make(x, axes=(-1, 1), keepdims=True)),
            add(SoftmaxOp.make(x, axis=1)),
            add(SoftmaxOp.make(x, axis=-1)),
        ]

    nets.check(nets.build([(2, 5, 3, 7)], make))
