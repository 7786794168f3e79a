"""ONNX to the `nn` dialect: `from_onnx` turns a model into
``builtin.module { func.func @main(...) }`` with initializers as `nn.constant`.

Every problem with the model becomes an `OnnxImportError` naming what is wrong, never a
protobuf or onnx traceback.
"""

from __future__ import annotations

from os import PathLike

import numpy as np
import onnx
from google.protobuf.message import DecodeError, Message
from onnx import GraphProto, ModelProto, TensorProto
from xdsl.dialects import func
from xdsl.dialects.builtin import ModuleOp
from xdsl.ir import Block, Region, SSAValue

from relayout.dialects.nn.base import shape_of, tensor
from relayout.frontend.errors import OnnxImportError
from relayout.frontend.onnx_node import (
    ImportState,
    Node,
    check_size,
    name_hint,
    read_tensor,
)
from relayout.frontend.onnx_ops import CONVERTERS

# Clip's attribute bounds (opset < 11) and Softmax's 2-D coercion (< 13) are handled;
# older opsets changed broadcasting, which the converters do not model.
MIN_OPSET, MAX_OPSET = 7, 21

ModelSource = ModelProto | bytes | str | PathLike


def from_onnx(model: ModelSource, batch: int | None = None) -> ModuleOp:
    """Import ``model`` (a ModelProto, its serialized bytes or a file path).

    ``batch`` gives the extent of a symbolic batch (first) axis of the graph inputs.
    """
    proto = _load(model)
    graph = proto.graph
    _check_references(graph)
    _check_supported(graph)
    opset = _opset(proto)
    initializers = _initializers(graph)
    inputs = [i for i in graph.input if i.name not in initializers]
    shapes = {i.name: _input_shape(i, batch) for i in inputs}
    # Converting before the onnx checker lets our messages, which name the node and
    # what is wrong with it, win over the checker's for the problems both detect.
    module, values = _convert(graph, opset, initializers, shapes)
    _check_model(proto)
    _check_shapes(graph, values, _infer_shapes(proto, shapes))
    return module


def _load(model: ModelSource) -> ModelProto:
    if isinstance(model, ModelProto):
        return model
    try:
        proto = onnx.load_model_from_string(model) if isinstance(model, bytes) else onnx.load(model)
    except (DecodeError, OSError, ValueError) as e:
        raise OnnxImportError(f"cannot read the ONNX model: {e}") from None
    _check_text(proto, "model")
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
    """Every tensor a node reads must exist before it; checked here, before the onnx
    checker, so the message names the node and the tensor in our own words."""
    defined = {i.name for i in graph.input} | {t.name for t in graph.initializer}
    for index, proto in enumerate(graph.node):
        for name in proto.input:
            if name and name not in defined:
                raise _node_error(
                    proto, index,
                    f"input {name!r} is not a graph input, an initializer or an output of "
                    f"an earlier node (missing initializer?)",
                )
        defined.update(proto.output)
    for output in graph.output:
        if output.name not in defined:
            raise OnnxImportError(f"graph output {output.name!r} is not computed by any node")


def _node_error(proto, index: int, message: str) -> OnnxImportError:
    which = repr(proto.name) if proto.name else f"#{index}"
    return OnnxImportError(f"node {which} ({proto.op_type}): {message}")


def _check_supported(graph: GraphProto) -> None:
    unsupported = [
        (i, n) for i, n in enumerate(graph.node)
        if n.domain not in ("", "ai.onnx") or n.op_type not in CONVERTERS
    ]
    if unsupported:
        index, proto = unsupported[0]
        kinds = sorted({n.op_type for _, n in unsupported})
        raise _node_error(
            proto, index,
            f"unsupported operator (domain {proto.domain or 'ai.onnx'!r}); this model uses "
            f"{len(unsupported)} unsupported node(s) of type {', '.join(kinds)}",
        )


def _opset(proto: ModelProto) -> int:
    versions = [o.version for o in proto.opset_import if o.domain in ("", "ai.onnx")]
    if not versions:
        raise OnnxImportError("the model imports no ai.onnx opset")
    if not MIN_OPSET <= versions[0] <= MAX_OPSET:
        raise OnnxImportError(
            f"opset {versions[0]} is not supported; use opset {MIN_OPSET} to {MAX_OPSET}"
        )
    return versions[0]


def _check_model(proto: ModelProto) -> None:
    try:
        onnx.checker.check_model(proto)
    except onnx.checker.ValidationError as e:
        raise OnnxImportError(f"invalid ONNX model: {e}") from None


def _initializers(graph: GraphProto) -> dict[str, np.ndarray]:
    return {t.name: read_tensor(t, f"initializer {t.name!r}") for t in graph.initializer}


def _input_shape(value: onnx.ValueInfoProto, batch: int | None) -> tuple[int, ...]:
    what = f"graph input {value.name!r}"
    if not value.type.HasField("tensor_type"):
        raise OnnxImportError(f"{what} is not a tensor")
    ty = value.type.tensor_type
    if ty.elem_type != TensorProto.FLOAT:
        kind = TensorProto.DataType.Name(ty.elem_type)
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
            symbol = repr(dim.dim_param) if dim.dim_param else "unknown"
            hint = "; pass batch=N for a symbolic batch axis" if axis == 0 else ""
            raise OnnxImportError(
                f"{what} has a dynamic extent ({symbol}) on axis {axis}{hint}"
            )
    check_size(shape, what)
    return tuple(shape)


def _infer_shapes(proto: ModelProto, shapes: dict[str, tuple[int, ...]]) -> dict:
    """ONNX's own shapes of every tensor given the static inputs; the import checks its
    results against them."""
    static = ModelProto()
    static.CopyFrom(proto)
    for value in static.graph.input:
        if value.name in shapes:
            dims = value.type.tensor_type.shape.dim
            for dim, extent in zip(dims, shapes[value.name]):
                dim.Clear()
                dim.dim_value = extent
    try:
        inferred = onnx.shape_inference.infer_shapes(static, strict_mode=True)
    except (onnx.shape_inference.InferenceError, onnx.checker.ValidationError) as e:
        raise OnnxImportError(f"ONNX shape inference rejects the model: {e}") from None
    result = {}
    for value in (*inferred.graph.value_info, *inferred.graph.output):
        dims = value.type.tensor_type.shape.dim
        if value.type.tensor_type.HasField("shape") and all(d.HasField("dim_value") for d in dims):
            result[value.name] = tuple(d.dim_value for d in dims)
    return result


def _convert(graph, opset, initializers, shapes) -> tuple[ModuleOp, dict[str, SSAValue]]:
    block = Block(arg_types=[tensor(s) for s in shapes.values()])
    state = ImportState(block, opset)
    state.constants.update(initializers)
    for name, arg in zip(shapes, block.args):
        arg.name_hint = name_hint(name)
        state.values[name] = arg
    for index, proto in enumerate(graph.node):
        _convert_node(Node(proto, index, state))
    results = []
    for output in graph.output:
        if output.name in state.constants and state.constants[output.name].dtype != np.float32:
            raise OnnxImportError(f"graph output {output.name!r} is not float32")
        results.append(state.value(output.name))
    block.add_op(func.ReturnOp(*results))
    main = func.FuncOp("main", ([a.type for a in block.args], [r.type for r in results]),
                       Region(block))
    module = ModuleOp([main])
    module.verify()
    return module, state.values


def _convert_node(node: Node) -> None:
    results = CONVERTERS[node.op_type](node)
    if not isinstance(results, tuple):
        results = (results,)
    outputs = list(node.proto.output)
    for name in outputs[len(results):]:
        if name:
            raise node.error(f"output {name!r} is not supported (only the first output is)")
    for name, result in zip(outputs, results):
        if isinstance(result, np.ndarray):
            node.state.constants[name] = result
            continue
        if result.name_hint is None:
            result.name_hint = name_hint(name)
        node.state.values[name] = result


def _check_shapes(graph: GraphProto, values: dict[str, SSAValue], inferred: dict) -> None:
    """A converter whose result shape differs from ONNX's has misread the node."""
    for index, proto in enumerate(graph.node):
        for name in proto.output:
            if name in values and name in inferred and shape_of(values[name]) != inferred[name]:
                raise _node_error(
                    proto, index,
                    f"output {name!r} has shape {list(shape_of(values[name]))} here but "
                    f"{list(inferred[name])} by ONNX shape inference",
                )
