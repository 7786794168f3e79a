"""A layout_transform read only by a conv2d's data runs in the conv's operand load
(`prologue.py`): one launch, named for both, equal to the interpreter, for dense,
grouped and depthwise convs, blocked source layouts and both precisions."""

import pytest

from relayout import layout as L
from relayout.dialects.nn import BiasAddOp, Conv2DOp, LayoutTransformOp, ReluOp

CASES = {
    # name: (source layout, N, C, H, W, O, kernel, stride, padding, groups)
    "stem_c3_stride2": ("NCHW", 1, 3, 9, 11, 20, 3, 2, (1, 1, 1, 1), 1),
    "channels_by_4": ("NCHW", 2, 8, 6, 5, 37, 3, 1, (1, 2, 0, 1), 1),
    "blocked_source": ("NCHW4c", 1, 8, 5, 6, 16, 1, 1, (0, 0, 0, 0), 1),
    "grouped": ("NCHW", 1, 6, 7, 7, 9, 3, 2, (1, 1, 1, 1), 3),
    "depthwise": ("NCHW", 1, 8, 7, 6, 8, 3, 1, (1, 1, 1, 1), 8),
}


@pytest.mark.parametrize("precision", ["fp32", "tf32"])
@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_conv_reads_the_transform_source(nets, case, precision):
    src, n, c, h, w, o, k, s, pad, g = case

    def make(add, x):
        x = add(LayoutTransformOp.make(x, src_layout=src, dst_layout="NHWC"))
        weight = nets.const(add, (o, k, k, c // g))
        y = add(Conv2DOp.make(x, weight, strides=(s, s), padding=pad, groups=g,
                              data_layout="NHWC", kernel_layout="OHWI"))
        y = add(BiasAddOp.make(y, nets.const(add, (o,)), axis=3))
        return add(ReluOp.make(y))

    shape = L.transform_shape((n, c, h, w), "NCHW", src)
    plan = nets.check(nets.build([shape], make), rtol=1e-2 if precision == "tf32" else 1e-4,
                      precision=precision)
    assert [launch.kernel for launch in plan.launches] == [
        "fused_layout_transform_nn_conv2d_nn_bias_add_nn_relu"
    ]


def test_transform_with_other_readers_keeps_its_kernel(nets):
    """Read twice, the transform's result is materialised once, by its own kernel."""

    def make(add, x):
        t = add(LayoutTransformOp.make(x, src_layout="NCHW", dst_layout="NHWC"))
        y = add(Conv2DOp.make(t, nets.const(add, (4, 1, 1, 3)), data_layout="NHWC",
                              kernel_layout="OHWI"))
        return y, add(ReluOp.make(t))

    plan = nets.check(nets.build([(1, 3, 4, 5)], make))
    assert [launch.kernel for launch in plan.launches] == [
        "fused_layout_transform", "fused_nn_conv2d", "fused_nn_relu"
    ]


@pytest.mark.parametrize("dst, conv_layout, groups", [
    ("NCWH", "NCHW", 1), ("NHWC", "NCHW", 1), ("NCWH", "NCHW", 4),
])
def test_conv_reads_the_result_in_another_layout(nets, dst, conv_layout, groups):
    """The conv names the transform's result by its own data layout, not the transform's
    destination: a transform to NCWH read as NCHW swaps H and W (as the meaning fuzzer
    drew it), and the gather must follow both."""

    def make(add, x):
        t = add(LayoutTransformOp.make(x, src_layout="NCHW", dst_layout=dst))
        c = L.transform_shape((1, 8, 3, 5), "NCHW", dst)[1]
        w = nets.const(add, (4 * groups, c // groups, 3, 3))
        return add(Conv2DOp.make(t, w, padding=(1, 1, 1, 1), groups=groups,
                                 data_layout=conv_layout, kernel_layout="OIHW"))

    nets.check(nets.build([(1, 8, 3, 5)], make))
