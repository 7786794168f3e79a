"""Building small ONNX models and checking the importer's reference run against ONNX
Runtime, shared by the frontend tests."""

from __future__ import annotations

import numpy as np
import onnx
import onnxruntime as ort
import pytest
from onnx import TensorProto, helper, numpy_helper

from relayout.frontend.errors import OnnxImportError
from relayout.frontend.onnx_import import from_onnx
from relayout.interpreters.nn import interpret

IR_VERSION = 8  # old enough for every ONNX Runtime release, new enough for opset 21


def one_node_model(op_type: str, inputs: list, opset: int = 17, outputs: int = 1,
                   name: str = "n0", seed: int = 0, **attrs) -> tuple[onnx.ModelProto, dict]:
    """A model of one node. Each entry of ``inputs`` is a shape (a random float graph
    input), an array (an initializer) or None (an omitted optional input).
    Returns the model and the feeds for its graph inputs."""
    rng = np.random.default_rng(seed)
    names, graph_inputs, initializers, feeds = [], [], [], {}
    for i, spec in enumerate(inputs):
        if spec is None:
            names.append("")
        elif isinstance(spec, np.ndarray | np.generic):
            names.append(f"c{i}")
            initializers.append(numpy_helper.from_array(np.asarray(spec), f"c{i}"))
        else:
            names.append(f"x{i}")
            feeds[f"x{i}"] = rng.standard_normal(spec).astype(np.float32)
            graph_inputs.append(helper.make_tensor_value_info(f"x{i}", TensorProto.FLOAT, spec))
    outs = [f"y{i}" for i in range(outputs)]
    node = helper.make_node(op_type, names, outs, name=name, **attrs)
    return typed_model([node], graph_inputs, outs, initializers, opset), feeds


def typed_model(nodes, graph_inputs, outputs: list[str], initializers=(), opset: int = 17):
    """A model whose outputs carry the types ONNX infers (the checker requires them)."""
    graph = helper.make_graph(
        nodes, "g", graph_inputs,
        [helper.make_tensor_value_info(o, TensorProto.FLOAT, None) for o in outputs],
        list(initializers),
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)],
                              ir_version=IR_VERSION)
    inferred = onnx.shape_inference.infer_shapes(model)
    for out, typed in zip(model.graph.output, inferred.graph.output):
        out.CopyFrom(typed)
    return model


def assert_names_the_node(model: onnx.ModelProto, node: str, message: str) -> None:
    """Importing ``model`` fails with an OnnxImportError naming ``node`` and saying
    ``message``. The output's inferred type goes first: shape inference may refuse the
    model before the importer does."""
    model.graph.output[0].ClearField("type")
    with pytest.raises(OnnxImportError, match=f"node '{node}'") as e:
        from_onnx(model)
    assert message in str(e.value)


def run_ort(model: onnx.ModelProto, feeds: dict) -> list[np.ndarray]:
    session = ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])
    return session.run(None, feeds)


def assert_matches_ort(model: onnx.ModelProto, feeds: dict, batch: int | None = None):
    """Import, verify, interpret; compare every output with ONNX Runtime's."""
    module = from_onnx(model, batch)
    module.verify()
    ours = interpret(module, list(feeds.values()))
    theirs = run_ort(model, feeds)
    assert len(ours) == len(theirs)
    for a, b in zip(ours, theirs):
        assert a.shape == b.shape
        np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-5)
    return module


@pytest.fixture(scope="session")
def node_model():
    return one_node_model


@pytest.fixture(scope="session")
def graph_model():
    return typed_model


@pytest.fixture(scope="session")
def matches_ort():
    return assert_matches_ort
