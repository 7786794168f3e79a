"""Elementwise chains: every unary and binary op, broadcasting, bias_add and batch_norm
heads, in one kernel, which nvcc compiles."""

import pytest

from relayout.dialects.nn import (
    ELEMENTWISE,
    BatchNormOp,
    BiasAddOp,
    BinaryOp,
    ClipOp,
    SigmoidOp,
    UnaryOp,
)
from relayout.lowering.cuda.plan import build_plan
from relayout.test.lowering.test_nvcc import NVCC, nvcc


def every_op_chain(nets):
    def make(add, x, b):
        y = x
        for op in ELEMENTWISE:
            if issubclass(op, ClipOp):
                y = add(op.make(y, min=-0.5, max=2.0))
            elif issubclass(op, UnaryOp):
                y = add(op.make(y))
            elif issubclass(op, BinaryOp):
                y = add(op.make(y, b))
        return y

    return nets.build([(2, 5, 3, 7), (3, 7)], make)


def test_every_elementwise_op_in_one_chain(nets):
    plan = nets.check(every_op_chain(nets))
    assert len(plan.launches) == 1


@pytest.mark.skipif(NVCC is None, reason="nvcc not found")
def test_every_elementwise_op_compiles_with_nvcc(nets, tmp_path):
    nvcc(tmp_path, build_plan(every_op_chain(nets)).source, "sm_90")


def test_bias_add_and_batch_norm_head_a_chain(nets):
    def make(add, x):
        y = add(BiasAddOp.make(x, nets.const(add, (6,)), axis=3))
        params = [nets.const(add, (6,)) for _ in range(3)] + [nets.const(add, (6,), 0.1)]
        y = add(BatchNormOp.make(y, *params, axis=3, epsilon=1e-3))
        return add(SigmoidOp.make(y))

    plan = nets.check(nets.build([(1, 3, 5, 6)], make))
    assert [launch.kernel for launch in plan.launches] == [
        "fused_nn_bias_add_nn_batch_norm_sigmoid"
    ]
