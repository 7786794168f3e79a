"""conv2d_transpose's gather kernel, with its fused epilogue, in several layouts, against
the reference interpreter."""

import pytest

from relayout import layout as L
from relayout.dialects.nn import BiasAddOp, Conv2DTransposeOp, ReluOp


@pytest.mark.parametrize(
    "data, kernel",
    [("NCHW", "IOHW"), ("NHWC", "HWIO"), ("NCHW4c", "OIHW"), ("NHWC", "OHWI")],
)
def test_conv2d_transpose(nets, data, kernel):
    x_shape = L.transform_shape((2, 4, 5, 6), "NCHW", data)

    def make(add, x):
        outs = []
        for groups, props in [
            (1, {"strides": (2, 2), "padding": (1, 0, 1, 2), "output_padding": (1, 1)}),
            (2, {"strides": (1, 3), "dilation": (2, 1)}),
            (4, {"strides": (2, 2), "padding": (1, 1, 1, 1)}),
        ]:
            w = nets.const(add, L.transform_shape((4, 8 // groups, 3, 3), "IOHW", kernel))
            y = add(Conv2DTransposeOp.make(x, w, groups=groups, data_layout=data,
                                           kernel_layout=kernel, **props))
            axis = L.parse(data).index_of("C")
            if not L.parse(data).is_blocked:
                y = add(ReluOp.make(add(BiasAddOp.make(y, nets.const(add, (8,)), axis=axis))))
            outs.append(y)
        return outs

    plan = nets.check(nets.build([x_shape], make))
    fused = [k for k in plan.kernels if "conv2d_transpose_nn_bias_add_nn_relu" in k]
    assert fused or L.parse(data).is_blocked
