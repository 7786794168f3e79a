"""What a converter sees of one ONNX node: its inputs as SSA values or as constant
arrays, its attributes read with type checks, and errors that name the node."""

from __future__ import annotations

import re
from collections.abc import Container, Sequence
from typing import NoReturn

import numpy as np
import numpy.typing as npt
from onnx import AttributeProto, NodeProto, TensorProto, numpy_helper
from xdsl.ir import Block, Operation, SSAValue
from xdsl.utils.exceptions import VerifyException

from relayout.dialects.nn import ConstantOp, NNOp, ShapeError
from relayout.dialects.nn.base import MAX_ELEMENTS, shape_of
from relayout.frontend.errors import OnnxImportError, quote, shorten, show
from relayout.layout import LayoutError

_NOT_NAME = re.compile(r"[^A-Za-z0-9_]+")


def name_hint(name: str) -> str | None:
    """An SSA name hint from a model's tensor name, which may hold any text at all."""
    clean = _NOT_NAME.sub("_", name).strip("_")
    if not clean:
        return None
    return clean if clean[0].isalpha() else f"v{clean}"


def check_size(shape: Sequence[int], what: str) -> None:
    """At most MAX_ELEMENTS elements and no negative extent. The count stops at the
    limit: a model's dims may multiply to a number too long even to print."""
    if any(d < 0 for d in shape):
        raise OnnxImportError(f"{what} has a negative extent in its shape {show(shape)}")
    if 0 in shape:
        return
    count = 1
    for d in shape:
        count *= d
        if count > MAX_ELEMENTS:
            raise OnnxImportError(
                f"{what} of shape {show(shape)} has more than the limit of {MAX_ELEMENTS} elements"
            )


def type_name(kind: int) -> str:
    """An ONNX element type's name, or its number when the model makes one up."""
    known = kind in TensorProto.DataType.values()
    return TensorProto.DataType.Name(kind) if known else f"{kind} (unknown)"


def node_label(proto: NodeProto, index: int) -> str:
    """How messages name a node: by its name, or by its index when unnamed."""
    which = quote(proto.name) if proto.name else f"#{index}"
    return f"node {which} ({shorten(proto.op_type)})"


def read_tensor(proto: TensorProto, what: str) -> np.ndarray:
    """``proto`` as numpy; a size over the limit is refused before anything is read."""
    if not proto.data_type or proto.data_type not in TensorProto.DataType.values():
        raise OnnxImportError(f"{what} has an unknown data type ({proto.data_type})")
    check_size(proto.dims, what)
    try:
        return numpy_helper.to_array(proto)
    except (ValueError, TypeError) as e:
        raise OnnxImportError(f"{what} is malformed: {shorten(str(e), 200)}") from None


class ImportState:
    """The function being built: SSA values of computed tensors and numpy arrays of the
    constants (initializers and `Constant` nodes), materialized as `nn.constant` only
    where an op uses them, so shape and axes inputs never become IR. ``read`` names the
    tensors a node or the graph output reads; other outputs may be left uncomputed."""

    def __init__(self, block: Block, opset: int, read: Container[str]) -> None:
        self.block = block
        self.opset = opset
        self.read = read
        self.values: dict[str, SSAValue] = {}
        self.constants: dict[str, np.ndarray] = {}

    def is_defined(self, name: str) -> bool:
        return name in self.values or name in self.constants

    def emit(self, op: Operation) -> SSAValue:
        self.block.add_op(op)
        return op.results[0]

    def constant(self, array: np.ndarray, hint: str | None = None) -> SSAValue:
        value = self.emit(ConstantOp.of(array))
        value.name_hint = hint
        return value

    def value(self, name: str) -> SSAValue:
        """The SSA value of tensor ``name``; a constant is materialized once and shared."""
        if name not in self.values:
            self.values[name] = self.constant(self.constants[name], name_hint(name))
        return self.values[name]


class Node:
    def __init__(self, proto: NodeProto, index: int, state: ImportState) -> None:
        self.proto = proto
        self.index = index
        self.state = state
        self._attrs = {a.name: a for a in proto.attribute}

    @property
    def op_type(self) -> str:
        return self.proto.op_type

    @property
    def opset(self) -> int:
        return self.state.opset

    @property
    def label(self) -> str:
        return node_label(self.proto, self.index)

    def error(self, message: str) -> OnnxImportError:
        return OnnxImportError(f"{self.label}: {message}")

    # Inputs.

    def has_input(self, i: int) -> bool:
        """ONNX marks an omitted optional input by an empty name."""
        return i < len(self.proto.input) and self.proto.input[i] != ""

    def _name(self, i: int) -> str:
        if not self.has_input(i):
            raise self.error(f"input {i} is missing")
        return self.proto.input[i]

    def reads(self, i: int) -> bool:
        """Whether output ``i`` is read by a later node or is a graph output."""
        return i < len(self.proto.output) and self.proto.output[i] in self.state.read

    def is_const(self, i: int) -> bool:
        return self.has_input(i) and self._name(i) in self.state.constants

    def input(self, i: int) -> SSAValue:
        name = self._name(i)
        array = self.state.constants.get(name)
        if array is not None and array.dtype != np.float32:
            raise self.error(
                f"input {quote(name)} is a {array.dtype} constant; tensors must be float32"
            )
        return self.state.value(name)

    def input_or_const(self, i: int) -> SSAValue | np.ndarray:
        """For ops that only pass a tensor on: constants stay constants."""
        name = self._name(i)
        return self.state.constants[name] if name in self.state.constants else self.input(i)

    def const(self, i: int, what: str) -> np.ndarray:
        name = self._name(i)
        if name not in self.state.constants:
            raise self.error(
                f"input {quote(name)} ({what}) is not an initializer or Constant; only constant "
                f"{what} is supported"
            )
        return self.state.constants[name]

    def scalar(self, i: int, what: str, default: float) -> float:
        if not self.has_input(i):
            return default
        array = self.const(i, what)
        if array.size != 1:
            raise self.error(
                f"input {quote(self._name(i))} ({what}) must be a scalar, got shape "
                f"{show(array.shape)}"
            )
        return float(array.reshape(()))

    def shape(self, i: int) -> tuple[int, ...]:
        name = self._name(i)
        if name in self.state.constants:
            return self.state.constants[name].shape
        return shape_of(self.state.values[name])

    def rank_4(self, i: int = 0) -> tuple[int, ...]:
        shape = self.shape(i)
        if len(shape) != 4:
            raise self.error(f"only 4-D (NCHW) input is supported, got shape {show(shape)}")
        return shape

    # Attributes.

    def has_attr(self, name: str) -> bool:
        return name in self._attrs

    def _attr(self, name: str, kind: int) -> AttributeProto | None:
        attr = self._attrs.get(name)
        if attr is not None and attr.type != kind:
            raise self.error(
                f"attribute {quote(name)} must be {AttributeProto.AttributeType.Name(kind)}, got "
                f"{AttributeProto.AttributeType.Name(attr.type)}"
            )
        return attr

    def _required(self, name: str) -> NoReturn:
        raise self.error(f"attribute {quote(name)} is required")

    def attr_int(self, name: str, default: int | None = None) -> int:
        attr = self._attr(name, AttributeProto.INT)
        if attr is None:
            return self._required(name) if default is None else default
        return int(attr.i)

    def attr_float(self, name: str, default: float | None = None) -> float:
        attr = self._attr(name, AttributeProto.FLOAT)
        if attr is None:
            return self._required(name) if default is None else default
        return float(attr.f)

    def attr_floats(self, name: str) -> tuple[float, ...]:
        attr = self._attr(name, AttributeProto.FLOATS)
        return self._required(name) if attr is None else tuple(attr.floats)

    def attr_str(self, name: str, default: str) -> str:
        attr = self._attr(name, AttributeProto.STRING)
        return default if attr is None else attr.s.decode("utf-8", "replace")

    def attr_ints(
        self, name: str, default: Sequence[int] | None = None, length: int | None = None
    ) -> tuple[int, ...]:
        attr = self._attr(name, AttributeProto.INTS)
        if attr is None:
            return self._required(name) if default is None else tuple(default)
        values = tuple(int(v) for v in attr.ints)
        if length is not None and len(values) != length:
            raise self.error(f"attribute {quote(name)} needs {length} values, got {show(values)}")
        return values

    def attr_tensor(self, name: str) -> np.ndarray:
        attr = self._attr(name, AttributeProto.TENSOR)
        if attr is None:
            return self._required(name)
        return read_tensor(attr.t, f"{self.label}: attribute {quote(name)}")

    # Building.

    def make(self, op: type[NNOp], *operands: SSAValue, **props: object) -> SSAValue:
        """Emit ``op``; a shape rule that rejects the operands becomes this node's error."""
        try:
            return self.state.emit(op.make(*operands, **props))
        except (ShapeError, LayoutError, VerifyException) as e:
            raise self.error(f"{op.name}: {shorten(str(e), 300)}") from None

    def constant(self, array: npt.ArrayLike, i: int | None = None) -> SSAValue:
        """A new `nn.constant` (a weight the converter rewrote), named after input ``i``."""
        hint = name_hint(self._name(i)) if i is not None else None
        return self.state.constant(np.asarray(array, np.float32), hint)
