"""deform_conv2d's per-element kernel, with and without a mask, grouped, with several
offset groups, strided, dilated and padded, its epilogue fused, in several layouts,
against the reference interpreter; offsets far outside the image or NaN read nothing."""

import numpy as np
import pytest

from relayout import layout as L
from relayout.dialects.context import parse_module
from relayout.dialects.nn import BiasAddOp, ConstantOp, DeformConv2DOp, ReluOp
from relayout.dialects.nn.windows import out_extent
from relayout.interpreters.nn import interpret
from relayout.lowering.cuda.report import plan_and_report

X = (2, 4, 6, 7)
# groups, offset groups, output channels, kernel, properties, masked
CASES = [
    (1, 1, 6, (3, 3), {"padding": (1, 1, 1, 1)}, True),
    (2, 4, 6, (2, 3), {"strides": (2, 1), "dilation": (1, 2), "padding": (0, 1, 1, 0)}, False),
    (4, 2, 8, (1, 1), {}, True),
    (2, 1, 4, (3, 2), {"strides": (1, 2), "padding": (2, 0, 0, 1)}, True),
]


def _out(kernel: tuple[int, int], props: dict) -> tuple[int, int]:
    s, d = props.get("strides", (1, 1)), props.get("dilation", (1, 1))
    t, lf, b, r = props.get("padding", (0, 0, 0, 0))
    return (out_extent(X[2], kernel[0], s[0], d[0], t, b),
            out_extent(X[3], kernel[1], s[1], d[1], lf, r))


def _per_tap(dg: int, kernel: tuple[int, int], props: dict, per: int) -> tuple[int, ...]:
    return (X[0], dg * kernel[0] * kernel[1] * per, *_out(kernel, props))


@pytest.mark.parametrize("layout", ["NCHW", "NHWC", "HWCN"])
def test_deform_conv2d(nets, layout):
    """Offsets and masks are function inputs (standard normal: many points between
    pixels, some outside the image), as a DCN computes them from its input."""
    shapes = [X]
    for _, dg, _, kernel, props, masked in CASES:
        shapes += [_per_tap(dg, kernel, props, per) for per in ((2, 1) if masked else (2,))]
    axis = L.parse(layout).index_of("C")

    def make(add, x, *per_tap):
        args = iter(per_tap)
        outs = []
        for groups, dg, out, kernel, props, masked in CASES:
            w = nets.const(add, (out, X[1] // groups, *kernel))
            operands = [next(args) for _ in range(2 if masked else 1)]
            y = add(DeformConv2DOp.make(x, w, *operands, groups=groups, offset_groups=dg,
                                        data_layout=layout, **props))
            y = add(BiasAddOp.make(y, nets.const(add, (out,)), axis=axis))
            outs.append(add(ReluOp.make(y)))
        return outs

    plan = nets.check(nets.build([L.transform_shape(s, "NCHW", layout) for s in shapes], make))
    fused = [k for k in plan.kernels if "nn_deformable_conv2d_nn_bias_add_nn_relu" in k]
    assert len(fused) == len(CASES)


def test_points_far_outside_or_nan_read_nothing(nets):
    offsets = np.full((1, 18, 3, 3), 1e30, np.float32)
    offsets[:, ::4] = np.nan
    offsets[:, 1::4] = -3e9  # beyond any C int

    def make(add, x):
        off = add(ConstantOp.of(offsets))
        return add(DeformConv2DOp.make(x, nets.const(add, (2, 2, 3, 3)), off))

    module = nets.build([(1, 2, 5, 5)], make)
    (want,) = interpret(module, [np.ones((1, 2, 5, 5), np.float32)])
    assert not want.any()
    nets.check(module)


def test_flops_per_tap_and_channel():
    """10 per output element, tap and input channel of the group."""
    _, report = plan_and_report(parse_module("""
    func.func @main(%x: tensor<1x4x5x5xf32>, %o: tensor<1x18x3x3xf32>, %m: tensor<1x9x3x3xf32>) -> tensor<1x6x3x3xf32> {
      %w = nn.constant dense<0.1> : tensor<6x2x3x3xf32>
      %y = nn.deform_conv2d %x, %w, %o, %m {groups = 2 : i64} : (tensor<1x4x5x5xf32>, tensor<6x2x3x3xf32>, tensor<1x18x3x3xf32>, tensor<1x9x3x3xf32>) -> tensor<1x6x3x3xf32>
      func.return %y : tensor<1x6x3x3xf32>
    }"""))
    (launch,) = report.launches
    assert launch.kernel == "fused_nn_deformable_conv2d"
    assert launch.flops == 10 * (6 * 3 * 3) * 2 * 9
    assert launch.bytes_read == (100 + 108 + 162 + 81) * 4
