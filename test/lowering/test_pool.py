"""Pool kernels in NCHW, NHWC and NCHW16c, with ceil mode, padding and dilation; Lp pools
of the orders with their own code (1, 2) and the general one."""

import pytest

from relayout import layout as L
from relayout.dialects.nn import (
    AvgPool2DOp,
    GlobalAvgPool2DOp,
    GlobalMaxPool2DOp,
    LpPool2DOp,
    MaxPool2DOp,
)

LAYOUTS = ["NCHW", "NHWC", "NCHW16c"]


def _shape(layout):
    return L.transform_shape((2, 16, 7, 9), "NCHW", layout)


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("op", [MaxPool2DOp, AvgPool2DOp])
def test_pool_ceil_mode_padding(nets, layout, op):
    def make(add, x):
        return add(op.make(x, pool_size=(3, 2), strides=(2, 2), padding=(1, 0, 1, 1),
                           ceil_mode=True, layout=layout))

    nets.check(nets.build([_shape(layout)], make))


def test_avg_pool_count_include_pad_dilation(nets):
    def make(add, x):
        return add(AvgPool2DOp.make(x, pool_size=(3, 3), strides=(2, 1), dilation=(2, 1),
                                    padding=(1, 1, 2, 1), count_include_pad=True,
                                    ceil_mode=True, layout="NHWC"))

    nets.check(nets.build([(1, 9, 8, 3)], make))


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("p", [1, 2, 3])
def test_lp_pool(nets, layout, p):
    def make(add, x):
        return add(LpPool2DOp.make(x, pool_size=(3, 2), strides=(2, 2), dilation=(1, 2),
                                   padding=(1, 0, 1, 1), ceil_mode=True, p=p, layout=layout))

    nets.check(nets.build([_shape(layout)], make))


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("op", [GlobalAvgPool2DOp, GlobalMaxPool2DOp])
def test_global_pool(nets, layout, op):
    nets.check(nets.build([_shape(layout)], lambda add, x: add(op.make(x, layout=layout))))
