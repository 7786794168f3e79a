"""Import-time evaluation of constant subgraphs by ONNX's own reference implementation.

A node whose inputs are all known at import (initializers, `Constant` nodes, results of
earlier evaluated nodes) is run by `onnx.reference.ReferenceEvaluator`; so is `Shape`
(and `Size`) of any value, whose static shape the importer knows. Shape arithmetic and
weight preprocessing thus become numpy arrays in `ImportState.constants` before any
`nn` op exists, with ONNX's semantics rather than hand-written folding.

The ops that can allocate far more than their inputs (`ConstantOfShape`, `Expand`,
`Tile`, `Range`, `Pad`, `Resize`, ...) have their output size computed from the constant
inputs and checked against the element limit before anything is evaluated.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Container, Sequence
from math import ceil, floor, isfinite

import numpy as np
from onnx import AttributeProto, GraphProto, NodeProto, ValueInfoProto, helper
from onnx.reference import ReferenceEvaluator

from relayout.frontend.errors import OnnxImportError, shorten, show
from relayout.frontend.onnx_node import Node, check_size

NONDETERMINISTIC = frozenset({
    "RandomNormal", "RandomUniform", "RandomNormalLike", "RandomUniformLike", "Bernoulli",
    "Multinomial",
})
"""Ops whose result is random: never evaluated at import."""

SHAPE_READERS = frozenset({"Shape", "Size"})
"""Ops that read only their input's (static) shape, so they are constant for any input."""

BY_CONVERTER = frozenset({"Constant", "Dropout"})
"""Constant-foldable ops left to their converters: `Constant`'s attribute is read with the
importer's own type and size checks; `Dropout` in training mode would be random."""

MESSAGE = 300


def is_constant(proto: NodeProto, constants: Container[str]) -> bool:
    """Whether ``proto`` is evaluated at import, given the names known as constants."""
    if proto.domain not in ("", "ai.onnx") or proto.op_type in NONDETERMINISTIC:
        return False
    if proto.op_type in BY_CONVERTER:
        return False
    # A subgraph may read outer values that are not among the node's inputs.
    graphs = (AttributeProto.GRAPH, AttributeProto.GRAPHS)
    if any(a.type in graphs for a in proto.attribute):
        return False
    inputs = [name for name in proto.input if name]
    if proto.op_type in SHAPE_READERS:
        return len(inputs) == 1
    return all(name in constants for name in inputs)


def constant_nodes(graph: GraphProto, initializers: Container[str]) -> set[int]:
    """The indices of the nodes of ``graph`` evaluated at import (no converter needed);
    `Constant` nodes count as known, as their converter makes arrays of them."""
    known: set[str] = set()
    result: set[int] = set()
    for index, proto in enumerate(graph.node):
        names = _Known(initializers, known)
        if proto.op_type == "Constant" or is_constant(proto, names):
            known.update(o for o in proto.output if o)
            if proto.op_type != "Constant":
                result.add(index)
    return result


class _Known:
    """The union of two name sets, without copying the initializers' names."""

    def __init__(self, first: Container[str], second: Container[str]) -> None:
        self.first, self.second = first, second

    def __contains__(self, name: object) -> bool:
        return name in self.first or name in self.second


def evaluate(node: Node) -> tuple[np.ndarray | None, ...]:
    """The outputs of ``node`` (None for an omitted one), evaluated by ONNX's reference
    implementation; the output size is checked before the ops that allocate it run."""
    proto = node.proto
    feeds: dict[str, np.ndarray] = {}
    for i, name in enumerate(proto.input):
        if not name:
            continue
        if proto.op_type in SHAPE_READERS:
            # A zero-stride view: the right shape without the memory.
            feeds[name] = np.broadcast_to(np.zeros((), np.float32), node.shape(i))
        else:
            feeds[name] = node.state.constants[name]
    guard = SIZE_GUARDS.get(proto.op_type)
    if guard is not None:
        inputs = [feeds.get(name) if name else None for name in proto.input]
        try:
            shape = guard(node, inputs)
        except OnnxImportError:
            raise
        except (TypeError, ValueError, IndexError, OverflowError):
            shape = None  # malformed inputs: the evaluator says what is wrong
        if shape is not None:
            check_size(shape, f"{node.label}: the output")
    names = [name for name in proto.output if name]
    outputs = dict(zip(names, _run(node, feeds, names)))
    results: list[np.ndarray | None] = []
    for name in proto.output:
        if not name:
            results.append(None)
            continue
        value = outputs.get(name)
        if not isinstance(value, np.ndarray | np.generic):
            raise node.error(f"output {name!r} is a {type(value).__name__}, not a tensor")
        array = np.asarray(value)
        check_size(array.shape, f"{node.label}: the output")
        results.append(array)
    return tuple(results)


def _run(node: Node, feeds: dict[str, np.ndarray], outputs: list[str]) -> Sequence[object]:
    """The node run alone as a graph: a graph, unlike a node, carries its opset."""
    graph = helper.make_graph(
        [node.proto], "constant", [ValueInfoProto(name=name) for name in feeds],
        [ValueInfoProto(name=name) for name in outputs],
    )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            evaluator = ReferenceEvaluator(graph, opsets={"": node.opset})
            results = evaluator.run(None, feeds)
    except MemoryError:
        raise node.error("evaluating it at import runs out of memory") from None
    except Exception as e:  # noqa: BLE001 - any failure of onnx's evaluator is the model's
        message = shorten(f"{type(e).__name__}: {e}", MESSAGE)
        raise node.error(f"cannot evaluate this constant node at import: {message}") from None
    return list(results)


# Output shapes from the constant inputs, for the ops whose output may be far larger
# than their inputs. The numbers are Python ints: a shape may overflow int64.

Inputs = list[np.ndarray | None]


def _ints(array: np.ndarray | None) -> list[int]:
    if array is None:
        return []
    return [int(v) for v in np.asarray(array).reshape(-1)]


def _constant_of_shape(node: Node, inputs: Inputs) -> list[int]:
    return _ints(inputs[0])


def _broadcast(a: Sequence[int], b: Sequence[int]) -> list[int]:
    rank = max(len(a), len(b))
    a = [1] * (rank - len(a)) + list(a)
    b = [1] * (rank - len(b)) + list(b)
    return [max(x, y) if min(x, y) != 0 else 0 for x, y in zip(a, b)]


def _expand(node: Node, inputs: Inputs) -> list[int]:
    data = inputs[0]
    return _broadcast(data.shape if data is not None else (), _ints(inputs[1]))


def _tile(node: Node, inputs: Inputs) -> list[int]:
    data = inputs[0]
    shape = data.shape if data is not None else ()
    return [d * r for d, r in zip(shape, _ints(inputs[1]))]


def _range(node: Node, inputs: Inputs) -> list[int]:
    start, limit, delta = (float(np.asarray(v).reshape(-1)[0]) for v in inputs[:3] if v is not None)
    count = (limit - start) / delta if delta else float("inf")
    if not isfinite(count):
        raise node.error(f"Range from {start} to {limit} by {delta} has no finite length")
    return [max(ceil(count), 0)]


def _pad(node: Node, inputs: Inputs) -> list[int] | None:
    data = inputs[0]
    if data is None:
        return None
    rank = data.ndim
    if node.opset < 11:
        pads = list(node.attr_ints("pads", ()))
    else:
        pads = _ints(inputs[1]) if len(inputs) > 1 else []
    axes = _ints(inputs[3]) if len(inputs) > 3 and inputs[3] is not None else list(range(rank))
    if len(pads) != 2 * len(axes):
        return None
    shape = list(data.shape)
    for k, axis in enumerate(axes):
        shape[axis % rank] += pads[k] + pads[k + len(axes)]
    return shape


def _resize(node: Node, inputs: Inputs) -> list[int] | None:
    data = inputs[0]
    if data is None:
        return None
    if node.op_type == "Upsample" or node.opset < 11:
        scales = node.attr_floats("scales") if node.has_attr("scales") else (
            [float(s) for s in np.asarray(inputs[1]).reshape(-1)] if len(inputs) > 1 else []
        )
        sizes: list[int] = []
    else:
        scales = [float(s) for s in np.asarray(inputs[2]).reshape(-1)] \
            if len(inputs) > 2 and inputs[2] is not None else []
        sizes = _ints(inputs[3]) if len(inputs) > 3 else []
    if sizes:
        return sizes
    if len(scales) != data.ndim:
        return None
    if not all(isfinite(s) for s in scales):
        raise node.error(f"scales {show(scales)} are not finite")
    return [floor(d * s) for d, s in zip(data.shape, scales)]


def _one_hot(node: Node, inputs: Inputs) -> list[int] | None:
    indices, depth = inputs[0], inputs[1]
    if indices is None or depth is None:
        return None
    return [*indices.shape, int(float(np.asarray(depth).reshape(-1)[0]))]


SIZE_GUARDS: dict[str, Callable[[Node, Inputs], Sequence[int] | None]] = {
    "ConstantOfShape": _constant_of_shape,
    "Expand": _expand,
    "Tile": _tile,
    "Range": _range,
    "Pad": _pad,
    "Resize": _resize,
    "Upsample": _resize,
    "OneHot": _one_hot,
}
"""The output shape of each op that may allocate far more than its inputs hold; None
when the inputs are malformed, which the evaluator then reports."""
