"""`from_onnx` as a whole: model sources, symbolic batch, names from the model, and
every way a model can be rejected; each rejection is an `OnnxImportError` whose message
names the node and what is wrong."""

import re

import numpy as np
import onnx
import pytest
from onnx import TensorProto, helper, numpy_helper

from relayout.dialects.context import parse_module
from relayout.frontend.errors import OnnxImportError
from relayout.frontend.models import gemm_softmax_head
from relayout.frontend.onnx_import import MAX_OPSET, from_onnx
from relayout.interpreters.nn import interpret

X = (1, 3, 8, 8)
W = np.random.default_rng(3).standard_normal((4, 3, 3, 3)).astype(np.float32)


def conv_model(graph_model, node_name="conv3", x_dims=X, **attrs):
    inputs = [helper.make_tensor_value_info("x", TensorProto.FLOAT, x_dims)]
    node = helper.make_node("Conv", ["x", "W"], ["y"], name=node_name, **attrs)
    return graph_model([node], inputs, ["y"], [numpy_helper.from_array(W, "W")])


def rejects(model, *fragments, batch=None):
    with pytest.raises(OnnxImportError) as info:
        from_onnx(model, batch)
    for fragment in fragments:
        assert fragment in str(info.value)
    return str(info.value)


# Sources.


def test_proto_bytes_and_path_import_alike(tmp_path):
    model = gemm_softmax_head(size=16)
    path = tmp_path / "m.onnx"
    onnx.save(model, path)
    texts = {str(from_onnx(m)) for m in (model, model.SerializeToString(), path, str(path))}
    assert len(texts) == 1


def test_symbolic_batch_takes_batch_argument(matches_ort):
    model = gemm_softmax_head(batch=None, size=16)
    x = np.random.default_rng(0).standard_normal((3, 3, 16, 16)).astype(np.float32)
    module = matches_ort(model, {"input": x}, batch=3)
    assert "tensor<3x3x16x16xf32>" in str(module)


def test_printed_module_parses_back_and_runs_the_same():
    module = from_onnx(gemm_softmax_head(size=16))
    x = np.random.default_rng(0).standard_normal((1, 3, 16, 16)).astype(np.float32)
    (again,) = interpret(parse_module(str(module)), [x])
    np.testing.assert_array_equal(interpret(module, [x])[0], again)


HOSTILE = 'a"b\n*/ %c} @d\'e'


def test_hostile_names_are_sanitized(graph_model, matches_ort):
    """Names may hold quotes, newlines, comment ends: none may reach the IR text."""
    inputs = [helper.make_tensor_value_info(HOSTILE, TensorProto.FLOAT, X)]
    nodes = [helper.make_node("Relu", [HOSTILE], [HOSTILE + "1"], name=HOSTILE),
             helper.make_node("Add", [HOSTILE + "1", "9" + HOSTILE], ["*/"], name="*/")]
    bias = numpy_helper.from_array(np.ones(8, np.float32), "9" + HOSTILE)
    model = graph_model(nodes, inputs, ["*/"], [bias])
    x = np.random.default_rng(0).standard_normal(X).astype(np.float32)
    module = matches_ort(model, {HOSTILE: x})
    text = str(module)
    assert "*/" not in text and '"b' not in text and "'e" not in text
    names = set(re.findall(r"%([^\s:,)]+)", text))
    assert all(re.fullmatch(r"[A-Za-z0-9_]+", n) for n in names), names
    assert "a_b_c_d_e" in names
    parse_module(text)


# Rejections.


def test_unsupported_operator(node_model):
    model, _ = node_model("LpNormalization", [X], name="norm7")
    message = rejects(model, "node 'norm7' (LpNormalization): unsupported operator")
    assert "LpNormalization" in message.split(";")[1]


def test_unsupported_domain(graph_model):
    node = helper.make_node("FusedConv", ["x"], ["y"], domain="com.microsoft")
    graph = helper.make_graph(
        [node], "g", [helper.make_tensor_value_info("x", TensorProto.FLOAT, X)],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, X)],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17),
                                                    helper.make_opsetid("com.microsoft", 1)])
    rejects(model, "node #0 (FusedConv): unsupported operator", "'com.microsoft'")


@pytest.mark.parametrize("cut", [0.1, 0.5, 0.9, -1])
def test_truncated_file(tmp_path, cut):
    data = gemm_softmax_head(size=16).SerializeToString()
    path = tmp_path / "truncated.onnx"
    path.write_bytes(data[: int(len(data) * cut)] if cut > 0 else data[:cut])
    rejects(path, "cannot read the ONNX model")


def test_every_prefix_imports_or_is_rejected(graph_model):
    """Cut anywhere, a file gives a module or an OnnxImportError, never another error."""
    data = conv_model(graph_model).SerializeToString()
    outcomes = set()
    for cut in range(len(data)):
        try:
            from_onnx(data[:cut])
            outcomes.add("imported")
        except OnnxImportError as e:
            outcomes.add(str(e).split(":")[0])
    assert "cannot read the ONNX model" in outcomes


def test_garbage_bytes_cannot_be_read():
    rejects(b"\xff\xfe not a protobuf \x00\x01", "cannot read the ONNX model")


def test_missing_file(tmp_path):
    rejects(tmp_path / "absent.onnx", "cannot read the ONNX model")


def test_dynamic_batch_without_batch_argument(graph_model):
    model = conv_model(graph_model, x_dims=["N", 3, 8, 8])
    rejects(model, "graph input 'x'", "'N'", "axis 0", "batch=N")
    assert "tensor<2x3x8x8xf32>" in str(from_onnx(model, batch=2))


def test_dynamic_spatial_axis_even_with_batch(graph_model):
    rejects(conv_model(graph_model, x_dims=[1, 3, "H", 8]), "graph input 'x'", "'H'", "axis 2",
            batch=1)


def test_missing_initializer(graph_model):
    inputs = [helper.make_tensor_value_info("x", TensorProto.FLOAT, X)]
    node = helper.make_node("Conv", ["x", "W"], ["y"], name="conv3")
    graph = helper.make_graph([node], "g", inputs,
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    rejects(model, "node 'conv3' (Conv): input 'W' is not a graph input, an initializer",
            "missing initializer")


def test_shape_input_must_be_constant(node_model):
    model, _ = node_model("Reshape", [X, (2,)], name="flat")
    rejects(model, "node 'flat' (Reshape): input 'x1' (shape) is not an initializer or Constant")


@pytest.mark.parametrize(
    "inputs, fragment",
    [([(2, 5), (5, 7)], "input 'x1' (weight) is not an initializer"),
     ([(5,), np.ones((5, 7), np.float32)], "an input of rank 2 or more, got shape [5]"),
     ([(2, 5), np.ones((2, 5, 7), np.float32)], "a 2-D weight, got shape [2, 5, 7]")],
)
def test_matmul_limits(node_model, inputs, fragment):
    model, _ = node_model("MatMul", inputs, name="mm")
    rejects(model, "node 'mm' (MatMul): ", fragment)


def test_wrong_attribute_type(graph_model):
    rejects(conv_model(graph_model, strides=[1.0, 1.0]),
            "node 'conv3' (Conv): attribute 'strides' must be INTS, got FLOATS")


def test_wrong_attribute_length(graph_model):
    rejects(conv_model(graph_model, pads=[1, 1]), "attribute 'pads' needs 4 values, got [1, 1]")


def test_hostile_node_name_in_error_is_escaped(graph_model):
    message = rejects(conv_model(graph_model, node_name=HOSTILE, strides=[1.0, 1.0]),
                      repr(HOSTILE), "(Conv)")
    assert "\n" not in message


def test_unnamed_node_is_named_by_index(graph_model):
    rejects(conv_model(graph_model, node_name="", auto_pad="SAME_MIDDLE"),
            "node #0 (Conv): auto_pad 'SAME_MIDDLE'")


def test_non_float_graph_input(node_model):
    model, _ = node_model("Relu", [X])
    model.graph.input[0].type.tensor_type.elem_type = TensorProto.INT64
    rejects(model, "graph input 'x0' has element type INT64")


def test_non_float_constant_operand(node_model):
    model, _ = node_model("Add", [X, np.ones((1,), np.int64)], name="add")
    rejects(model, "node 'add' (Add): input 'c1' is a int64 constant")


def test_opset_newer_than_supported(node_model):
    model, _ = node_model("Relu", [X])
    model.opset_import[0].version = MAX_OPSET + 1
    rejects(model, f"opset {MAX_OPSET + 1} is not supported")


def test_checker_errors_are_wrapped(node_model):
    model, _ = node_model("Relu", [X])
    model.graph.node[0].attribute.append(helper.make_attribute("bogus", 1))
    rejects(model, "invalid ONNX model")


def test_broadcast_mismatch_names_the_node(node_model):
    model, _ = node_model("Add", [X, np.ones((5,), np.float32)], name="sum")
    with pytest.raises(OnnxImportError, match=r"node 'sum' \(Add\): nn.add: shapes .* broadcast"):
        from_onnx(model)


UNSUPPORTED_VARIANTS = [
    ("Softmax", [X], 11, {"axis": 1}, "normalizes over axes 1..3 of shape [1, 3, 8, 8] together"),
    ("LogSoftmax", [(1, 3, 1, 8)], 12, {"axis": -3}, "only rows with one axis longer than 1"),
    ("LRN", [(1, 3, 8)], 17, {"size": 3}, "only 4-D (NCHW) input is supported"),
    ("LRN", [X], 17, {}, "attribute 'size' is required"),
    ("LRN", [X], 17, {"size": 0}, "nn.lrn: size 0 must be >= 1"),
    ("Softmax", [X], 17, {"axis": 4}, "axis 4 is out of range for rank 4"),
    ("Resize", [X, np.array([1, 1, 2, 2], np.float32)], 10, {"mode": "cubic"},
     "mode 'cubic' is not supported"),
    ("Resize", [X, None, np.array([1, 2, 2, 2], np.float32)], 17, {},
     "resizing or cropping N or C is not supported; only H and W"),
    ("Resize", [X, None, np.array([2, 2], np.float32)], 18, {"axes": [2, -2]},
     "axes [2, 2] name an axis twice"),
    ("Resize", [X, None, np.array([2, 2, 2], np.float32)], 18, {"axes": [2, 3]},
     "need 1 value(s) for each of the axes [2, 3]"),
    ("Resize", [X, None, np.array([1, 1, 2, 2], np.float32), np.array([1, 3, 16, 16])], 17,
     {}, "gives both scales and sizes"),
    ("Resize", [X, None, np.array([1, 1, 2, 2], np.float32)], 17,
     {"coordinate_transformation_mode": "tf_crop_and_resize"},
     "coordinate_transformation_mode 'tf_crop_and_resize' needs roi"),
    ("Resize", [X, np.zeros(0, np.float32), np.array([1, 1, 2, 2], np.float32)], 11,
     {"coordinate_transformation_mode": "tf_half_pixel_for_nn"},
     "coordinate_transformation_mode 'tf_half_pixel_for_nn' is not supported"),
    ("Resize", [X, None, np.array([1, 1, 2, 2], np.float32)], 17, {"antialias": 1},
     "nn.resize2d: antialias needs method bilinear or bicubic"),
    ("Pad", [X, np.array([0, 0, 1, 1, 0, 0, 1, 1])], 17, {"mode": "mirror"},
     "mode 'mirror' is not one of constant, reflect, edge, wrap"),
    ("Pad", [(1, 3, 2, 5), np.array([0, 0, 2, 1, 0, 0, 0, 1])], 17, {"mode": "reflect"},
     "reflect pads 2, 0 of axis 2 exceed its extent 2 less one"),
    ("Pad", [X, np.array([1, 2, 3]), np.float32(0), np.array([2, 3])], 18, {},
     "need 2 values for each of the distinct axes"),
    ("Pad", [X, np.array([0, 0, -1, 0, 0, 0, 0, 0])], 17, {}, "negative pads"),
    ("Gemm", [(2, 5), (5, 3)], 17, {}, "input 'x1' (weight) is not an initializer"),
    ("Dropout", [X, None, np.array(True)], 13, {}, "training mode is not supported"),
    ("Conv", [(1, 3, 4, 4, 4), np.ones((4, 3, 3, 3, 3), np.float32)], 17, {},
     "only 1-D and 2-D"),
    ("Concat", [X, X], 17, {}, "attribute 'axis' is required"),
    ("Reshape", [X, np.array([-1, -1])], 17, {}, "more than one -1"),
]


@pytest.mark.parametrize("op_type, inputs, opset, attrs, fragment", UNSUPPORTED_VARIANTS,
                         ids=[f"{v[0]}-{v[4][:24]}" for v in UNSUPPORTED_VARIANTS])
def test_unsupported_variant(node_model, op_type, inputs, opset, attrs, fragment):
    model, _ = node_model(op_type, inputs, opset, name="n9", **attrs)
    rejects(model, f"node 'n9' ({op_type}): ", fragment)


def test_second_output_is_rejected(node_model):
    model, _ = node_model("Dropout", [X], 13, outputs=2, name="drop")
    rejects(model, "node 'drop' (Dropout): output 'y1' is not supported")
