"""dense through the shared tiled GEMM, with bias and activation fused."""

import pytest

from relayout.dialects.nn import BiasAddOp, DenseOp, ReluOp


@pytest.mark.parametrize("rows,k,units", [(1, 37, 10), (3, 64, 70), (70, 9, 33)])
def test_dense_bias_relu(nets, rows, k, units):
    def make(add, x):
        y = add(DenseOp.make(x, nets.const(add, (units, k))))
        y = add(BiasAddOp.make(y, nets.const(add, (units,)), axis=1))
        return add(ReluOp.make(y))

    plan = nets.check(nets.build([(rows, k)], make))
    assert [launch.kernel for launch in plan.launches] == ["fused_nn_dense_nn_bias_add_nn_relu"]
