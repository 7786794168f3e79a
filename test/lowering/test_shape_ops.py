"""reshape, batch_flatten, transpose and pad kernels."""

from relayout.dialects.nn import BatchFlattenOp, PadOp, ReshapeOp, TransposeOp


def test_reshape_flatten_transpose_pad(nets):
    def make(add, x):
        return [
            add(ReshapeOp.make(x, newshape=(6, 20))),
            add(BatchFlattenOp.make(x)),
            add(TransposeOp.make(x, axes=(2, 0, 3, 1))),
            add(PadOp.make(x, pad_width=(0, 1, 2, 0, 1, 1, 0, 3), pad_value=-1.5)),
        ]

    plan = nets.check(nets.build([(2, 3, 4, 5)], make))
    assert len(plan.launches) == 4
