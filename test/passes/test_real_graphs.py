"""Graphs as real exporters write them, through optimize-layout in NHWC: ShuffleNet's
channel shuffles (the ONNX backend data's light_shufflenet) and a VGG whose flatten
torch's dynamo exporter writes as Reshape. Each keeps only the input's transform and
still matches ONNX Runtime."""

from pathlib import Path

import numpy as np
import onnx
import onnxruntime as ort
import pytest
from onnx import TensorProto, helper, numpy_helper

from relayout.dialects.nn import ChannelShuffleOp, LayoutTransformOp, ReshapeOp
from relayout.frontend.onnx_import import from_onnx
from relayout.interpreters.check import check
from relayout.interpreters.nn import interpret
from relayout.passes.pipeline import run_pipeline

NHWC = "optimize-layout{conv2d=NHWC,default}"
LIGHT = Path(onnx.__file__).parent / "backend/test/data/light"


def _with_random_weights(model: onnx.ModelProto, seed: int) -> onnx.ModelProto:
    """The light models compute every weight by ConstantOfShape of 0.02 (the weights
    are not shipped): each becomes an initializer of seeded random values, positive for
    the variances of batch norms."""
    rng = np.random.default_rng(seed)
    graph = model.graph
    shapes = {t.name: numpy_helper.to_array(t) for t in graph.initializer}
    variances = {n.input[4] for n in graph.node if n.op_type == "BatchNormalization"}
    weights, nodes = [], []
    for node in graph.node:
        if node.op_type != "ConstantOfShape":
            nodes.append(node)
            continue
        (name,) = node.output
        values = rng.standard_normal(tuple(shapes[node.input[0]])).astype(np.float32) * 0.1
        weights.append(numpy_helper.from_array(np.abs(values) + 0.5 if name in variances
                                               else values, name))
    read = {i for n in nodes for i in n.input}
    initializers = [t for t in graph.initializer if t.name in read] + weights
    inputs = [v for v in graph.input if v.name in read and v.name not in shapes]
    new = helper.make_graph(nodes, graph.name, inputs, list(graph.output), initializers)
    # Initializers that are no graph inputs need IR version 4.
    return helper.make_model(new, opset_imports=model.opset_import, ir_version=8)


def _onnxruntime(model: onnx.ModelProto, x: np.ndarray) -> np.ndarray:
    session = ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])
    return session.run(None, {session.get_inputs()[0].name: x})[0]


def _transforms(module) -> list[LayoutTransformOp]:
    return [op for op in module.walk() if isinstance(op, LayoutTransformOp)]


@pytest.mark.skipif(not (LIGHT / "light_shufflenet.onnx").exists(),
                    reason="this onnx release ships no backend test data")
def test_shufflenet_shuffles_follow_nhwc():
    model = _with_random_weights(onnx.load(LIGHT / "light_shufflenet.onnx"), seed=0)
    module = from_onnx(model)
    x = np.random.default_rng(1).random((1, 3, 224, 224), dtype=np.float32)
    run_pipeline(module, NHWC)
    # 33 before the shuffles were recognized: one back to NCHW before each of the 16.
    assert len(_transforms(module)) == 1
    assert len([op for op in module.walk() if isinstance(op, ChannelShuffleOp)]) == 16
    (got,) = interpret(module, [x])
    assert check(got, _onnxruntime(model, x)).ok


def _vgg_with_reshape_flatten() -> onnx.ModelProto:
    rng = np.random.default_rng(2)
    weights = {
        "w1": rng.standard_normal((8, 3, 3, 3)) * 0.3, "w2": rng.standard_normal((16, 8, 3, 3)) * 0.2,
        "d1": rng.standard_normal((32, 256)) * 0.1, "d2": rng.standard_normal((10, 32)) * 0.2,
    }
    inits = [numpy_helper.from_array(v.astype(np.float32), k) for k, v in weights.items()]
    inits.append(numpy_helper.from_array(np.array([1, -1], np.int64), "flat"))
    nodes = [
        helper.make_node("Conv", ["x", "w1"], ["c1"], pads=[1, 1, 1, 1]),
        helper.make_node("Relu", ["c1"], ["r1"]),
        helper.make_node("MaxPool", ["r1"], ["p1"], kernel_shape=[2, 2], strides=[2, 2]),
        helper.make_node("Conv", ["p1", "w2"], ["c2"], pads=[1, 1, 1, 1]),
        helper.make_node("Relu", ["c2"], ["r2"]),
        helper.make_node("MaxPool", ["r2"], ["p2"], kernel_shape=[2, 2], strides=[2, 2]),
        helper.make_node("Reshape", ["p2", "flat"], ["f"]),
        helper.make_node("Gemm", ["f", "d1"], ["g1"], transB=1),
        helper.make_node("Relu", ["g1"], ["h"]),
        helper.make_node("Gemm", ["h", "d2"], ["y"], transB=1),
    ]
    graph = helper.make_graph(
        nodes, "vgg", [helper.make_tensor_value_info("x", TensorProto.FLOAT, (1, 3, 16, 16))],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, (1, 10))], inits,
    )
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], ir_version=8)


def test_vgg_reshape_flatten_takes_nhwc():
    model = _vgg_with_reshape_flatten()
    module = from_onnx(model)
    x = np.random.default_rng(3).random((1, 3, 16, 16), dtype=np.float32)
    run_pipeline(module, NHWC)
    assert len(_transforms(module)) == 1  # the input's; the dense weight is permuted
    (flat,) = [op for op in module.walk() if isinstance(op, ReshapeOp)]
    assert flat.x.type.get_shape() == (1, 4, 4, 16)
    (got,) = interpret(module, [x])
    assert check(got, _onnxruntime(model, x)).ok
