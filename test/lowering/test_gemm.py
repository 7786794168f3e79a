"""The SIMT GEMM's tilings and split-K on awkward convs and dense layers, against the
interpreter: each tiling forced on odd edges, padding, stride, every operand staging
and groups; the schedule's own choices on shapes that call for them; split-K's
determinism and its counters surviving a second run."""

import numpy as np
import pytest

from relayout import layout as L
from relayout.dialects.nn import AddOp, BiasAddOp, Conv2DOp, DenseOp, ReluOp
from relayout.lowering.cuda import gemm, split_k
from relayout.lowering.cuda.kernel import ceil_div
from relayout.lowering.cuda.plan import build_plan
from relayout.runtime.driver import load

LAYOUTS = [("NCHW", "OIHW"), ("NHWC", "OHWI"), ("NHWC", "HWIO")]
TILINGS = {"huge": gemm.HUGE, "large": gemm.LARGE, "small": gemm.SMALL}
ODD = (2, 12, 19, 17, 70, 3, 2, (1, 2, 0, 1), 1)
"""(N, C, H, W, O, kernel, stride, padding, groups): M = 162, N = 70, K = 108, none a
multiple of any tile."""


def force(monkeypatch, tiling: gemm.Tiling, splits: int = 1) -> None:
    def schedule(p):
        depth = ceil_div(ceil_div(p.k, splits), tiling.bk) * tiling.bk
        return tiling, split_k.SplitK(ceil_div(p.k, depth), depth, p.k)

    monkeypatch.setattr(gemm, "schedule", schedule)


def conv_net(nets, case, layouts=("NHWC", "OHWI"), residual=False):
    """conv + bias (+ a residual input) + relu, one fused kernel."""
    n, c, h, w, o, k, s, (pt, pl, pb, pr), g = case
    data, kernel = layouts
    out = (n, o, (h + pt + pb - k) // s + 1, (w + pl + pr - k) // s + 1)

    def make(add, x, *r):
        wshape = L.transform_shape((o, c // g, k, k), "OIHW", kernel)
        y = add(Conv2DOp.make(x, nets.const(add, wshape), strides=(s, s),
                              padding=(pt, pl, pb, pr), groups=g, data_layout=data,
                              kernel_layout=kernel))
        y = add(BiasAddOp.make(y, nets.const(add, (o,)), axis=data.index("C")))
        return add(ReluOp.make(add(AddOp.make(y, r[0])) if r else y))

    shapes = [L.transform_shape(shape, "NCHW", data) for shape in ((n, c, h, w), out)]
    return nets.build(shapes if residual else shapes[:1], make)


def only_launch(plan):
    (launch,) = plan.launches
    return launch


@pytest.mark.parametrize("layouts", LAYOUTS, ids=["nchw", "nhwc_ohwi", "nhwc_hwio"])
@pytest.mark.parametrize("name", TILINGS)
def test_each_tiling(nets, monkeypatch, name, layouts):
    t = TILINGS[name]
    force(monkeypatch, t)
    launch = only_launch(nets.check(conv_net(nets, ODD, layouts)))
    assert launch.block == (t.threads, 1, 1) and launch.grid == (
        ceil_div(162, t.bm), ceil_div(70, t.bn), 1)


@pytest.mark.parametrize("name", ["large", "small"])
def test_forced_split_k_grouped(nets, monkeypatch, name):
    """Groups and ranges share blockIdx.z."""
    force(monkeypatch, TILINGS[name], splits=3)
    case = (1, 24, 9, 8, 18, 3, 1, (1, 1, 1, 1), 3)
    launch = only_launch(nets.check(conv_net(nets, case, residual=True)))
    assert launch.grid[2] == 3 * 3 and len(launch.workspace) == 2


def test_huge_tiles_chosen_for_many_tiles(nets):
    case = (1, 20, 130, 130, 130, 1, 1, (0, 0, 0, 0), 1)
    launch = only_launch(nets.check(conv_net(nets, case, residual=True)))
    assert launch.grid == (133, 2, 1) and launch.block == (256, 1, 1)


SPLIT_CASES = {
    # ResNet-50 batch 1, layer 4: 8 tiles of 64 x 64 over K = 4608 (17 ranges of 272);
    # 16 tiles of 32 x 32 over K = 1024 (4 ranges of 256).
    "3x3_512_at_7x7": ((1, 512, 7, 7, 512, 3, 1, (1, 1, 1, 1), 1), 256, 17),
    "1x1_1024_at_7x7": ((1, 1024, 7, 7, 256, 1, 1, (0, 0, 0, 0), 1), 64, 4),
}


@pytest.mark.parametrize("case,threads,splits", SPLIT_CASES.values(), ids=SPLIT_CASES.keys())
def test_split_k_chosen_for_few_tiles(nets, case, threads, splits):
    launch = only_launch(nets.check(conv_net(nets, case, residual=True)))
    assert launch.grid[2] == splits and launch.block == (threads, 1, 1)


def test_split_k_deterministic_and_replayable(nets):
    """Two runs of one driver agree bit for bit: the partial sums are added in a fixed
    order, and the first run left every counter at zero for the second."""
    module = conv_net(nets, SPLIT_CASES["1x1_1024_at_7x7"][0])
    inputs = nets.inputs(module)
    driver = load(build_plan(module), nets.backend)
    (first,) = driver.run(*inputs)
    (second,) = driver.run(*inputs)
    np.testing.assert_array_equal(first, second)
    (fresh,) = load(build_plan(module), nets.backend).run(*inputs)
    np.testing.assert_array_equal(first, fresh)


@pytest.mark.parametrize("rows,k,units,splits", [(1, 2048, 1000, 5), (3, 1030, 70, 4)])
def test_dense_split_k(nets, rows, k, units, splits):
    def make(add, x):
        y = add(DenseOp.make(x, nets.const(add, (units, k))))
        return add(ReluOp.make(add(BiasAddOp.make(y, nets.const(add, (units,)), axis=1))))

    launch = only_launch(nets.check(nets.build([(rows, k)], make)))
    assert launch.grid[2] == splits
