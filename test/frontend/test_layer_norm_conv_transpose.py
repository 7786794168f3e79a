"""ONNX LayerNormalization (opset 17), ConvTranspose and MatMul on stacks of rows, one
node at a time against ONNX Runtime, and their bad input refused naming the node; a
LayerNormalization whose Mean is read imports as its ONNX function body."""

import numpy as np
import pytest

from relayout.dialects.nn import LayerNormOp
from relayout.test.frontend.conftest import assert_names_the_node

R = np.random.default_rng(13)


def f32(*shape, low=None):
    if low is not None:
        return (R.random(shape) + low).astype(np.float32)
    return R.standard_normal(shape).astype(np.float32)


X = (2, 4, 5, 6)


def case(op_type, inputs, id, opset=17, **attrs):
    return pytest.param(op_type, inputs, opset, attrs, id=id)


CASES = [
    # LayerNormalization: the normalized axes are `axis` to the last.
    case("LayerNormalization", [(2, 5, 5, 8), f32(8, low=0.5), f32(8)], epsilon=1e-6,
         id="ln-last-axis"),
    case("LayerNormalization", [(2, 5, 5, 8), f32(8, low=0.5)], id="ln-no-bias"),
    case("LayerNormalization", [X, f32(4, 5, 6), f32(5, 6)], axis=1, id="ln-chw"),
    case("LayerNormalization", [X, f32(5, 6), f32(1)], axis=-2, id="ln-hw-broadcast-bias"),
    case("LayerNormalization", [X, (6,), (6,)], id="ln-params-as-inputs"),
    case("LayerNormalization", [(3, 10), f32(10), f32(10)], axis=1, id="ln-2d"),
    # ConvTranspose: weight [C_in, C_out / group, kH, kW].
    case("ConvTranspose", [X, f32(4, 3, 3, 3)], id="convt-default"),
    case("ConvTranspose", [X, f32(4, 3, 3, 3), f32(3)], strides=[2, 2], pads=[1, 1, 1, 1],
         output_padding=[1, 1], id="convt-stride2-output-padding"),
    case("ConvTranspose", [X, f32(4, 2, 3, 2)], group=2, strides=[2, 3], dilations=[2, 1],
         pads=[0, 1, 2, 0], id="convt-group-dilation-asymmetric"),
    case("ConvTranspose", [X, f32(4, 1, 3, 3), f32(4)], group=4, strides=[2, 2],
         id="convt-depthwise"),
    case("ConvTranspose", [X, f32(4, 3, 4, 4)], strides=[2, 2], dilations=[2, 2],
         output_padding=[1, 0], id="convt-dilation-output-padding"),
    case("ConvTranspose", [X, f32(4, 3, 3, 3)], strides=[2, 2], output_shape=[10, 12],
         id="convt-output-shape"),
    case("ConvTranspose", [X, f32(4, 3, 3, 3)], strides=[2, 2], auto_pad="SAME_UPPER",
         id="convt-same-upper"),
    case("ConvTranspose", [X, f32(4, 3, 3, 3)], strides=[2, 2], auto_pad="SAME_LOWER",
         id="convt-same-lower"),
    case("ConvTranspose", [X, f32(4, 3, 2, 2)], strides=[2, 2], auto_pad="VALID",
         id="convt-valid"),
    case("ConvTranspose", [X, (4, 3, 3, 3)], id="convt-weight-as-input"),
    # MatMul over the last axis of a stack of rows (torch Linear on NHWC activations).
    case("MatMul", [(2, 3, 3, 8), f32(8, 5)], id="matmul-rows"),
]


@pytest.mark.parametrize("op_type, inputs, opset, attrs", CASES)
def test_operator_matches_onnxruntime(node_model, matches_ort, op_type, inputs, opset, attrs):
    model, feeds = node_model(op_type, inputs, opset, **attrs)
    matches_ort(model, feeds)


BAD = [
    ("LayerNormalization", [X, f32(6)], {"axis": 4}, "axis 4 is out of range for rank 4"),
    ("LayerNormalization", [X, f32(6)], {"stash_type": 0}, "only stash_type=1"),
    ("LayerNormalization", [X, f32(5)], {}, "scale of shape [1, 1, 1, 5] must have the rank"),
    ("LayerNormalization", [X, f32(1, 1, 1, 1, 6)], {}, "has a higher rank than x"),
    ("ConvTranspose", [X, f32(3, 3, 3, 3)], {}, "kernel has 3 input channels, data has 4"),
    ("ConvTranspose", [X, f32(4, 3, 3, 3)], {"output_shape": [30, 30]},
     "output_shape [30, 30] is 23 past the full output on an axis of stride 1"),
    ("ConvTranspose", [X, f32(4, 3, 3, 3)], {"output_padding": [2, 0], "strides": [2, 2]},
     "output_padding [2, 0] must be below the stride or the dilation"),
    ("ConvTranspose", [X, f32(4, 3, 3)], {}, "only 2-D ConvTranspose is supported"),
    ("ConvTranspose", [X, f32(4, 3, 3, 3)], {"auto_pad": "SAME"}, "auto_pad 'SAME' is not"),
    ("MatMul", [(8,), f32(8, 5)], {}, "MatMul needs an input of rank 2 or more"),
]


@pytest.mark.parametrize("op_type, inputs, attrs, message", BAD,
                         ids=[f"{b[0]}-{i}" for i, b in enumerate(BAD)])
def test_bad_input_names_the_node(node_model, op_type, inputs, attrs, message):
    model, _ = node_model(op_type, inputs, name="bad", **attrs)
    assert_names_the_node(model, "bad", message)


def test_layer_norm_with_mean_read_imports_its_function_body(node_model, matches_ort):
    model, feeds = node_model("LayerNormalization", [X, f32(6)], outputs=2, name="ln")
    module = matches_ort(model, feeds)
    assert not any(isinstance(op, LayerNormOp) for op in module.walk())


def test_layer_norm_with_mean_unread_is_one_op(node_model, matches_ort):
    model, feeds = node_model("LayerNormalization", [X, f32(6)], outputs=2, name="ln")
    del model.graph.output[1]
    module = matches_ort(model, feeds)
    assert sum(isinstance(op, LayerNormOp) for op in module.walk()) == 1
