"""The LRN kernel in NCHW, NHWC and NCHW16c: windows that the channel extent clips on
both sides, even and odd sizes, and a window wider than C."""

import pytest

from relayout import layout as L
from relayout.dialects.nn import LRNOp

LAYOUTS = ["NCHW", "NHWC", "NCHW16c"]


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("size", [1, 4, 5, 40])
def test_lrn(nets, layout, size):
    def make(add, x):
        return add(LRNOp.make(x, size=size, alpha=0.8, beta=0.6, bias=1.5, layout=layout))

    nets.check(nets.build([L.transform_shape((2, 32, 3, 5), "NCHW", layout)], make))
