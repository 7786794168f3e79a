"""The TF32 tensor-core GEMM (precision=tf32) on awkward conv and dense shapes, against
the interpreter within a TF32 tolerance; grouped and narrow GEMMs fall back to SIMT."""

import numpy as np
import pytest

from relayout import layout as L
from relayout.dialects.nn import AddOp, BiasAddOp, Conv2DOp, DenseOp, ReluOp
from relayout.lowering.cuda.plan import build_plan
from relayout.runtime.driver import load

TF32_RTOL = 1e-2
"""Of the output's magnitude: TF32 keeps 10 of fp32's 23 mantissa bits."""

CASES = {
    # name: (N, C, H, W, O, kernel, stride, padding, groups, data layout, kernel layout)
    "1x1_vector_loads": (2, 16, 5, 6, 48, 1, 1, (0, 0, 0, 0), 1, "NHWC", "OHWI"),
    "3x3_stride2_pad_hwio": (1, 8, 9, 11, 40, 3, 2, (1, 1, 1, 1), 1, "NHWC", "HWIO"),
    "channels_off_8_16": (2, 7, 6, 5, 37, 3, 1, (1, 2, 0, 1), 1, "NHWC", "OHWI"),
    "stem_c3_scalar": (1, 3, 13, 12, 16, 3, 2, (1, 1, 1, 1), 1, "NHWC", "HWIO"),
    "nchw_scalar": (1, 5, 7, 6, 20, 3, 1, (1, 1, 1, 1), 1, "NCHW", "OIHW"),
    "blocked_nchw8c": (1, 16, 6, 5, 24, 3, 1, (1, 1, 1, 1), 1, "NCHW8c", "OIHW8i8o"),
}
LARGE = (1, 4, 130, 130, 72, 1, 1, (0, 0, 0, 0), 1, "NHWC", "OHWI")
"""Enough 128 x 64 tiles for two waves on an H100, so 8-warp blocks."""


def tensor_cores(plan) -> list[bool]:
    return ["mma.h" in plan.kernels[launch.kernel].headers for launch in plan.launches]


def conv_net(nets, case):
    n, c, h, w, o, k, s, pad, g, data, kernel = case

    def make(add, x):
        wshape = L.transform_shape((o, c // g, k, k), "OIHW", kernel)
        y = add(Conv2DOp.make(x, nets.const(add, wshape), strides=(s, s), padding=pad,
                              groups=g, data_layout=data, kernel_layout=kernel))
        return add(ReluOp.make(y))

    return nets.build([L.transform_shape((n, c, h, w), "NCHW", data)], make)


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_conv2d_tf32(nets, case):
    plan = nets.check(conv_net(nets, case), rtol=TF32_RTOL, precision="tf32")
    assert tensor_cores(plan) == [True]


def test_large_tiles_tf32(nets):
    plan = nets.check(conv_net(nets, LARGE), rtol=TF32_RTOL, precision="tf32")
    assert tensor_cores(plan) == [True] and plan.launches[0].block == (256, 1, 1)


def test_bias_residual_epilogue_tf32(nets):
    def make(add, x, r):
        w = nets.const(add, (32, 3, 3, 16))
        y = add(Conv2DOp.make(x, w, padding=(1, 1, 1, 1), data_layout="NHWC",
                              kernel_layout="OHWI"))
        y = add(BiasAddOp.make(y, nets.const(add, (32,)), axis=3))
        return add(ReluOp.make(add(AddOp.make(y, r))))

    plan = nets.check(nets.build([(1, 7, 9, 16), (1, 7, 9, 32)], make), rtol=TF32_RTOL,
                      precision="tf32")
    assert tensor_cores(plan) == [True]


@pytest.mark.parametrize("rows,k,units", [(3, 64, 70), (70, 9, 33)])
def test_dense_tf32(nets, rows, k, units):
    def make(add, x):
        y = add(DenseOp.make(x, nets.const(add, (units, k))))
        return add(BiasAddOp.make(y, nets.const(add, (units,)), axis=1))

    plan = nets.check(nets.build([(rows, k)], make), rtol=TF32_RTOL, precision="tf32")
    assert tensor_cores(plan) == [True]


def test_grouped_and_narrow_fall_back_to_simt(nets):
    grouped = (1, 6, 7, 7, 18, 3, 2, (1, 1, 1, 1), 3, "NHWC", "OHWI")
    narrow = (1, 8, 5, 5, 12, 3, 1, (1, 1, 1, 1), 1, "NHWC", "OHWI")
    for case in (grouped, narrow):
        plan = nets.check(conv_net(nets, case), precision="tf32")
        assert tensor_cores(plan) == [False]


def test_tf32_rounding_is_applied(nets):
    """On random data TF32 differs from fp32 by about its rounding, not by 0."""
    module = conv_net(nets, CASES["3x3_stride2_pad_hwio"])
    inputs = nets.inputs(module)
    (fp32,) = load(build_plan(module), nets.backend).run(*inputs)
    (tf32,) = load(build_plan(module, precision="tf32"), nets.backend).run(*inputs)
    diff = float(np.abs(tf32 - fp32).max() / np.abs(fp32).max())
    assert 1e-5 < diff < TF32_RTOL


def test_unknown_precision(nets):
    module = conv_net(nets, CASES["1x1_vector_loads"])
    with pytest.raises(ValueError, match="unknown precision 'bf16': use fp32 or tf32"):
        build_plan(module, precision="bf16")
