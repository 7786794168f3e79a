"""layer_norm's block-per-row kernel over C (NCHW, NHWC, NCHW4c), over several axes,
with broadcast parameters; and dense over a stack of rows with its epilogue."""

from relayout.dialects.nn import AddOp, DenseOp, LayerNormOp
from relayout.dialects.nn.elementwise import GeluOp


def test_layer_norm(nets):
    def make(add, x, xh, xb):
        return [
            add(LayerNormOp.make(x, nets.const(add, (1, 12, 1, 1)), nets.const(add, (1, 12, 1, 1)),
                                 axes=(1,))),
            add(LayerNormOp.make(xh, nets.const(add, (1, 1, 1, 12)), nets.const(add, (1, 1, 1, 1)),
                                 axes=(-1,), epsilon=1e-6)),
            add(LayerNormOp.make(xb, nets.const(add, (1, 3, 1, 1, 4)),
                                 nets.const(add, (1, 3, 1, 1, 4)), axes=(1, 4))),
            add(LayerNormOp.make(x, nets.const(add, (1, 12, 5, 7)), nets.const(add, (1, 1, 5, 1)),
                                 axes=(1, 2, 3))),
        ]

    nets.check(nets.build([(2, 12, 5, 7), (2, 5, 7, 12), (2, 3, 5, 7, 4)], make))


def test_long_rows(nets):
    """More elements per row than threads in the block: each thread strides."""

    def make(add, x):
        one = nets.const(add, (1, 1, 1))
        return add(LayerNormOp.make(x, one, one, axes=(1, 2)))

    nets.check(nets.build([(3, 20, 30)], make))


def test_dense_on_rows_with_epilogue(nets):
    def make(add, x):
        y = add(DenseOp.make(x, nets.const(add, (24, 12))))
        y = add(GeluOp.make(add(AddOp.make(y, nets.const(add, (24,))))))
        return add(AddOp.make(y, nets.const(add, (1, 5, 1, 24))))

    plan = nets.check(nets.build([(2, 5, 7, 12)], make))
    assert list(plan.kernels) == ["fused_nn_dense_add_gelu_add"]
