"""ONNX's own backend test data, shipped inside the `onnx` package: every case whose first
input is a 4-D float image imports, matches the expected output within 1e-4 of its
magnitude, and still does after conversion to NHWC.

- ``data/light/``: nine model-zoo CNNs (opset 9, IR 3) whose weights are stored as
  ``ConstantOfShape(shape)`` nodes. Each imports as shipped; for the numbers each such
  node becomes an initializer that zoo.fixtures.refill fills with seeded values, and the
  result (and the logits the final Softmax reads) is compared with ONNX Runtime.
- ``onnx.backend.test.case.node``: the single-node cases (this onnx wheel ships their
  generators, not ``data/node/``). Inputs after the first become initializers, as an
  exporter writes weights, pads and sizes. A case written for an opset newer than the
  importer reads is converted down by onnx.version_converter, as the importer converts
  older ones up.
- ``data/pytorch-converted``, ``pytorch-operator``, ``simple``: small exported models
  with their inputs and outputs as ``.pb`` files (none of ``simple``'s has a 4-D input).

A case the importer refuses is an xfail that must raise OnnxImportError: automatically
for an op with neither a converter nor an ONNX function body (which the importer imports
in its place) or an opset the converter cannot bring down, and by the table REFUSED for
an unsupported attribute or a function body that does not import. The marks are strict, so a case that starts
passing fails until its mark goes.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from fnmatch import fnmatch
from pathlib import Path

import numpy as np
import onnx
import onnx.version_converter
import onnxruntime as ort
import pytest
from onnx import ModelProto, TensorProto, helper, numpy_helper
from onnx.backend.test.case import node as node_cases
from xdsl.dialects import func
from xdsl.dialects.builtin import ModuleOp

from relayout import api
from relayout.cli import transforms
from relayout.dialects.nn.base import shape_of
from relayout.frontend.constant_eval import constant_nodes
from relayout.frontend.errors import OnnxImportError
from relayout.frontend.function_bodies import has_body
from relayout.frontend.onnx_import import MAX_OPSET, from_onnx
from relayout.frontend.onnx_ops import converters
from relayout.interpreters.nn import interpret
from relayout.test.frontend.zoo.fixtures import inputs, refill

DATA = Path(onnx.__file__).parent / "backend" / "test" / "data"

ANCHORS = {"max_pool2d": "NHWC", "avg_pool2d": "NHWC", "global_avg_pool2d": "NHWC",
           "global_max_pool2d": "NHWC", "resize2d": "NHWC"}
"""Every op with a layout converts, so a single pool or resize moves to NHWC too."""

REFUSED: dict[str, str] = {
    "attention_*": "Attention's function body: MatMul of two computed tensors",
    "nllloss_*": "NegativeLogLikelihoodLoss's function body: GatherElements",
    "sce_*": "SoftmaxCrossEntropyLoss's function body: GatherElements",
    **dict.fromkeys(
        ("rotary_embedding", "rotary_embedding_interleaved", "rotary_embedding_no_position_ids",
         "rotary_embedding_no_position_ids_interleaved"),
        "RotaryEmbedding's function body, rotating the whole head: Split into an empty part"),
    "maxpool_with_argmax_*": "MaxPool output Indices",
    "matmul_4d*": "MatMul of a weight that is not 2-D",
    "matmul_bcast": "MatMul of a weight that is not 2-D",
    "pytorch-converted/PReLU_2d_multiparam": "opset 6 PRelu applies its [C] slope along axis "
                                             "1; onnx.version_converter leaves it [C], which "
                                             "does not broadcast at opset 13 (onnxruntime "
                                             "fails too)",
}
"""Case id pattern (fnmatch) -> what the importer refuses in it; the first match names it."""


def _nhwc(module: ModuleOp, **anchors: str) -> ModuleOp:
    return api.optimize(module.clone(), ("NHWC", "default"), None, **anchors)


def _unsupported(proto: ModelProto) -> str | None:
    """Why the importer must refuse ``proto`` by its op types or opset, if it must."""
    graph = proto.graph
    folded = constant_nodes(graph, {t.name for t in graph.initializer})
    table = converters()
    opset = next(o.version for o in proto.opset_import if o.domain in ("", "ai.onnx"))
    missing = sorted({n.op_type for i, n in enumerate(graph.node)
                      if i not in folded and n.op_type not in table
                      and not has_body(n, opset)})
    if missing:
        return f"no converter or ONNX function body for {', '.join(missing)}"
    if opset > MAX_OPSET:
        return f"opset {opset}, which onnx.version_converter cannot bring down to {MAX_OPSET}"
    return None


def _refusal(case_id: str, proto: ModelProto) -> list[pytest.MarkDecorator]:
    """The xfail mark of a case the importer must refuse, if it must."""
    reason = _unsupported(proto) or next(
        (why for pattern, why in REFUSED.items() if fnmatch(case_id, pattern)), None)
    return [pytest.mark.xfail(strict=True, raises=OnnxImportError, reason=reason)] \
        if reason else []


def _param(case_id: str, proto: ModelProto, *values: object) -> object:
    return pytest.param(proto, *values, marks=_refusal(case_id, proto), id=case_id)


def _check(module: ModuleOp, feeds: list[np.ndarray], expected: list[np.ndarray],
           close_to_magnitude, **anchors: str) -> None:
    """The module's outputs, before and after conversion to NHWC, are ``expected``."""
    for converted in (module, _nhwc(module, **anchors)):
        got = interpret(converted, feeds)
        assert len(got) == len(expected)
        for a, b in zip(got, expected):
            assert a.shape == b.shape
            close_to_magnitude(a, b)


# The light model zoo.

LIGHT = sorted(p.stem.removeprefix("light_") for p in (DATA / "light").glob("light_*.onnx"))


FC_HEAVY = {"bvlc_alexnet", "vgg19", "zfnet512"}
"""Their first dense layer has 37M to 103M weights; protobuf's copies of them in the
onnx checker and shape inference make most of their import time."""


def _light_params() -> list:
    return [pytest.param(name, marks=_refusal(name, _light(name)) + (
        [pytest.mark.slow] if name in FC_HEAVY else [])) for name in LIGHT]


def _light(name: str) -> ModelProto:
    return onnx.load(str(DATA / "light" / f"light_{name}.onnx"))


def _weights_as_initializers(proto: ModelProto) -> ModelProto:
    """Each ``ConstantOfShape`` of a stored shape becomes an initializer of that shape
    without data, for refill; the logits a final Softmax reads become an output too."""
    graph = proto.graph
    stored = {t.name: t for t in graph.initializer}
    nodes, weights, shapes = [], [], set()
    for node in graph.node:
        if node.op_type == "ConstantOfShape" and node.input[0] in stored:
            shapes.add(node.input[0])
            dims = numpy_helper.to_array(stored[node.input[0]]).tolist()
            weights.append(TensorProto(name=node.output[0], data_type=TensorProto.FLOAT,
                                       dims=dims))
        else:
            nodes.append(node)
    del graph.node[:]
    graph.node.extend(nodes)
    kept = [t for t in graph.initializer if t.name not in shapes]
    del graph.initializer[:]
    graph.initializer.extend(kept + weights)
    values = [i for i in graph.input if i.name not in shapes]
    # IR 3 lists every initializer among the graph inputs.
    if proto.ir_version < 4:
        values += [helper.make_tensor_value_info(w.name, w.data_type, w.dims) for w in weights]
    del graph.input[:]
    graph.input.extend(values)
    outputs = {o.name for o in graph.output}
    logits = [n.input[0] for n in graph.node if n.op_type == "Softmax" and n.output[0] in outputs]
    typed = {v.name: v for v in onnx.shape_inference.infer_shapes(proto).graph.value_info}
    graph.output.extend(typed[name] for name in logits)
    return proto


def _output_shapes(module: ModuleOp) -> list[tuple[int, ...]]:
    main = module.body.block.first_op
    assert isinstance(main, func.FuncOp)
    returned = main.body.block.last_op
    assert isinstance(returned, func.ReturnOp)
    return [shape_of(v) for v in returned.operands]


@pytest.mark.parametrize("name", _light_params())
def test_light_model_imports_as_shipped(name):
    proto = _light(name)
    want = [tuple(d.dim_value for d in o.type.tensor_type.shape.dim) for o in proto.graph.output]
    assert _output_shapes(from_onnx(proto)) == want


def _onnxruntime(proto: ModelProto, feeds: dict[str, np.ndarray]) -> list[np.ndarray]:
    options = ort.SessionOptions()
    # Its graph optimizations would spend seconds folding the weights for one run.
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL
    options.log_severity_level = 3  # not the warning about an unused shipped initializer
    session = ort.InferenceSession(proto.SerializeToString(), options,
                                   providers=["CPUExecutionProvider"])
    return session.run(None, feeds)


@pytest.mark.parametrize("name", _light_params())
def test_light_model_matches_onnxruntime_in_nchw_and_nhwc(name, close_to_magnitude):
    proto = refill(_weights_as_initializers(_light(name)))
    feeds = inputs(proto)
    want = _onnxruntime(proto, feeds)
    module = from_onnx(proto)
    del proto
    x = list(feeds.values())
    for got, expected in zip(interpret(module, x), want, strict=True):
        close_to_magnitude(got, expected)
    # In place: the NCHW module is not needed again, and its weights are large.
    nhwc = api.optimize(module, ("NHWC", "default"))
    assert len(transforms(nhwc)) <= 1, [str(e) for e in api.explain(nhwc)]
    for got, expected in zip(interpret(nhwc, x), want, strict=True):
        close_to_magnitude(got, expected)


# The single-node cases.


ORT_IS_THE_ORACLE = {
    "averagepool_2d_ceil_last_window_starts_on_pad": "the shipped output is 1.6e-4 of its "
    "magnitude off the float32 average; onnxruntime and relayout agree to the last bit",
}
"""Cases whose shipped output is less exact than the 1e-4 rule: compared with onnxruntime
instead, which must stay within 1e-3 of the shipped output."""


def _oracle(name: str, proto: ModelProto, x: np.ndarray, shipped: list) -> list:
    if name not in ORT_IS_THE_ORACLE:
        return shipped
    session = ort.InferenceSession(proto.SerializeToString(), providers=["CPUExecutionProvider"])
    theirs = session.run(None, {proto.graph.input[0].name: x})
    for a, b in zip(theirs, shipped):
        np.testing.assert_allclose(a, b, atol=1e-3 * float(np.abs(b).max()))
    return theirs


def _node_cases() -> list:
    """Every single-node case of the default domain whose first input is a 4-D float."""
    with warnings.catch_warnings():
        # Their generators cast out-of-range values on purpose.
        warnings.simplefilter("ignore")
        cases = node_cases.collect_testcases()
    params = []
    for case in cases:
        assert case.model is not None and case.data_sets  # expect() makes one data set
        graph = case.model.graph
        feeds, expected = case.data_sets[0]
        first = feeds[0] if feeds else None
        if len(graph.node) != 1 or graph.node[0].domain not in ("", "ai.onnx") or not (
                isinstance(first, np.ndarray) and first.dtype == np.float32 and first.ndim == 4):
            continue
        proto = _readable(_parameters_as_initializers(case.model, feeds))
        name = case.name.removeprefix("test_")
        params.append(_param(name, proto, first, _oracle(name, proto, first, list(expected))))
    return params


def _parameters_as_initializers(proto: ModelProto, feeds: Sequence[np.ndarray]) -> ModelProto:
    model = ModelProto()
    model.CopyFrom(proto)
    graph = model.graph
    # Omitted optional inputs have no graph input, and the feeds follow the graph inputs.
    for value, array in zip(graph.input[1:], feeds[1:]):
        graph.initializer.append(numpy_helper.from_array(np.asarray(array), value.name))
    del graph.input[1:]
    return model


def _readable(proto: ModelProto) -> ModelProto:
    """``proto`` converted down to MAX_OPSET when it is newer and the converter can."""
    if proto.opset_import[0].version <= MAX_OPSET:
        return proto
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return onnx.version_converter.convert_version(proto, MAX_OPSET)
    except Exception:  # noqa: BLE001 - the converter raises all kinds; the import refuses
        return proto


@pytest.mark.parametrize("proto, x, expected", _node_cases())
def test_node_case(proto, x, expected, close_to_magnitude):
    _check(from_onnx(proto), [x], list(expected), close_to_magnitude, **ANCHORS)


# The exported models.

FOLDERS = ("pytorch-converted", "pytorch-operator", "simple")


def _read(path: Path) -> np.ndarray:
    return numpy_helper.to_array(TensorProto.FromString(path.read_bytes()))


def _folder_cases() -> list:
    """Every model of FOLDERS whose first input is a 4-D float, with its data sets."""
    params = []
    for folder in FOLDERS:
        for case in sorted((DATA / folder).iterdir()):
            sets = [(sorted(d.glob("input_*.pb")), sorted(d.glob("output_*.pb")))
                    for d in sorted(case.glob("test_data_set_*"))]
            first = _read(sets[0][0][0]) if sets and sets[0][0] else None
            if first is None or first.dtype != np.float32 or first.ndim != 4:
                continue
            case_id = f"{folder}/{case.name.removeprefix('test_')}"
            proto = onnx.load(str(case / "model.onnx"))
            params.append(_param(case_id, proto, sets))
    return params


@pytest.mark.parametrize("proto, sets", _folder_cases())
def test_exported_model(proto, sets, close_to_magnitude):
    module = from_onnx(proto)
    for input_files, output_files in sets:
        feeds = [_read(p) for p in input_files]
        _check(module, feeds, [_read(p) for p in output_files], close_to_magnitude, **ANCHORS)
