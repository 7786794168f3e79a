"""ONNX DeformConv (opset 19) against ONNX Runtime, one node at a time and in a DCNv2
block, in NCHW and after conversion to NHWC, and its bad input refused naming the node."""

import numpy as np
import pytest
from onnx import TensorProto, helper, numpy_helper

from relayout import api
from relayout.cli import transforms
from relayout.dialects.nn import BiasAddOp, DeformConv2DOp
from relayout.frontend.onnx_import import from_onnx
from relayout.interpreters.nn import interpret
from relayout.test.frontend.conftest import assert_names_the_node, run_ort

R = np.random.default_rng(19)
X = (2, 4, 6, 7)


def f32(*shape):
    return R.standard_normal(shape).astype(np.float32)


def case(inputs, id, **attrs):
    return pytest.param(inputs, attrs, id=id)


# Inputs: X, W [O, C/group, kH, kW], offset [N, offset_group*kH*kW*2, oH, oW], B, mask.
# Offsets are standard normal: most points fall between pixels, some outside.
CASES = [
    case([X, f32(6, 4, 3, 3), (2, 18, 4, 5)], id="default"),
    case([X, f32(6, 4, 3, 3), (2, 18, 6, 7), f32(6), (2, 9, 6, 7)], pads=[1, 1, 1, 1],
         id="pads-bias-mask"),
    case([X, f32(6, 2, 2, 3), (2, 48, 3, 4), None, (2, 24, 3, 4)], group=2, offset_group=4,
         strides=[2, 1], dilations=[1, 2], pads=[0, 1, 1, 0], id="groups-offset-groups"),
    case([X, f32(8, 1, 1, 1), (2, 4, 6, 7), f32(8)], group=4, offset_group=2,
         kernel_shape=[1, 1], id="depthwise-1x1"),
    case([X, (6, 4, 3, 2), (2, 12, 2, 2)], strides=[2, 3], id="weight-as-input"),
]


@pytest.mark.parametrize("inputs, attrs", CASES)
def test_deform_conv_matches_onnxruntime_in_nchw_and_nhwc(node_model, close_to_magnitude,
                                                          inputs, attrs):
    model, feeds = node_model("DeformConv", inputs, 19, **attrs)
    (want,) = run_ort(model, feeds)
    module = from_onnx(model)
    assert sum(isinstance(op, DeformConv2DOp) for op in module.walk()) == 1
    assert any(isinstance(op, BiasAddOp) for op in module.walk()) == (len(inputs) > 3
                                                                      and inputs[3] is not None)
    nhwc = api.optimize(module.clone(), ("NHWC", "default"))
    (op,) = [o for o in nhwc.walk() if isinstance(o, DeformConv2DOp)]
    assert str(op.layout) == "NHWC"
    for converted in (module, nhwc):
        (got,) = interpret(converted, list(feeds.values()))
        close_to_magnitude(got, want)


BAD = [
    ([X, f32(6, 4, 3), (2, 18, 4, 5)], {}, "only 2-D DeformConv is supported"),
    ([(2, 4, 6), f32(6, 4, 3), (2, 6, 4)], {}, "only 4-D (NCHW) input is supported"),
    ([X, f32(6, 4, 3, 3), (2, 18, 4, 5)], {"kernel_shape": [2, 2]},
     "kernel_shape [2, 2] disagrees with the weight shape [6, 4, 3, 3]"),
    ([X, f32(6, 4, 3, 3), (2, 18, 4, 4)], {}, "offset must have N=2, C=18, H=4, W=5"),
    ([X, f32(6, 4, 3, 3), (2, 18, 4, 5), None, (2, 18, 4, 5)], {},
     "mask must have N=2, C=9, H=4, W=5"),
    ([X, f32(6, 4, 3, 3), (2, 54, 4, 5)], {"offset_group": 3},
     "offset_groups=3 must divide the input channels (4)"),
    ([X, f32(6, 2, 3, 3), (2, 18, 4, 5)], {"group": 3}, "groups=3 must divide"),
    ([X, f32(6, 4, 3, 3), (2, 18, 4, 5)], {"pads": [1, 1]}, "attribute 'pads' needs 4 values"),
]


@pytest.mark.parametrize("inputs, attrs, message", BAD, ids=[b[2][:30] for b in BAD])
def test_bad_input_names_the_node(node_model, inputs, attrs, message):
    model, _ = node_model("DeformConv", inputs, 19, name="bad", **attrs)
    assert_names_the_node(model, "bad", message)


def test_dcn_v2_block_keeps_only_its_boundary_transforms_in_nhwc(graph_model,
                                                                  close_to_magnitude):
    """What torchvision's DeformConv2d exports (dynamo, opset 19): offset and mask from
    convs of the input. In NHWC only the input and the result move."""
    weights = {"wo": f32(36, 8, 3, 3), "wm": f32(18, 8, 3, 3), "w": f32(16, 4, 3, 3),
               "b": f32(16)}
    pads = {"pads": [1, 1, 1, 1]}
    nodes = [
        helper.make_node("Conv", ["x", "wo"], ["offset"], **pads),
        helper.make_node("Conv", ["x", "wm"], ["m"], **pads),
        helper.make_node("Sigmoid", ["m"], ["mask"]),
        helper.make_node("DeformConv", ["x", "w", "offset", "b", "mask"], ["d"], group=2,
                         offset_group=2, **pads),
        helper.make_node("Relu", ["d"], ["y"]),
    ]
    model = graph_model(nodes, [helper.make_tensor_value_info("x", TensorProto.FLOAT,
                                                              [1, 8, 12, 12])],
                        ["y"], [numpy_helper.from_array(v * 0.2, k) for k, v in weights.items()],
                        opset=19)
    feeds = {"x": f32(1, 8, 12, 12)}
    (want,) = run_ort(model, feeds)
    nhwc = api.optimize(from_onnx(model), ("NHWC", "default"))
    assert len(transforms(nhwc)) == 2, [str(e) for e in api.explain(nhwc)]
    (got,) = interpret(nhwc, [feeds["x"]])
    close_to_magnitude(got, want)
