"""resize2d: every method and coordinate mode, antialiasing, cubic options, scales that
give no whole extent, and tf_crop_and_resize's crop, in NCHW, NHWC and NCHW4c."""

import pytest
from xdsl.dialects.builtin import DenseArrayBase, f64
from xdsl.ir import Block

from relayout import layout as L
from relayout.dialects.nn import Resize2DOp
from relayout.dialects.nn.base import tensor
from relayout.dialects.nn.resize_taps import COORDINATE_MODES, NEAREST_MODES
from relayout.lowering.cuda.kernels.resize import flops
from relayout.lowering.cuda.plan import build_plan
from relayout.test.lowering.test_nvcc import NVCC, nvcc

LAYOUTS = ["NCHW", "NHWC", "NCHW4c"]


def _shape(layout):
    return L.transform_shape((1, 8, 5, 4), "NCHW", layout)


def _f64(*values):
    return DenseArrayBase.from_list(f64, list(values))


@pytest.mark.parametrize("layout", LAYOUTS)
def test_every_coordinate_mode(nets, layout):
    def make(add, x):
        out = []
        for mode in COORDINATE_MODES:
            out.append(add(Resize2DOp.make(x, size=(7, 9), layout=layout, method="bilinear",
                                           coordinate_mode=mode)))
            for nearest in NEAREST_MODES:
                out.append(add(Resize2DOp.make(x, size=(10, 3), layout=layout,
                                               coordinate_mode=mode, nearest_mode=nearest)))
        return out

    nets.check(nets.build([_shape(layout)], make))


def _every_kind(add, x, layout):
    return [
        add(Resize2DOp.make(x, size=(9, 7), layout=layout, method="bicubic",
                            cubic_coeff_a=-0.5, exclude_outside=True)),
        # Antialiased downsampling reads many taps per output pixel.
        add(Resize2DOp.make(x, size=(2, 1), layout=layout, method="bicubic",
                            antialias=True, scales=_f64(0.5, 0.3))),
        add(Resize2DOp.make(x, size=(3, 2), layout=layout, method="bilinear",
                            antialias=True, coordinate_mode="half_pixel_symmetric",
                            scales=_f64(0.6, 0.6))),
        # Rows and columns of the crop outside the image are extrapolation_value.
        add(Resize2DOp.make(x, size=(4, 6), layout=layout, method="bilinear",
                            coordinate_mode="tf_crop_and_resize",
                            roi=_f64(-0.2, 0.4, 0.7, 1.5), extrapolation_value=7.5)),
    ]


@pytest.mark.parametrize("layout", LAYOUTS)
def test_cubic_antialias_crop(nets, layout):
    nets.check(nets.build([_shape(layout)], lambda add, x: _every_kind(add, x, layout)))


@pytest.mark.skipif(NVCC is None, reason="nvcc not found")
def test_tables_compile_with_nvcc(nets, tmp_path):
    module = nets.build([_shape("NCHW4c")], lambda add, x: _every_kind(add, x, "NCHW4c"))
    nvcc(tmp_path, build_plan(module).source, "sm_90")


def test_flops_count_the_taps():
    """Nearest reads one tap of H and of W per pixel: a multiply and an add for the tap
    and for its row. Antialiased bicubic downsampling by 2 reads up to 8 taps a side:
    5, 7, 8, 8, 8, 8, 7, 5 (56) in rows and columns alike."""
    (x,) = Block(arg_types=[tensor((1, 8, 16, 16))]).args
    nearest = Resize2DOp.make(x, size=(32, 24))
    assert flops(nearest) == 8 * 32 * 24 * 4
    smooth = Resize2DOp.make(x, size=(8, 8), method="bicubic", antialias=True)
    assert flops(smooth) == 8 * 2 * (56 * 56 + 56 * 8)
