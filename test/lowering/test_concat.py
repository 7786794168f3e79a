"""concat along channels in NHWC and NCHW, three inputs of odd sizes."""

import pytest

from relayout.dialects.nn import ConcatOp


@pytest.mark.parametrize("axis", [1, 3, -1])
def test_concat(nets, axis):
    shapes = [[1, 3, 4, 5], [1, 3, 4, 5], [1, 3, 4, 5]]
    for s, extent in zip(shapes, (3, 1, 6)):
        s[axis] = extent
    nets.check(nets.build(shapes, lambda add, *xs: add(ConcatOp.make(*xs, axis=axis))))
