"""conv2d kernels (implicit GEMM, depthwise, blocked layouts) with fused epilogues,
emulated on awkward shapes against the interpreter."""

import pytest

from relayout import layout as L
from relayout.dialects.nn import AddOp, BatchNormOp, BiasAddOp, ClipOp, Conv2DOp, ReluOp

CASES = {
    # name: (N, C, H, W, O, kernel, stride, dilation, padding, groups)
    "stem_c3_stride2": (1, 3, 9, 11, 5, 3, 2, 1, (1, 1, 1, 1), 1),
    "channels_off_tile": (2, 7, 6, 5, 37, 3, 1, 1, (1, 2, 0, 1), 1),
    "large_tile_1x1": (1, 16, 12, 12, 96, 1, 1, 1, (0, 0, 0, 0), 1),
    "dilated": (1, 4, 9, 9, 6, 3, 1, 2, (2, 2, 2, 2), 1),
    "grouped": (1, 6, 7, 7, 9, 3, 2, 1, (1, 1, 1, 1), 3),
    "depthwise": (1, 8, 7, 6, 8, 3, 1, 1, (1, 1, 1, 1), 8),
    "depthwise_multiplier_stride2": (1, 4, 9, 8, 8, 3, 2, 1, (1, 0, 1, 0), 4),
}


def _conv(nets, add, x, case, data_layout, kernel_layout, out_layout=None):
    _n, c, _h, _w, o, k, s, d, pad, g = case
    wshape = L.transform_shape((o, c // g, k, k), "OIHW", kernel_layout)
    weight = nets.const(add, wshape)
    return add(Conv2DOp.make(
        x, weight, strides=(s, s), dilation=(d, d), padding=pad, groups=g,
        data_layout=data_layout, kernel_layout=kernel_layout, out_layout=out_layout,
    ))


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
@pytest.mark.parametrize("layouts", [("NCHW", "OIHW"), ("NHWC", "OHWI"), ("NHWC", "HWIO")])
def test_conv2d_bias_relu(nets, case, layouts):
    data_layout, kernel_layout = layouts
    n, c, h, w, o = case[:5]
    axis = data_layout.index("C")

    def make(add, x):
        y = _conv(nets, add, x, case, data_layout, kernel_layout)
        y = add(BiasAddOp.make(y, nets.const(add, (o,)), axis=axis))
        return add(ReluOp.make(y))

    shape = L.transform_shape((n, c, h, w), "NCHW", data_layout)
    plan = nets.check(nets.build([shape], make))
    assert [launch.kernel for launch in plan.launches] == ["fused_nn_conv2d_nn_bias_add_nn_relu"]


def test_conv2d_residual_batch_norm_clip_epilogue(nets):
    case = CASES["channels_off_tile"]

    def make(add, x, r):
        y = _conv(nets, add, x, case, "NHWC", "OHWI")
        params = [nets.const(add, (37,)) for _ in range(3)] + [nets.const(add, (37,), 0.5)]
        y = add(BatchNormOp.make(y, *params, axis=3))
        y = add(AddOp.make(y, r))
        return add(ClipOp.make(y, min=0.0, max=6.0))

    plan = nets.check(nets.build([(2, 6, 5, 7), (2, 5, 6, 37)], make))
    assert len(plan.launches) == 1


def test_conv2d_blocked_nchw16c(nets):
    case = (1, 32, 6, 5, 32, 3, 2, 1, (1, 1, 1, 1), 1)

    def make(add, x):
        return _conv(nets, add, x, case, "NCHW16c", "OIHW16i16o")

    nets.check(nets.build([(1, 2, 6, 5, 16)], make))


def test_conv2d_out_layout_differs(nets):
    case = (1, 5, 6, 6, 16, 3, 1, 1, (1, 1, 1, 1), 1)

    def make(add, x):
        return _conv(nets, add, x, case, "NCHW", "OIHW", out_layout="NCHW8c")

    nets.check(nets.build([(1, 5, 6, 6)], make))
