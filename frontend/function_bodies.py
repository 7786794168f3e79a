"""Operators that ONNX defines as functions of other operators, imported as those functions.

Many ONNX operators (Celu, MeanVarianceNormalization, GroupNormalization,
LayerNormalization, RMSNormalization, ...) carry in their schema a function body: the same
computation in simpler operators, versioned by opset, some built for the node at hand
(context-dependent: GroupNormalization's reshapes follow its num_groups). A node with no
converter, or one its converter cannot express (`NeedsFunctionBody`: LayerNormalization
whose Mean is read), is imported as that body. The body is ONNX's own definition of the
operator, so it cannot drift from the standard as a hand-written decomposition could, and
one mechanism covers every such operator whose body's operators import.

The body comes from `onnx.defs` for the model's opset and is spliced in by onnx's own
inliner (`onnx.inliner.inline_local_functions`, on a one-node model calling it as a
model-local function), which binds the node's inputs, outputs and attributes; its nodes
are then imported one by one like any others: shape arithmetic evaluated at import, the
rest converted, or expanded in turn. They are read at the opset the body was written for,
in a scope of their own that sees only the node's inputs, so the body's internal names
cannot shadow the graph's.
"""

from __future__ import annotations

from collections.abc import Callable

import onnx.defs
import onnx.inliner
from onnx import (
    AttributeProto,
    FunctionProto,
    GraphProto,
    ModelProto,
    NodeProto,
    TensorProto,
    TypeProto,
    ValueInfoProto,
    helper,
)
from onnx.defs import OpSchema

from relayout.dialects.nn.base import shape_of
from relayout.frontend.errors import OnnxImportError, shorten
from relayout.frontend.onnx_node import ImportState, Node
from relayout.frontend.onnx_ops import Result

PRIVATE_DOMAIN = "relayout.function_body"
"""The domain the node is moved to, so that the inliner calls the body in its place."""

MESSAGE = 300


def _schema(proto: NodeProto, opset: int) -> OpSchema | None:
    if proto.domain not in ("", "ai.onnx"):
        return None
    try:
        return onnx.defs.get_schema(proto.op_type, opset)
    except onnx.defs.SchemaError:
        return None


# onnx's type stubs lack OpSchema's function-body methods (onnx 1.23), hence the ignores.


def _context_dependent(schema: OpSchema) -> list[int]:
    """The opsets the schema's bodies built for a node's types and attributes are for."""
    return list(schema.context_dependent_function_opset_versions)  # type: ignore[attr-defined]


def _body_version(schema: OpSchema, opset: int) -> int | None:
    """The newest opset, up to the model's, that the schema's body is written for; a
    body for a newer opset uses operators the model's opset may not have."""
    plain: list[int] = schema.function_opset_versions  # type: ignore[attr-defined]
    return max((v for v in [*plain, *_context_dependent(schema)] if v <= opset), default=None)


def has_body(proto: NodeProto, opset: int) -> bool:
    """Whether ONNX defines a function body for ``proto``'s operator at ``opset``."""
    schema = _schema(proto, opset)
    return schema is not None and _body_version(schema, opset) is not None


def _input_type(node: Node, i: int) -> TypeProto:
    """What a context-dependent body is built for: the element type and shape of input
    ``i`` (an empty type for an omitted one)."""
    if not node.has_input(i):
        return TypeProto()
    name = node.proto.input[i]
    if name in node.state.constants:
        array = node.state.constants[name]
        kind = helper.np_dtype_to_tensor_dtype(array.dtype)
        return helper.make_tensor_type_proto(kind, array.shape)
    return helper.make_tensor_type_proto(TensorProto.FLOAT, shape_of(node.state.values[name]))


def _spell_out(proto: NodeProto, schema: OpSchema) -> None:
    """Give ``proto`` every attribute it omits that has a default, at that default: a
    body's reference to an omitted attribute is dropped, not defaulted, by the inliner
    and by shape inference (MeanVarianceNormalization's axes from opset 18)."""
    given = {a.name for a in proto.attribute}
    for name, attr in schema.attributes.items():
        if name not in given and attr.default_value.type != AttributeProto.UNDEFINED:
            proto.attribute.append(attr.default_value)


def spell_out_defaults(graph: GraphProto, opset: int) -> None:
    """`_spell_out` on every node of ``graph`` that has a function body at ``opset``,
    which ONNX shape inference goes through."""
    for proto in graph.node:
        schema = _schema(proto, opset)
        if schema is not None and _body_version(schema, opset) is not None:
            _spell_out(proto, schema)


def _call(node: Node, schema: OpSchema) -> NodeProto:
    """The node in PRIVATE_DOMAIN, its omitted attributes spelled out."""
    call = NodeProto()
    call.CopyFrom(node.proto)
    call.domain = PRIVATE_DOMAIN
    _spell_out(call, schema)
    return call


def _function(node: Node, schema: OpSchema, call: NodeProto, version: int) -> FunctionProto:
    data: bytes
    if version in _context_dependent(schema):
        types = [_input_type(node, i).SerializeToString() for i in range(len(call.input))]
        data = schema.get_context_dependent_function_with_opset_version(  # type: ignore[attr-defined]
            version, call.SerializeToString(), types)
    else:
        data = schema.get_function_with_opset_version(version)  # type: ignore[attr-defined]
    function = FunctionProto.FromString(data)
    if not function.node:
        raise node.error(f"ONNX builds no function body (opset {version}) for this node")
    function.domain, function.name = PRIVATE_DOMAIN, node.op_type
    return function


def _one_node_model(call: NodeProto, function: FunctionProto) -> ModelProto:
    inputs = list(dict.fromkeys(name for name in call.input if name))
    graph = helper.make_graph(
        [call], "body", [ValueInfoProto(name=name) for name in inputs],
        [ValueInfoProto(name=name) for name in call.output if name])
    imports = [*function.opset_import, helper.make_opsetid(PRIVATE_DOMAIN, 1)]
    return helper.make_model(graph, opset_imports=imports, functions=[function])


def _opset_of(function: FunctionProto, version: int) -> int:
    return next((o.version for o in function.opset_import if o.domain in ("", "ai.onnx")),
                version)


def inline_body(node: Node) -> tuple[int, list[NodeProto]]:
    """The nodes of ``node``'s ONNX function body, bound to its inputs, outputs and
    attributes, and the opset they are written for."""
    schema = _schema(node.proto, node.opset)
    version = _body_version(schema, node.opset) if schema is not None else None
    if schema is None or version is None:
        raise node.error(f"unsupported operator: no converter, and ONNX defines no function "
                         f"body for it at opset {node.opset}")
    call = _call(node, schema)
    try:
        function = _function(node, schema, call, version)
        inlined = onnx.inliner.inline_local_functions(_one_node_model(call, function))
    except OnnxImportError:
        raise
    except Exception as e:  # noqa: BLE001 - onnx's C++ raises all kinds for odd nodes
        message = shorten(f"{type(e).__name__}: {e}", MESSAGE)
        raise node.error(f"cannot build its ONNX function body: {message}") from None
    body = list(inlined.graph.node)
    if any(n.domain == PRIVATE_DOMAIN for n in body):
        raise node.error(f"onnx's inliner did not expand its function body (opset {version})")
    return _opset_of(function, version), body


def _scope(node: Node, opset: int, body: list[NodeProto]) -> ImportState:
    """The state the body is imported in: the node's inputs, nothing else of the graph."""
    outer = node.state
    read = {name for proto in body for name in proto.input if name}
    read |= {name for i, name in enumerate(node.proto.output) if node.reads(i)}
    inner = ImportState(outer.block, opset, read)
    for name in node.proto.input:
        if name in outer.values:
            inner.values[name] = outer.values[name]
        if name in outer.constants:
            inner.constants[name] = outer.constants[name]
    return inner


def expand(node: Node, import_node: Callable[[Node], None]) -> tuple[Result | None, ...]:
    """``node``'s outputs, computed by its ONNX function body: each body node goes to
    ``import_node`` (which stores its outputs in the node's state). A failure names
    ``node`` and the body node that failed."""
    opset, body = inline_body(node)
    scope = _scope(node, opset, body)
    for index, proto in enumerate(body):
        try:
            import_node(Node(proto, index, scope))
        except OnnxImportError as e:
            raise node.error(f"in its ONNX function body (opset {opset}): {e}") from None
    return tuple(_result(scope, name) for name in node.proto.output)


def _result(scope: ImportState, name: str) -> Result | None:
    if name in scope.values:
        return scope.values[name]
    return scope.constants.get(name)
