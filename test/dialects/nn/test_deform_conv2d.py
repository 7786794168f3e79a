"""nn.deform_conv2d's numpy reference against onnx.reference's DeformConv (bilinear
samples through GridSample), grouped, with offset groups, a mask, strides, dilations and
pads, and in NHWC equal to its NCHW result moved."""

import numpy as np
import pytest
from onnx.reference.ops.op_deform_conv import DeformConv
from xdsl.ir import Block

from relayout import layout as L
from relayout.dialects.nn import DeformConv2DOp
from relayout.dialects.nn.base import tensor
from relayout.dialects.nn.windows import out_extent

R = np.random.default_rng(3)

# x shape, (O, kH, kW), groups, offset groups, strides, dilation, pads
CASES = [
    ((2, 4, 6, 7), (6, 3, 2), 2, 2, (1, 2), (2, 1), (1, 0, 0, 1)),
    ((1, 3, 5, 5), (2, 3, 3), 1, 3, (2, 2), (1, 1), (1, 1, 1, 1)),
    ((1, 4, 4, 5), (4, 1, 1), 4, 1, (1, 1), (1, 1), (0, 0, 0, 0)),
]


def _make(x, out, groups, dg, strides, dilation, pads, masked, layout="NCHW"):
    o, kh, kw = out
    oh = out_extent(x[2], kh, strides[0], dilation[0], pads[0], pads[2])
    ow = out_extent(x[3], kw, strides[1], dilation[1], pads[1], pads[3])
    shapes = [x, (o, x[1] // groups, kh, kw), (x[0], dg * kh * kw * 2, oh, ow),
              (x[0], dg * kh * kw, oh, ow)][: 4 if masked else 3]
    arrays = [R.standard_normal(s).astype(np.float32) * (2 if i == 2 else 1)
              for i, s in enumerate(shapes)]
    stored = [s if i == 1 else L.transform_shape(s, "NCHW", layout) for i, s in enumerate(shapes)]
    block = Block(arg_types=[tensor(s) for s in stored])
    op = DeformConv2DOp.make(*block.args, groups=groups, offset_groups=dg, strides=strides,
                             dilation=dilation, padding=pads, data_layout=layout)
    return op, arrays


@pytest.mark.parametrize("masked", [True, False], ids=["mask", "no-mask"])
@pytest.mark.parametrize("x, out, groups, dg, strides, dilation, pads", CASES)
def test_reference_matches_onnx_reference(x, out, groups, dg, strides, dilation, pads, masked):
    op, (data, weight, offset, *mask) = _make(x, out, groups, dg, strides, dilation, pads,
                                             masked)
    want = DeformConv.eval(data, weight, offset, None, *mask, dilations=list(dilation),
                           group=groups, kernel_shape=list(out[1:]), offset_group=dg,
                           pads=list(pads), strides=list(strides))
    got = op.reference(data, weight, offset, *mask)
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-5)


def test_nhwc_is_the_nchw_result_moved():
    args = ((2, 4, 6, 7), (6, 3, 2), 2, 2, (1, 2), (2, 1), (1, 0, 0, 1), True)
    op, arrays = _make(*args)
    nhwc, _ = _make(*args, layout="NHWC")
    moved = [a if i == 1 else L.transform(a, "NCHW", "NHWC") for i, a in enumerate(arrays)]
    np.testing.assert_array_equal(nhwc.reference(*moved),
                                  L.transform(op.reference(*arrays), "NCHW", "NHWC"))
