"""resize2d: nearest and bilinear, every coordinate mode, in NCHW and NHWC."""

import pytest

from relayout.dialects.nn import Resize2DOp
from relayout.dialects.nn.resize import COORDINATE_MODES, NEAREST_MODES


@pytest.mark.parametrize("layout,shape", [("NCHW", (1, 2, 5, 4)), ("NHWC", (1, 5, 4, 3))])
def test_resize(nets, layout, shape):
    def make(add, x):
        out = []
        for mode in COORDINATE_MODES:
            out.append(add(Resize2DOp.make(x, size=(7, 9), layout=layout, method="bilinear",
                                           coordinate_mode=mode)))
            for nearest in NEAREST_MODES:
                out.append(add(Resize2DOp.make(x, size=(10, 3), layout=layout,
                                               coordinate_mode=mode, nearest_mode=nearest)))
        return out

    nets.check(nets.build([shape], make))
