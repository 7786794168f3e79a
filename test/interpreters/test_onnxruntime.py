"""The reference interpreter agrees with onnxruntime: closely on the ops where window and
coordinate conventions are easy to get wrong (conv, pools, resize, softmax), and in
basic checks of the others."""

import numpy as np
import onnxruntime as ort
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from onnx import TensorProto, helper

from relayout import layout as L
from relayout.dialects.nn import (
    AvgPool2DOp,
    BatchFlattenOp,
    BatchNormOp,
    BiasAddOp,
    ClipOp,
    ConcatOp,
    Conv2DOp,
    DenseOp,
    DivideOp,
    MaxPool2DOp,
    MeanOp,
    PadOp,
    Resize2DOp,
    SigmoidOp,
    SoftmaxOp,
    SubtractOp,
    TanhOp,
    TransposeOp,
)

OPSET = 19
# onnx writes a newer IR version than onnxruntime may read; opset 19 needs only 9.
IR_VERSION = 9


def run_onnx(op_type, inputs, initializers=(), **attrs) -> np.ndarray:
    """Run one ONNX node on numpy inputs with onnxruntime's CPU provider."""
    names = [f"x{i}" for i in range(len(inputs))]
    node = helper.make_node(op_type, names + [t.name for t in initializers], ["y"], **attrs)
    graph = helper.make_graph(
        [node], op_type,
        [helper.make_tensor_value_info(n, TensorProto.FLOAT, x.shape) for n, x in zip(names, inputs)],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)],
        list(initializers),
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)],
                              ir_version=IR_VERSION)
    session = ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])
    return session.run(None, dict(zip(names, inputs)))[0]


def window(draw, size):
    """Kernel, stride, dilation and the two paddings of one spatial axis that fit ``size``."""
    k, s, d = draw(st.integers(1, 3)), draw(st.integers(1, 3)), draw(st.integers(1, 2))
    span = d * (k - 1) + 1
    before, after = draw(st.integers(0, span // 2)), draw(st.integers(0, span // 2))
    assume(size + before + after >= span)
    return k, s, d, before, after


@st.composite
def conv_cases(draw):
    groups = draw(st.sampled_from([1, 2, 4]))
    cin, cout = groups * draw(st.integers(1, 2)), groups * draw(st.integers(1, 2))
    h, w = draw(st.integers(1, 9)), draw(st.integers(1, 9))
    (kh, sh, dh, top, bottom), (kw, sw, dw, left, right) = window(draw, h), window(draw, w)
    rng = np.random.default_rng(draw(st.integers(0, 2**16)))
    x = rng.standard_normal((2, cin, h, w)).astype(np.float32)
    weight = rng.standard_normal((cout, cin // groups, kh, kw)).astype(np.float32)
    return x, weight, (sh, sw), (dh, dw), (top, left, bottom, right), groups


@settings(max_examples=40, deadline=None)
@given(conv_cases(), st.sampled_from(["NCHW", "NHWC"]))
def test_conv2d(run_single, case, data_layout):
    x, w, strides, dilation, padding, groups = case
    expected = run_onnx("Conv", [x, w], strides=strides, dilations=dilation, pads=padding,
                        group=groups)
    kernel_layout = "OIHW" if data_layout == "NCHW" else "HWIO"
    y = run_single(
        Conv2DOp, L.transform(x, "NCHW", data_layout), L.transform(w, "OIHW", kernel_layout),
        strides=strides, dilation=dilation, padding=padding, groups=groups,
        data_layout=data_layout, kernel_layout=kernel_layout,
    )
    np.testing.assert_allclose(L.transform(y, data_layout, "NCHW"), expected, rtol=1e-4, atol=1e-5)


@st.composite
def pool_cases(draw):
    h, w = draw(st.integers(1, 9)), draw(st.integers(1, 9))
    (kh, sh, dh, top, bottom), (kw, sw, dw, left, right) = window(draw, h), window(draw, w)
    x = np.random.default_rng(draw(st.integers(0, 2**16))).standard_normal((1, 3, h, w))
    props = {"pool_size": (kh, kw), "strides": (sh, sw), "dilation": (dh, dw),
                 "padding": (top, left, bottom, right), "ceil_mode": draw(st.booleans())}
    return x.astype(np.float32), props


def onnx_pool_attrs(props) -> dict:
    return {"kernel_shape": props["pool_size"], "strides": props["strides"],
                "dilations": props["dilation"], "pads": props["padding"],
                "ceil_mode": int(props["ceil_mode"])}


@settings(max_examples=60, deadline=None)
@given(pool_cases())
def test_max_pool2d(run_single, case):
    x, props = case
    expected = run_onnx("MaxPool", [x], **onnx_pool_attrs(props))
    np.testing.assert_array_equal(run_single(MaxPool2DOp, x, **props), expected)


@settings(max_examples=60, deadline=None)
@given(pool_cases(), st.booleans())
def test_avg_pool2d(run_single, case, count_include_pad):
    x, props = case
    expected = run_onnx("AveragePool", [x], count_include_pad=int(count_include_pad),
                        **onnx_pool_attrs(props))
    y = run_single(AvgPool2DOp, x, count_include_pad=count_include_pad, **props)
    np.testing.assert_allclose(y, expected, rtol=1e-5, atol=1e-6)


def test_pool2d_in_a_blocked_layout(run_single):
    x = np.random.default_rng(2).standard_normal((1, 8, 7, 7)).astype(np.float32)
    props = {"pool_size": (3, 3), "strides": (2, 2), "dilation": (1, 1), "padding": (1, 1, 1, 1),
                 "ceil_mode": True}
    expected = run_onnx("AveragePool", [x], count_include_pad=1, **onnx_pool_attrs(props))
    y = run_single(AvgPool2DOp, L.transform(x, "NCHW", "NCHW4c"), layout="NCHW4c",
                   count_include_pad=True, **props)
    np.testing.assert_allclose(L.transform(y, "NCHW4c", "NCHW"), expected, rtol=1e-5, atol=1e-6)


RESIZE_MODES = [
    ("nearest", mode, nearest)
    for mode in ("half_pixel", "pytorch_half_pixel", "align_corners", "asymmetric")
    for nearest in ("round_prefer_floor", "round_prefer_ceil", "floor", "ceil")
] + [
    ("bilinear", mode, "round_prefer_floor")
    for mode in ("half_pixel", "pytorch_half_pixel", "align_corners", "asymmetric")
]


@pytest.mark.parametrize("method, coordinate_mode, nearest_mode", RESIZE_MODES)
@pytest.mark.parametrize("size", [(10, 7), (3, 2), (1, 5)])
def test_resize2d(run_single, method, coordinate_mode, nearest_mode, size):
    x = np.random.default_rng(3).standard_normal((1, 2, 5, 4)).astype(np.float32)
    sizes = helper.make_tensor("sizes", TensorProto.INT64, [4], [1, 2, *size])
    expected = run_onnx(
        "Resize", [x], [helper.make_tensor("roi", TensorProto.FLOAT, [0], []),
                        helper.make_tensor("scales", TensorProto.FLOAT, [0], []), sizes],
        mode="nearest" if method == "nearest" else "linear",
        coordinate_transformation_mode=coordinate_mode, nearest_mode=nearest_mode,
    )
    y = run_single(
        Resize2DOp, L.transform(x, "NCHW", "NHWC"), size=size, layout="NHWC", method=method,
        coordinate_mode=coordinate_mode, nearest_mode=nearest_mode,
    )
    np.testing.assert_allclose(L.transform(y, "NHWC", "NCHW"), expected, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("axis", [-1, 0, 1, 2])
def test_softmax(run_single, axis):
    x = 10 * np.random.default_rng(4).standard_normal((2, 3, 4)).astype(np.float32)
    np.testing.assert_allclose(
        run_single(SoftmaxOp, x, axis=axis), run_onnx("Softmax", [x], axis=axis),
        rtol=1e-5, atol=1e-7,
    )


def test_conv2d_in_blocked_layouts(run_single):
    rng = np.random.default_rng(5)
    x = rng.standard_normal((1, 32, 7, 7)).astype(np.float32)
    w = rng.standard_normal((32, 32, 3, 3)).astype(np.float32)
    expected = run_onnx("Conv", [x, w], pads=[1, 0, 2, 1], strides=[2, 1])
    y = run_single(
        Conv2DOp, L.transform(x, "NCHW", "NCHW16c"), L.transform(w, "OIHW", "OIHW16i16o"),
        strides=(2, 1), padding=(1, 0, 2, 1), data_layout="NCHW16c", kernel_layout="OIHW16i16o",
    )
    np.testing.assert_allclose(L.transform(y, "NCHW16c", "NCHW"), expected, rtol=1e-4, atol=1e-5)


def int64s(name: str, values) -> TensorProto:
    return helper.make_tensor(name, TensorProto.INT64, [len(values)], list(values))


@pytest.mark.parametrize("axes, keepdims", [((2, 3), True), ((-1, 1), False), ((0,), True)])
def test_mean(run_single, axes, keepdims):
    x = np.random.default_rng(6).standard_normal((2, 3, 4, 5)).astype(np.float32)
    expected = run_onnx("ReduceMean", [x], [int64s("axes", axes)], keepdims=int(keepdims))
    y = run_single(MeanOp, x, axes=axes, keepdims=keepdims)
    np.testing.assert_allclose(y, expected, rtol=1e-4, atol=1e-5)


def test_pad(run_single):
    x = np.random.default_rng(7).standard_normal((1, 2, 3, 4)).astype(np.float32)
    pad_width = (0, 0, 1, 2, 0, 3, 2, 1)
    # ONNX lists every axis' padding before, then every axis' padding after.
    pads = int64s("pads", pad_width[0::2] + pad_width[1::2])
    value = helper.make_tensor("value", TensorProto.FLOAT, [], [-1.5])
    expected = run_onnx("Pad", [x], [pads, value], mode="constant")
    y = run_single(PadOp, x, pad_width=pad_width, pad_value=-1.5)
    np.testing.assert_array_equal(y, expected)


def test_concat(run_single):
    rng = np.random.default_rng(8)
    a = rng.standard_normal((1, 2, 3, 3)).astype(np.float32)
    b = rng.standard_normal((1, 5, 3, 3)).astype(np.float32)
    expected = run_onnx("Concat", [a, b, a], axis=1)
    np.testing.assert_array_equal(run_single(ConcatOp, a, b, a, axis=1), expected)


def test_dense(run_single):
    rng = np.random.default_rng(9)
    x = rng.standard_normal((3, 16)).astype(np.float32)
    w = rng.standard_normal((10, 16)).astype(np.float32)
    expected = run_onnx("Gemm", [x, w], transB=1)
    np.testing.assert_allclose(run_single(DenseOp, x, w), expected, rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("layout", ["NCHW", "NHWC"])
def test_batch_norm(run_single, layout):
    rng = np.random.default_rng(10)
    x = rng.standard_normal((2, 3, 4, 5)).astype(np.float32)
    gamma, beta, mean = (rng.standard_normal(3).astype(np.float32) for _ in range(3))
    var = rng.uniform(0.1, 2.0, 3).astype(np.float32)
    expected = run_onnx("BatchNormalization", [x, gamma, beta, mean, var], epsilon=1e-3)
    y = run_single(BatchNormOp, L.transform(x, "NCHW", layout), gamma, beta, mean, var,
                   axis=layout.index("C"), epsilon=1e-3)
    np.testing.assert_allclose(L.transform(y, layout, "NCHW"), expected, rtol=1e-4, atol=1e-5)


RNG = np.random.default_rng(11)
X = RNG.standard_normal((2, 3, 4, 5)).astype(np.float32)
C = RNG.uniform(0.5, 2.0, 3).astype(np.float32)
# name: (op, inputs, properties, ONNX op, ONNX attributes[, ONNX inputs when they differ])
ELEMENTWISE_AND_SHAPE = {
    "bias_add": (BiasAddOp, [X, C], {"axis": 1}, "Add", {}, [X, C.reshape(3, 1, 1)]),
    "clip": (ClipOp, [X], {"min": -0.5, "max": 0.5}, "Clip", {},
             [X, np.float32(-0.5), np.float32(0.5)]),
    "sigmoid": (SigmoidOp, [X], {}, "Sigmoid", {}),
    "tanh": (TanhOp, [X], {}, "Tanh", {}),
    "divide_lower_rank": (DivideOp, [X, C.reshape(3, 1, 1)], {}, "Div", {}),
    "subtract_from_scalar": (SubtractOp, [np.array(2.0, np.float32), X], {}, "Sub", {}),
    "transpose": (TransposeOp, [X], {"axes": (0, 2, 3, 1)}, "Transpose", {"perm": (0, 2, 3, 1)}),
    "batch_flatten": (BatchFlattenOp, [X], {}, "Flatten", {"axis": 1}),
}


@pytest.mark.parametrize("name", ELEMENTWISE_AND_SHAPE)
def test_elementwise_and_shape_ops(run_single, name):
    op, inputs, props, onnx_op, attrs, *onnx_inputs = ELEMENTWISE_AND_SHAPE[name]
    expected = run_onnx(onnx_op, [np.asarray(x) for x in (onnx_inputs or [inputs])[0]], **attrs)
    y = run_single(op, *inputs, **props)
    assert y.dtype == np.float32
    np.testing.assert_allclose(y, expected, rtol=1e-5, atol=1e-6)
