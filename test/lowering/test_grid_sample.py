"""grid_sample: every method, padding mode and align_corners in NCHW, NHWC and NCHW4c,
with grids read as inputs (places well outside the image) or as constants; nearest's
ties, which round half to even from the places the reference computes; NaN and infinite
places; a result stored through a fused layout transform; all of it compiled by nvcc."""

import numpy as np
import pytest
from xdsl.ir import Block

from relayout import layout as L
from relayout.dialects.nn import ConstantOp, GridSampleOp, LayoutTransformOp
from relayout.dialects.nn.base import tensor
from relayout.dialects.nn.grid_sample import PADDING_MODES
from relayout.dialects.nn.resize_taps import METHODS
from relayout.lowering.cuda.kernels.grid_sample import flops
from relayout.lowering.cuda.plan import build_plan
from relayout.test.lowering.test_nvcc import NVCC, nvcc

LAYOUTS = ["NCHW", "NHWC", "NCHW4c"]
KINDS = [(m, p, a) for m in METHODS for p in PADDING_MODES for a in (False, True)]


def _shape(layout):
    return L.transform_shape((2, 8, 5, 4), "NCHW", layout)


def _every_kind(add, x, grid, layout):
    return [add(GridSampleOp.make(x, grid, layout=layout, method=m, padding_mode=p,
                                  align_corners=a)) for m, p, a in KINDS]


@pytest.mark.parametrize("layout", LAYOUTS)
def test_every_kind_with_a_grid_input(nets, layout):
    """The grid is a function input of standard normal values: about a third of them
    point outside the image."""
    module = nets.build([_shape(layout), (2, 3, 6, 2)],
                        lambda add, x, g: _every_kind(add, x, g, layout))
    nets.check(module)


def test_every_kind_with_a_constant_grid_of_one_pixel_images(nets):
    """Extents of 1, where reflection with align_corners has nothing to reflect on."""
    def make(add, x):
        grid = add(ConstantOp.of(nets.rng.uniform(-1.2, 1.2, (1, 4, 3, 2)).astype(np.float32)))
        return _every_kind(add, x, grid, "NCHW")

    nets.check(nets.build([(1, 3, 1, 1)], make))


TIES = np.array([-0.5, 0.0, 0.5, 1.0, np.float32(2 / 3) - 1], np.float32)
"""Places halfway between pixels: with 4 pixels all but the last; with 3 pixels 1.0 and
the last, where (g + 1) * 3 rounds to 2 in float32 (a fused multiply-add, which rounds
once, would not make it a tie)."""


def test_nearest_rounds_ties_to_even(nets):
    grid = np.stack(np.meshgrid(TIES, TIES), axis=-1)[None]

    def make(add, x, y):
        g = add(ConstantOp.of(grid))
        return [add(GridSampleOp.make(v, g, method="nearest", padding_mode=p))
                for v in (x, y) for p in PADDING_MODES]

    nets.check(nets.build([(1, 2, 4, 4), (1, 2, 3, 3)], make))


def test_nan_and_infinite_places(nets):
    """NaN reads NaN; an infinity reads 0 with zeros, the edge with border, NaN with
    reflection."""
    values = np.array([np.nan, np.inf, -np.inf, 0.3], np.float32)
    grid = np.stack(np.meshgrid(values, values[::-1]), axis=-1)[None]

    def make(add, x):
        g = add(ConstantOp.of(grid))
        return _every_kind(add, x, g, "NHWC")

    nets.check(nets.build([(1, 3, 4, 8)], make))


def test_stores_through_a_fused_transform(nets):
    """An NHWC result returned in NCHW: the kernel stores each element where the
    transform puts it, and launches no transform of its own."""
    def make(add, x, g):
        y = add(GridSampleOp.make(x, g, layout="NHWC", method="bicubic", padding_mode="border"))
        return add(LayoutTransformOp.make(y, src_layout="NHWC", dst_layout="NCHW"))

    plan = nets.check(nets.build([(2, 5, 4, 8), (2, 3, 6, 2)], make))
    assert [launch.kernel for launch in plan.launches] == [
        "fused_image_grid_sample_layout_transform"]


@pytest.mark.skipif(NVCC is None, reason="nvcc not found")
def test_every_kind_compiles_with_nvcc(nets, tmp_path):
    """One module of all 18 kinds: each reflecting kernel defines its own helper."""
    module = nets.build([_shape("NCHW4c"), (2, 3, 6, 2)],
                        lambda add, x, g: _every_kind(add, x, g, "NCHW4c"))
    nvcc(tmp_path, build_plan(module).source, "sm_90")


def test_flops_count_the_taps():
    """Bicubic reads 4 x 4 taps per output element: 16 multiply-adds, and 4 for the
    rows' weights."""
    x, g = Block(arg_types=[tensor((1, 8, 16, 16)), tensor((1, 5, 7, 2))]).args
    assert flops(GridSampleOp.make(x, g, method="bicubic")) == 2 * (16 + 4) * 8 * 5 * 7
    assert flops(GridSampleOp.make(x, g, method="nearest")) == 2 * 2 * 8 * 5 * 7
