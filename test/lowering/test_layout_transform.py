"""layout_transform kernels: the tiled transpose (odd extents) and the gather for
blocked layouts, permutations that keep the innermost axis and narrow axes (C=3)."""

import pytest

from relayout import layout as L
from relayout.dialects.nn import LayoutTransformOp
from relayout.lowering.cuda.plan import build_plan

CASES = [
    ("NCHW", "NHWC", (2, 3, 5, 37)),
    ("NHWC", "NCHW", (1, 5, 9, 3)),
    ("NCHW", "NHWC", (1, 40, 3, 37)),
    ("NHWC", "NCHW", (1, 33, 7, 35)),
    ("NCHW", "HWCN", (3, 5, 4, 6)),
    ("NCHW", "NCWH", (1, 2, 40, 33)),
    ("NCHW", "CNHW", (2, 3, 4, 5)),
    ("NCHW", "NCHW16c", (1, 32, 3, 5)),
    ("NCHW16c", "NHWC", (2, 2, 3, 5, 16)),
    ("NHWC", "NCHW8c", (1, 4, 3, 24)),
]


@pytest.mark.parametrize(
    "src,dst,shape", CASES, ids=[f"{s}-{d}-{'x'.join(map(str, x))}" for s, d, x in CASES]
)
def test_layout_transform(nets, src, dst, shape):
    module = nets.build(
        [shape], lambda add, x: add(LayoutTransformOp.make(x, src_layout=src, dst_layout=dst))
    )
    nets.check(module)
    perm = L.permutation(src, dst)
    tiled = perm is not None and perm[-1] != 3 and min(shape[-1], shape[perm[-1]]) >= 8
    assert build_plan(module).launches[0].block == ((32, 8, 1) if tiled else (256, 1, 1))
