"""transpose and pad kernels; reshape and batch_flatten launch none (test_aliases.py)."""

import pytest

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
    assert len(plan.launches) == 2 and len(plan.aliases) == 2


@pytest.mark.parametrize("mode", ["reflect", "edge", "wrap"])
def test_pad_modes(nets, mode):
    # Wrap pads beyond the extent (3 of 2 on C, 7 of 5 on W): whole periods and more.
    width = (0, 1, 2, 0, 1, 2, 0, 3) if mode == "reflect" else (0, 1, 3, 0, 1, 2, 7, 3)

    def make(add, x):
        return add(PadOp.make(x, pad_width=width, mode=mode))

    nets.check(nets.build([(2, 3, 4, 5)], make))
