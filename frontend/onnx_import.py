"""ONNX to the `nn` dialect: `from_onnx` turns a model into
``builtin.module { func.func @main(...) }`` with initializers as `nn.constant`.

Every problem with the model becomes an `OnnxImportError` naming what is wrong, never a
protobuf or onnx traceback.
"""

from __future__ import annotations

import os
import re
import warnings
from collections.abc import Container, Mapping
from functools import partial
from os import PathLike

import numpy as np
import onnx
import onnx.version_converter
from google.protobuf.message import DecodeError, Message
from onnx import GraphProto, ModelProto, NodeProto, TensorProto
from xdsl.dialects import func
from xdsl.dialects.builtin import ModuleOp
from xdsl.ir import Block, Region, SSAValue

from relayout.dialects.nn.base import shape_of, tensor
from relayout.frontend.constant_eval import constant_nodes, evaluate, is_constant
from relayout.frontend.errors import NeedsFunctionBody, OnnxImportError, quote, shorten, show
from relayout.frontend.external_data import inline_external_data
from relayout.frontend.function_bodies import expand, has_body, spell_out_defaults
from relayout.frontend.onnx_node import (
    ImportState,
    Node,
    check_size,
    name_hint,
    node_label,
    read_tensor,
    type_name,
)
from relayout.frontend.onnx_ops import Converter, Result, converters

# Clip's attribute bounds (opset < 11) and Softmax's 2-D coercion (< 13) are handled;
# older opsets changed broadcasting, which the converters do not model. Opsets 22 to 25
# changed only the element types the converted operators accept (bfloat16, 4-bit and
# 8-bit floats), not their inputs or attributes (test_opset_revisions checks the schemas).
MIN_OPSET, MAX_OPSET = 7, 25

UPGRADE_TARGETS = (13, 11, MIN_OPSET)
"""The opsets an older model is upgraded to by onnx.version_converter, the first that
the converter reaches: 13 reads Softmax, Clip and Pad as the converters do natively."""

ModelSource = ModelProto | bytes | str | PathLike[str]

# onnx's messages quote names and whole nodes from the model, of any length.
ONNX_MESSAGE = 500


def from_onnx(model: ModelSource, batch: int | None = None) -> ModuleOp:
    """Import ``model`` (a ModelProto, its serialized bytes or a file path).

    ``batch`` gives the extent of a symbolic batch (first) axis of the graph inputs.
    """
    return import_onnx(model, batch)[0]


def import_onnx(model: ModelSource, batch: int | None = None) -> tuple[ModuleOp, list[str]]:
    """`from_onnx`, also returning notes on what the import changed about the model
    (such as ``"opset 6 upgraded to 13 by onnx.version_converter"``), for a summary."""
    if batch is not None and batch < 1:
        raise OnnxImportError(f"batch must be at least 1, got {batch}")
    proto = _load(model)
    notes: list[str] = []
    proto = _upgrade(proto, notes)
    graph = proto.graph
    _check_references(graph)
    table = converters()
    initializers = _initializers(graph)
    folded = constant_nodes(graph, initializers)
    opset = _opset(proto)
    _check_supported(graph, opset, table, folded)
    inputs = [i for i in graph.input if i.name not in initializers]
    shapes = {i.name: _input_shape(i, batch) for i in inputs}
    # Converting before the onnx checker lets our messages, which name the node and
    # what is wrong with it, win over the checker's for the problems both detect.
    module, values = _convert(graph, opset, initializers, shapes, table, folded)
    _check_model(proto)
    _check_shapes(graph, values, _infer_shapes(proto, shapes))
    return module, notes


def _load(model: ModelSource) -> ModelProto:
    """The model with its external data read in; only a file has a folder to find
    that data in, so a model given in memory may have none."""
    if isinstance(model, ModelProto):
        inline_external_data(model, None)
        return model
    try:
        if isinstance(model, bytes):
            proto, folder = onnx.load_model_from_string(model), None
        else:
            # onnx would read external data whole before its size is checked.
            proto = onnx.load(model, load_external_data=False)
            folder = os.path.dirname(os.fspath(model))
    except (DecodeError, OSError, ValueError) as e:
        message = shorten(str(e), ONNX_MESSAGE)
        raise OnnxImportError(f"cannot read the ONNX model: {message}") from None
    _check_text(proto, "model")
    inline_external_data(proto, folder)
    return proto


def _check_text(message: Message, path: str) -> None:
    """Protobuf hands back bytes for a string field that is not valid UTF-8; a name
    like that matches nothing, so it is refused here with where it is."""
    for field, value in message.ListFields():
        if field.type not in (field.TYPE_STRING, field.TYPE_MESSAGE):
            continue  # numbers, which may be millions of weights
        repeated = hasattr(value, "__len__") and not isinstance(value, Message | str | bytes)
        items = {f"{path}.{field.name}[{i}]": v for i, v in enumerate(value)} if repeated \
            else {f"{path}.{field.name}": value}
        for where, item in items.items():
            if isinstance(item, Message):
                _check_text(item, where)
            elif isinstance(item, bytes):
                raise OnnxImportError(f"{where} is not valid UTF-8 text")


def _check_references(graph: GraphProto) -> None:
    """Every tensor a node reads must exist before it, and is defined once; nodes have
    distinct names. onnxruntime refuses a model otherwise, and the onnx checker misses
    some of it: checked here, so the message names the node in our own words."""
    if not graph.node:
        raise OnnxImportError("the graph has no nodes")
    if not graph.output:
        raise OnnxImportError("the graph has no outputs")
    defined = {i.name: "a graph input" for i in graph.input}
    defined |= {t.name: "an initializer" for t in graph.initializer}
    names: dict[str, int] = {}
    for index, proto in enumerate(graph.node):
        if proto.name in names:
            raise _node_error(proto, index, f"node #{names[proto.name]} has the same name")
        if proto.name:
            names[proto.name] = index
        for name in proto.input:
            if name and name not in defined:
                raise _node_error(
                    proto, index,
                    f"input {quote(name)} is not a graph input, an initializer or an output "
                    f"of an earlier node (missing initializer?)",
                )
        for name in proto.output:
            if name in defined:
                raise _node_error(
                    proto, index, f"output {quote(name)} is already {defined[name]}; a tensor "
                    "is defined once",
                )
            if name:
                defined[name] = f"the output of {node_label(proto, index)}"
    for output in graph.output:
        if output.name not in defined:
            raise OnnxImportError(f"graph output {quote(output.name)} is not computed by any node")


def _node_error(proto: NodeProto, index: int, message: str) -> OnnxImportError:
    return OnnxImportError(f"{node_label(proto, index)}: {message}")


def _check_supported(
    graph: GraphProto, opset: int, table: Mapping[str, Converter], folded: Container[int]
) -> None:
    """Every node is of the default domain and has a converter in ``table`` or an ONNX
    function body at ``opset``, or is evaluated at import (its index in ``folded``)."""
    unsupported = [
        (i, n) for i, n in enumerate(graph.node)
        if i not in folded and (n.domain not in ("", "ai.onnx")
                                or (n.op_type not in table and not has_body(n, opset)))
    ]
    if unsupported:
        index, proto = unsupported[0]
        kinds = sorted({n.op_type for _, n in unsupported})
        raise _node_error(
            proto, index,
            f"unsupported operator (domain {quote(proto.domain or 'ai.onnx')}); this model "
            f"uses {len(unsupported)} unsupported node(s) of type "
            f"{shorten(', '.join(kinds), 200)}",
        )


def _default_opset(proto: ModelProto) -> int:
    versions = [o.version for o in proto.opset_import if o.domain in ("", "ai.onnx")]
    if not versions:
        raise OnnxImportError("the model imports no ai.onnx opset")
    return versions[0]


def _upgrade(proto: ModelProto, notes: list[str]) -> ModelProto:
    """A model older than MIN_OPSET converted by onnx.version_converter to the first of
    UPGRADE_TARGETS it reaches, which ``notes`` records; refused when it reaches none."""
    old = _default_opset(proto)
    if old >= MIN_OPSET:
        return proto
    failures: dict[str, None] = {}  # the converter's reasons, each once, in order
    for target in UPGRADE_TARGETS:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                upgraded = onnx.version_converter.convert_version(proto, target)
        except Exception as e:  # noqa: BLE001 - the converter raises all kinds
            failures[shorten(_converter_reason(e), 200)] = None
            continue
        # The converter keeps the IR version, but may add initializers that are not graph
        # inputs (Pad's pads from opset 11), which IR 3 forbids and the checker refuses.
        minimum = onnx.helper.find_min_ir_version_for(list(upgraded.opset_import))
        upgraded.ir_version = max(upgraded.ir_version, minimum)
        notes.append(f"opset {old} upgraded to {target} by onnx.version_converter")
        return upgraded
    raise OnnxImportError(
        f"opset {old} is older than {MIN_OPSET} and onnx.version_converter cannot upgrade "
        f"it ({'; '.join(failures)}); use opset {MIN_OPSET} to {MAX_OPSET}"
    )


def _converter_reason(error: Exception) -> str:
    """The converter's message without the C++ source location it starts with
    (``/project/onnx/version_converter/adapters/x.h:23: adapt_x: ``)."""
    text = str(error) or type(error).__name__
    return re.sub(r"^\S+\.(h|cc|cpp):\d+: \w+: ", "", text)


def _opset(proto: ModelProto) -> int:
    version = _default_opset(proto)
    if not MIN_OPSET <= version <= MAX_OPSET:
        raise OnnxImportError(
            f"opset {version} is not supported; use opset {MIN_OPSET} to {MAX_OPSET}"
        )
    return version


def _check_model(proto: ModelProto) -> None:
    # ValueError: a model over protobuf's 2 GiB, which the checker must serialize.
    try:
        onnx.checker.check_model(proto)
    except (onnx.checker.ValidationError, ValueError) as e:
        raise OnnxImportError(f"invalid ONNX model: {shorten(str(e), ONNX_MESSAGE)}") from None


def _initializers(graph: GraphProto) -> dict[str, np.ndarray]:
    return {t.name: read_tensor(t, f"initializer {quote(t.name)}") for t in graph.initializer}


def _input_shape(value: onnx.ValueInfoProto, batch: int | None) -> tuple[int, ...]:
    what = f"graph input {quote(value.name)}"
    if not value.type.HasField("tensor_type"):
        raise OnnxImportError(f"{what} is not a tensor")
    ty = value.type.tensor_type
    if ty.elem_type != TensorProto.FLOAT:
        kind = type_name(ty.elem_type)
        raise OnnxImportError(f"{what} has element type {kind}; only FLOAT inputs are supported")
    if not ty.HasField("shape"):
        raise OnnxImportError(f"{what} has no static shape (unknown rank)")
    shape = []
    for axis, dim in enumerate(ty.shape.dim):
        if dim.HasField("dim_value") and dim.dim_value > 0:
            shape.append(dim.dim_value)
        elif axis == 0 and batch is not None:
            shape.append(batch)
        else:
            symbol = quote(dim.dim_param) if dim.dim_param else "unknown"
            hint = "; pass batch=N for a symbolic batch axis" if axis == 0 else ""
            raise OnnxImportError(
                f"{what} has a dynamic extent ({symbol}) on axis {axis}{hint}"
            )
    check_size(shape, what)
    return tuple(shape)


def _infer_shapes(
    proto: ModelProto, shapes: dict[str, tuple[int, ...]]
) -> dict[str, tuple[int, ...]]:
    """ONNX's own shapes of every tensor given the static inputs; the import checks its
    results against them."""
    static = ModelProto()
    static.CopyFrom(proto)
    spell_out_defaults(static.graph, _opset(proto))
    for value in static.graph.input:
        if value.name in shapes:
            dims = value.type.tensor_type.shape.dim
            for dim, extent in zip(dims, shapes[value.name]):
                dim.Clear()
                dim.dim_value = extent
    try:
        inferred = onnx.shape_inference.infer_shapes(static, strict_mode=True)
    except (onnx.shape_inference.InferenceError, onnx.checker.ValidationError) as e:
        message = shorten(str(e), ONNX_MESSAGE)
        raise OnnxImportError(f"ONNX shape inference rejects the model: {message}") from None
    result: dict[str, tuple[int, ...]] = {}
    for value in (*inferred.graph.value_info, *inferred.graph.output):
        dims = value.type.tensor_type.shape.dim
        if value.type.tensor_type.HasField("shape") and all(d.HasField("dim_value") for d in dims):
            result[value.name] = tuple(d.dim_value for d in dims)
    return result


def _convert(
    graph: GraphProto, opset: int, initializers: dict[str, np.ndarray],
    shapes: dict[str, tuple[int, ...]], table: Mapping[str, Converter], folded: Container[int],
) -> tuple[ModuleOp, dict[str, SSAValue]]:
    block = Block(arg_types=[tensor(s) for s in shapes.values()])
    read = {name for proto in graph.node for name in proto.input if name} | \
        {output.name for output in graph.output}
    state = ImportState(block, opset, read)
    state.constants.update(initializers)
    for name, arg in zip(shapes, block.args):
        arg.name_hint = name_hint(name)
        state.values[name] = arg
    for index, proto in enumerate(graph.node):
        _import_node(Node(proto, index, state), table, index in folded)
    results = []
    for output in graph.output:
        if output.name in state.constants and state.constants[output.name].dtype != np.float32:
            raise OnnxImportError(f"graph output {quote(output.name)} is not float32")
        results.append(state.value(output.name))
    block.add_op(func.ReturnOp(*results))
    main = func.FuncOp("main", ([a.type for a in block.args], [r.type for r in results]),
                       Region(block))
    module = ModuleOp([main])
    module.verify()
    return module, state.values


def _import_node(node: Node, table: Mapping[str, Converter], folded: bool) -> None:
    """Store ``node``'s outputs: evaluated at import when ``folded``, else converted."""
    _store(node, evaluate(node) if folded else _convert_node(node, table))


def _convert_node(node: Node, table: Mapping[str, Converter]) -> tuple[Result | None, ...]:
    """``node``'s outputs by its converter, or by its ONNX function body when it has
    no converter or its converter cannot express it."""
    default_domain = node.proto.domain in ("", "ai.onnx")
    convert = table.get(node.op_type) if default_domain else None
    if convert is not None:
        try:
            result = convert(node)
        except NeedsFunctionBody:
            if not has_body(node.proto, node.opset):
                raise
        else:
            return result if isinstance(result, tuple) else (result,)
    return expand(node, partial(_import_body_node, table=table))


def _import_body_node(node: Node, table: Mapping[str, Converter]) -> None:
    _import_node(node, table, is_constant(node.proto, node.state.constants))


def _store(node: Node, results: tuple[Result | None, ...]) -> None:
    """Record a node's results under its output names; an output it does not compute
    is refused only when something reads it."""
    outputs = list(node.proto.output)
    for name in outputs[len(results):]:
        if name in node.state.read:
            raise node.error(f"output {quote(name)} is not supported (only the first output is)")
    for name, result in zip(outputs, results):
        if not name or result is None:
            continue
        if isinstance(result, np.ndarray):
            node.state.constants[name] = result
            continue
        if result.name_hint is None:
            result.name_hint = name_hint(name)
        node.state.values[name] = result


def _check_shapes(
    graph: GraphProto, values: dict[str, SSAValue], inferred: dict[str, tuple[int, ...]]
) -> None:
    """A converter whose result shape differs from ONNX's has misread the node."""
    for index, proto in enumerate(graph.node):
        for name in proto.output:
            if name in values and name in inferred and shape_of(values[name]) != inferred[name]:
                raise _node_error(
                    proto, index,
                    f"output {quote(name)} has shape {show(shape_of(values[name]))} here but "
                    f"{show(inferred[name])} by ONNX shape inference",
                )
