"""Each ONNX operator and attribute variant the importer converts, one node at a time:
the imported module's reference run must match ONNX Runtime."""

import numpy as np
import pytest
from onnx import TensorProto, helper, numpy_helper

from relayout.frontend.onnx_import import from_onnx

R = np.random.default_rng(7)


def f32(*shape, low=None):
    """A random float32 initializer; ``low`` makes it uniform in [low, low + 1)."""
    if low is not None:
        return (R.random(shape) + low).astype(np.float32)
    return R.standard_normal(shape).astype(np.float32)


def i64(*values):
    return np.array(values, np.int64)


X = (2, 4, 9, 9)  # odd extents make SAME padding and ceil mode asymmetric
W = f32(6, 4, 3, 3)
X1 = (2, 4, 11)  # [N,C,L]: 1-D ops
W1 = f32(6, 4, 3)


def case(op_type, inputs, opset=17, id=None, **attrs):
    return pytest.param(op_type, inputs, opset, attrs, id=id or op_type)


CASES = [
    # Conv
    case("Conv", [X, W], id="conv-default"),
    case("Conv", [X, W, f32(6)], pads=[1, 1, 1, 1], id="conv-bias-pads"),
    case("Conv", [X, W], pads=[0, 1, 2, 1], id="conv-asymmetric-pads"),
    case("Conv", [X, W], strides=[2, 2], dilations=[2, 2], id="conv-strides-dilations"),
    case("Conv", [X, f32(6, 2, 3, 3)], group=2, kernel_shape=[3, 3], id="conv-group"),
    case("Conv", [X, f32(4, 1, 3, 3), f32(4)], group=4, pads=[1, 1, 1, 1], id="conv-depthwise"),
    case("Conv", [X, f32(6, 4, 2, 2)], auto_pad="SAME_UPPER", strides=[2, 2],
         id="conv-same-upper"),
    case("Conv", [X, f32(6, 4, 4, 4)], auto_pad="SAME_LOWER", id="conv-same-lower"),
    case("Conv", [X, W], auto_pad="VALID", id="conv-valid"),
    case("Conv", [X, W], auto_pad="NOTSET", pads=[2, 2, 2, 2], id="conv-notset"),
    case("Conv", [X, (6, 4, 3, 3)], pads=[1, 1, 1, 1], id="conv-weight-as-input"),
    # 1-D Conv, run as 2-D with H = 1
    case("Conv", [X1, W1], id="conv1d-default"),
    case("Conv", [X1, W1, f32(6)], strides=[2], pads=[1, 2], dilations=[2], id="conv1d-window"),
    case("Conv", [X1, f32(6, 2, 3)], group=2, kernel_shape=[3], id="conv1d-group"),
    case("Conv", [X1, f32(4, 1, 5), f32(4)], group=4, auto_pad="SAME_LOWER", strides=[2],
         id="conv1d-depthwise-same-lower"),
    case("Conv", [X1, (6, 4, 2)], auto_pad="SAME_UPPER", id="conv1d-weight-as-input"),
    # BatchNormalization
    case("BatchNormalization", [X, f32(4), f32(4), f32(4), f32(4, low=0.5)], epsilon=1e-3,
         id="batchnorm"),
    # Unary
    case("Relu", [X]),
    case("Sigmoid", [X]),
    case("Tanh", [X]),
    # Clip: bounds as inputs from opset 11, as attributes before
    case("Clip", [X, np.float32(-0.5), np.float32(0.7)], id="clip-inputs"),
    case("Clip", [X, np.float32(0.0)], id="clip-min-only"),
    case("Clip", [X, None, np.float32(0.2)], id="clip-max-only"),
    case("Clip", [X], id="clip-no-bounds"),
    case("Clip", [X], opset=10, min=-0.3, max=0.4, id="clip-attrs-opset10"),
    case("Clip", [X], opset=10, max=0.4, id="clip-attr-max-opset10"),
    # Binary with broadcasting; constants become nn.constant
    case("Add", [X, X], id="add-tensors"),
    case("Add", [X, f32(4, 1, 1)], id="add-channel-constant"),
    case("Sub", [X, np.float32(1.5)], id="sub-scalar-constant"),
    case("Mul", [X, f32(9)], id="mul-lower-rank"),
    case("Mul", [(4, 1, 1), X], id="mul-broadcast-inputs"),
    case("Div", [X, f32(1, 4, 1, 9, low=0.5)], id="div-constant"),
    case("Max", [X, X, f32(9)], id="max-variadic"),
    case("Min", [X, np.float32(0.1)], id="min-scalar"),
    case("Mean", [X], id="mean-one"),
    case("Mean", [X, f32(4, 1, 1)], id="mean-two-broadcast"),
    case("Mean", [(9,), X, (4, 1, 9)], id="mean-three-broadcast-inputs"),
    case("Mean", [(4, 1, 9), f32(9), np.float32(2.0)], opset=8, id="mean-three-opset8"),
    # Pools
    case("MaxPool", [X], kernel_shape=[3, 3], strides=[2, 2], pads=[1, 1, 1, 1], id="maxpool"),
    case("MaxPool", [X], kernel_shape=[2, 2], strides=[2, 2], ceil_mode=1, id="maxpool-ceil"),
    case("MaxPool", [X], kernel_shape=[2, 2], dilations=[2, 2], id="maxpool-dilations"),
    case("MaxPool", [X], kernel_shape=[2, 2], strides=[2, 2], auto_pad="SAME_UPPER",
         id="maxpool-same-upper"),
    case("AveragePool", [X], kernel_shape=[3, 3], pads=[1, 1, 1, 1], id="avgpool-exclude-pad"),
    case("AveragePool", [X], kernel_shape=[3, 3], pads=[1, 1, 1, 1], count_include_pad=1,
         id="avgpool-include-pad"),
    case("AveragePool", [X], kernel_shape=[2, 2], strides=[2, 2], ceil_mode=1, id="avgpool-ceil"),
    case("AveragePool", [X], kernel_shape=[2, 2], strides=[2, 2], auto_pad="SAME_LOWER",
         id="avgpool-same-lower"),
    case("MaxPool", [X1], kernel_shape=[3], strides=[2], pads=[1, 1], id="maxpool1d"),
    case("MaxPool", [X1], kernel_shape=[2], strides=[2], dilations=[2], ceil_mode=1,
         id="maxpool1d-ceil-dilations"),
    case("AveragePool", [X1], kernel_shape=[3], strides=[2], pads=[1, 0], ceil_mode=1,
         id="avgpool1d-ceil-exclude-pad"),
    case("AveragePool", [X1], kernel_shape=[4], pads=[2, 1], count_include_pad=1,
         id="avgpool1d-include-pad"),
    case("AveragePool", [X1], kernel_shape=[2], strides=[3], auto_pad="SAME_UPPER",
         id="avgpool1d-same-upper"),
    case("GlobalAveragePool", [X1], id="globalavgpool1d"),
    case("GlobalMaxPool", [X1], id="globalmaxpool1d"),
    case("AveragePool", [X], opset=19, kernel_shape=[2, 2], dilations=[2, 2],
         id="avgpool-dilations"),
    case("AveragePool", [X], kernel_shape=[3, 3], auto_pad="VALID", id="avgpool-valid"),
    case("GlobalAveragePool", [X]),
    case("GlobalMaxPool", [X]),
    # Shape ops
    case("Concat", [X, (2, 3, 9, 9), f32(2, 1, 9, 9)], axis=1, id="concat-axis1"),
    case("Concat", [X, (2, 4, 9, 2)], axis=-1, id="concat-negative-axis"),
    case("Flatten", [X], id="flatten-default"),
    case("Flatten", [X], axis=2, id="flatten-axis2"),
    case("Flatten", [X], axis=0, id="flatten-axis0"),
    case("Flatten", [X], axis=-1, id="flatten-negative"),
    case("Flatten", [X], axis=4, id="flatten-axis-rank"),
    case("Reshape", [X, i64(0, -1, 9)], id="reshape-zero-minus-one"),
    case("Reshape", [X, i64(2, 2, 2, 81)], id="reshape-explicit"),
    case("Transpose", [X], perm=[0, 2, 3, 1], id="transpose-perm"),
    case("Transpose", [X], id="transpose-default"),
    # Gemm and MatMul
    case("Gemm", [(3, 5), f32(7, 5), f32(7)], transB=1, id="gemm-linear"),
    case("Gemm", [(5, 3), f32(5, 7), f32(1, 7)], transA=1, alpha=0.5, beta=2.0,
         id="gemm-transA-alpha-beta"),
    case("Gemm", [(3, 5), f32(5, 7), (3, 7)], beta=-1.5, id="gemm-input-bias"),
    case("Gemm", [(3, 5), f32(5, 7)], alpha=3.0, id="gemm-no-bias"),
    case("Gemm", [(3, 5), f32(5, 7), np.float32(0.5)], beta=0.0, id="gemm-beta-zero"),
    case("MatMul", [(3, 5), f32(5, 7)]),
    # Softmax
    case("Softmax", [X], axis=1, id="softmax-axis1"),
    case("Softmax", [X], id="softmax-default-last"),
    case("Softmax", [(3, 10)], opset=11, axis=1, id="softmax-opset11-2d"),
    case("Softmax", [X], opset=11, axis=-1, id="softmax-opset11-last"),
    case("Softmax", [(2, 10, 1, 1)], opset=9, id="softmax-opset9-trailing-units"),
    case("Softmax", [(2, 1, 7, 1)], opset=11, axis=1, id="softmax-opset11-one-long-axis"),
    case("Softmax", [(2, 3, 1, 1)], opset=11, axis=2, id="softmax-opset11-unit-rows"),
    case("LogSoftmax", [X], axis=1, id="logsoftmax-axis1"),
    case("LogSoftmax", [X], id="logsoftmax-default-last"),
    case("LogSoftmax", [(3, 10)], opset=11, axis=1, id="logsoftmax-opset11-2d"),
    case("LogSoftmax", [(2, 10, 1, 1)], opset=12, id="logsoftmax-opset12-trailing-units"),
    # LRN (ONNX Runtime takes odd sizes only)
    case("LRN", [X], size=3, id="lrn-defaults"),
    case("LRN", [X], size=5, alpha=0.5, beta=0.6, bias=2.0, id="lrn-attrs"),
    case("LRN", [(2, 3, 4, 4)], opset=9, size=9, alpha=1.0, id="lrn-window-wider-than-c"),
    # Pad
    case("Pad", [X, i64(0, 0, 1, 2, 0, 0, 3, 0)], id="pad-input"),
    case("Pad", [X, i64(0, 0, 1, 1, 0, 1, 0, 2), np.float32(-2.0)], id="pad-value"),
    case("Pad", [X, i64(1, 2, 3, 0), np.float32(1.0), i64(2, 3)], opset=18, id="pad-axes"),
    case("Pad", [X], opset=10, pads=[0, 0, 2, 1, 0, 0, 0, 1], value=0.5, id="pad-attrs-opset10"),
    case("Pad", [X, i64(0, 0, 1, 2, 0, 0, 3, 8)], mode="reflect", id="pad-reflect"),
    case("Pad", [X, i64(0, 1, 0, 4, 1, 2, 11, 0), np.float32(3.0)], mode="edge", id="pad-edge"),
    case("Pad", [X, i64(2, 8, 1, 3), None, i64(-1, 2)], opset=18, mode="reflect",
         id="pad-reflect-axes"),
    case("Pad", [X, i64(3, 1, 2, 5, 0, 11), None, i64(1, 2, 3)], opset=19, mode="wrap",
         id="pad-wrap-axes"),
    case("Pad", [X], opset=2, mode="edge", pads=[0, 0, 2, 1, 0, 0, 0, 3], id="pad-edge-opset2"),
    case("Pad", [X], opset=10, mode="reflect", pads=[0, 1, 2, 1, 0, 2, 0, 8],
         id="pad-reflect-opset10"),
    case("Pad", [X, i64(0, 0, 1, 2, 0, 0, 3, 8)], opset=11, mode="edge", id="pad-edge-opset11"),
    case("Pad", [X, i64(0, 0, 1, 2, 0, 0, 3, 8)], opset=13, mode="reflect",
         id="pad-reflect-opset13"),
    # Resize and Upsample
    case("Resize", [X, None, np.array([1, 1, 2, 2], np.float32)], mode="nearest",
         coordinate_transformation_mode="asymmetric", nearest_mode="floor",
         id="resize-nearest-asymmetric-floor"),
    case("Resize", [X, None, np.array([1, 1, 2, 3], np.float32)], mode="nearest",
         id="resize-nearest-default"),
    case("Resize", [X, None, None, i64(2, 4, 14, 5)], mode="nearest",
         nearest_mode="round_prefer_ceil", id="resize-nearest-sizes-prefer-ceil"),
    case("Resize", [X, None, None, i64(2, 4, 12, 20)], mode="nearest",
         coordinate_transformation_mode="align_corners", nearest_mode="ceil",
         id="resize-nearest-align-corners-ceil"),
    case("Resize", [X, None, np.array([1, 1, 2, 2], np.float32)], mode="linear",
         id="resize-linear-half-pixel"),
    case("Resize", [X, None, None, i64(2, 4, 1, 13)], mode="linear",
         coordinate_transformation_mode="pytorch_half_pixel", id="resize-linear-pytorch"),
    case("Resize", [X, None, None, i64(2, 4, 17, 4)], mode="linear",
         coordinate_transformation_mode="align_corners", id="resize-linear-align-corners"),
    case("Resize", [(2, 4, 8, 8), None, np.array([1, 1, 0.5, 0.5], np.float32)],
         mode="linear", coordinate_transformation_mode="asymmetric", id="resize-downsample"),
    case("Resize", [X, np.zeros(0, np.float32), np.zeros(0, np.float32), i64(2, 4, 18, 18)],
         opset=11, mode="nearest", id="resize-opset11-sizes"),
    case("Resize", [X, np.array([1, 1, 2, 2], np.float32)], opset=10, mode="nearest",
         id="resize-opset10"),
    case("Resize", [(2, 4, 8, 8), np.array([1, 1, 0.5, 0.5], np.float32)], opset=10,
         mode="nearest", id="resize-opset10-down"),
    case("Upsample", [X, np.array([1, 1, 2, 3], np.float32)], opset=9, mode="linear",
         id="upsample-opset9-linear"),
    case("Upsample", [X], opset=7, mode="nearest", scales=[1.0, 1.0, 3.0, 2.0],
         id="upsample-opset7-attr"),
    case("Upsample", [X, np.array([1, 1, 1.5, 2.5], np.float32)], opset=9, mode="linear",
         id="upsample-scales-not-whole"),
    case("Resize", [X, None, np.array([1, 1, 1.5, 0.65], np.float32)], mode="nearest",
         id="resize-scales-not-whole"),
    case("Resize", [X, None, np.array([1, 1, 2, 1.5], np.float32)], mode="cubic",
         id="resize-cubic"),
    case("Resize", [X, None, np.array([1, 1, 0.6, 0.7], np.float32)], mode="cubic",
         cubic_coeff_a=-0.5, exclude_outside=1, id="resize-cubic-exclude-outside"),
    case("Resize", [X, None, None, i64(2, 4, 13, 5)], mode="cubic",
         coordinate_transformation_mode="align_corners", id="resize-cubic-align-corners"),
    case("Resize", [X, np.zeros(0, np.float32), np.array([1, 1, 2, 2], np.float32)],
         opset=11, mode="cubic", id="resize-cubic-opset11"),
    case("Resize", [X, None, None, i64(2, 4, 4, 3)], opset=18, mode="linear", antialias=1,
         id="resize-linear-antialias"),
    case("Resize", [X, None, np.array([1, 1, 0.4, 0.6], np.float32)], opset=18, mode="cubic",
         antialias=1, id="resize-cubic-antialias"),
    case("Resize", [X, None, None, i64(5, 13)], opset=18, mode="linear", axes=[3, 2],
         id="resize-axes"),
    case("Resize", [X, None, None, i64(14, 20)], opset=18, mode="nearest", axes=[2, 3],
         keep_aspect_ratio_policy="not_larger", id="resize-not-larger"),
    case("Resize", [X, None, None, i64(4, 7)], opset=18, mode="linear", axes=[2, 3],
         keep_aspect_ratio_policy="not_smaller", id="resize-not-smaller"),
    case("Resize", [X, np.array([0, 0, 0.1, -0.2, 1, 1, 0.8, 1.3], np.float32), None,
                    i64(2, 4, 6, 7)], mode="linear",
         coordinate_transformation_mode="tf_crop_and_resize", extrapolation_value=3.0,
         id="resize-tf-crop-and-resize"),
    case("Resize", [X, np.array([0.1, -0.2, 0.8, 1.3], np.float32), None, i64(6, 7)],
         opset=18, mode="nearest", axes=[2, 3], coordinate_transformation_mode="tf_crop_and_resize",
         id="resize-tf-crop-and-resize-axes"),
    case("Resize", [X, None, np.array([1, 1, 1.5, 0.7], np.float32)], opset=19, mode="linear",
         coordinate_transformation_mode="half_pixel_symmetric", id="resize-half-pixel-symmetric"),
    # ReduceMean
    case("ReduceMean", [X], axes=[2, 3], id="reducemean-keepdims"),
    case("ReduceMean", [X], axes=[-1], keepdims=0, id="reducemean-drop"),
    case("ReduceMean", [X], id="reducemean-all"),
    case("ReduceMean", [X, i64(1, 3)], opset=18, keepdims=0, id="reducemean-axes-input"),
    case("ReduceMean", [X], opset=18, noop_with_empty_axes=1, id="reducemean-noop"),
    # Pass-through
    case("Identity", [X]),
    case("Dropout", [X], opset=10, ratio=0.3, id="dropout-opset10"),
    case("Dropout", [X, np.float32(0.3), np.array(False)], opset=13, id="dropout-training-false"),
]


@pytest.mark.parametrize("op_type, inputs, opset, attrs", CASES)
def test_operator_matches_onnxruntime(node_model, matches_ort, op_type, inputs, opset, attrs):
    model, feeds = node_model(op_type, inputs, opset, **attrs)
    matches_ort(model, feeds)


def test_constant_operands_become_nn_constant(node_model):
    model, _ = node_model("Add", [X, f32(4, 1, 1)])
    ops = [op.name for op in from_onnx(model).walk()]
    assert ops.count("nn.constant") == 1 and "nn.add" in ops


def test_shape_inputs_leave_no_ir(node_model):
    """Reshape's shape and Clip's bounds are read at import, not materialized."""
    model, _ = node_model("Reshape", [X, i64(2, -1)])
    assert [op.name for op in from_onnx(model).walk()] == [
        "builtin.module", "func.func", "nn.reshape", "func.return"
    ]


def test_constant_node_values(graph_model, matches_ort):
    """`Constant` nodes with each value attribute feed converters as constants."""
    nodes = [
        helper.make_node("Constant", [], ["shape"], value_ints=[2, -1]),
        helper.make_node("Constant", [], ["lo"], value_float=-0.25),
        helper.make_node("Constant", [], ["bias"],
                         value=numpy_helper.from_array(f32(324), "b")),
        helper.make_node("Constant", [], ["scale"], value_floats=[0.5] * 324),
        helper.make_node("Reshape", ["x", "shape"], ["r"]),
        helper.make_node("Clip", ["r", "lo"], ["c"]),
        helper.make_node("Add", ["c", "bias"], ["a"]),
        helper.make_node("Mul", ["a", "scale"], ["y"]),
    ]
    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, X)
    model = graph_model(nodes, [x], ["y"])
    matches_ort(model, {"x": R.standard_normal(X).astype(np.float32)})


def test_initializer_listed_as_graph_input_is_constant(graph_model, matches_ort):
    """IR version 3 models list every initializer among the graph inputs."""
    w = numpy_helper.from_array(W, "w")
    inputs = [helper.make_tensor_value_info(n, TensorProto.FLOAT, s) for n, s in
              (("x", X), ("w", W.shape))]
    model = graph_model([helper.make_node("Conv", ["x", "w"], ["y"])], inputs, ["y"], [w])
    func = next(op for op in from_onnx(model).walk() if op.name == "func.func")
    assert len(func.body.block.args) == 1
    matches_ort(model, {"x": R.standard_normal(X).astype(np.float32)})
