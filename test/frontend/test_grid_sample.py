"""ONNX GridSample against ONNX Runtime: the mode names of opsets 16 and 20, every padding
mode, a grid fed as an input and one the graph computes (from a conv, as a flow field),
in NCHW and after conversion to NHWC; bad input refused naming the node."""

import numpy as np
import pytest
from onnx import TensorProto, helper, numpy_helper

from relayout import api
from relayout.dialects.nn import GridSampleOp
from relayout.frontend.errors import OnnxImportError
from relayout.frontend.onnx_import import from_onnx
from relayout.interpreters.nn import interpret
from relayout.test.frontend.conftest import run_ort

X, GRID = (2, 3, 5, 6), (2, 4, 7, 2)


def case(opset, id, **attrs):
    return pytest.param(opset, attrs, id=id)


# Not bicubic with border: ONNX Runtime clamps only the taps there, where ONNX's
# reference (and relayout) clamp the place first.
CASES = [
    case(16, "opset16-default"),
    case(16, "opset16-bicubic-reflection-corners", mode="bicubic", padding_mode="reflection",
         align_corners=1),
    case(16, "opset16-nearest-border", mode="nearest", padding_mode="border"),
    case(20, "opset20-linear-border-corners", mode="linear", padding_mode="border",
         align_corners=1),
    case(20, "opset20-cubic-zeros", mode="cubic"),
    case(21, "opset21-nearest-reflection", mode="nearest", padding_mode="reflection"),
]


@pytest.mark.parametrize("opset, attrs", CASES)
def test_grid_input_matches_onnxruntime(node_model, close_to_magnitude, opset, attrs):
    model, feeds = node_model("GridSample", [X, GRID], opset, **attrs)
    module = from_onnx(model)
    assert sum(isinstance(op, GridSampleOp) for op in module.walk()) == 1
    (want,) = run_ort(model, feeds)
    (got,) = interpret(module, list(feeds.values()))
    close_to_magnitude(got, want)


def _flow_model(graph_model):
    """A conv's features sampled where tanh of another conv of the same input points:
    the grid is a computed tensor, its (x, y) channels moved last by a Transpose."""
    rng = np.random.default_rng(3)
    weights = [numpy_helper.from_array(rng.standard_normal(s).astype(np.float32), n)
               for n, s in (("w", (8, 3, 3, 3)), ("wf", (2, 3, 3, 3)))]
    nodes = [
        helper.make_node("Conv", ["x", "w"], ["f"], pads=[1, 1, 1, 1]),
        helper.make_node("Conv", ["x", "wf"], ["o"], pads=[1, 1, 1, 1]),
        helper.make_node("Transpose", ["o"], ["t"], perm=[0, 2, 3, 1]),
        helper.make_node("Tanh", ["t"], ["g"]),
        helper.make_node("GridSample", ["f", "g"], ["y"], mode="bilinear",
                         padding_mode="reflection"),
    ]
    inputs = [helper.make_tensor_value_info("x", TensorProto.FLOAT, X)]
    return graph_model(nodes, inputs, ["y"], weights, 16)


def test_computed_grid_matches_onnxruntime_in_nchw_and_nhwc(graph_model, close_to_magnitude):
    model = _flow_model(graph_model)
    x = np.random.default_rng(4).standard_normal(X).astype(np.float32)
    (want,) = run_ort(model, {"x": x})
    module = from_onnx(model)
    nhwc = api.optimize(module.clone(), ("NHWC", "default"))
    (op,) = [o for o in nhwc.walk() if isinstance(o, GridSampleOp)]
    assert str(op.data_layout) == "NHWC"
    for converted in (module, nhwc):
        (got,) = interpret(converted, [x])
        close_to_magnitude(got, want)


BAD = [
    ([(1, 2, 3, 4, 5), (1, 2, 2, 2, 3)], 20, {}, r"only 4-D \(NCHW\) input is supported"),
    ([X, GRID], 20, {"mode": "bilinear"},
     "mode 'bilinear' is not one of nearest, linear, cubic at opset 20"),
    ([X, GRID], 16, {"mode": "linear"},
     "mode 'linear' is not one of nearest, bilinear, bicubic at opset 16"),
    ([X, GRID], 16, {"padding_mode": "wrap"},
     "padding_mode 'wrap' is not one of zeros, border, reflection"),
    ([X, (2, 4, 7, 3)], 16, {}, r"grid must be \[N, Ho, Wo, 2\], got shape \[2, 4, 7, 3\]"),
    ([X, (1, 4, 7, 2)], 16, {}, "grid has N = 1, the input N = 2"),
]


@pytest.mark.parametrize("inputs, opset, attrs, message", BAD)
def test_bad_input_names_the_node(node_model, inputs, opset, attrs, message):
    model, _ = node_model("GridSample", inputs, opset, name="warp", **attrs)
    with pytest.raises(OnnxImportError, match=f"warp.*{message}"):
        from_onnx(model)
