"""`nn.constant`: a weight or parameter tensor, printed as hex so large models stay fast."""

from __future__ import annotations

from math import prod
from typing import ClassVar

import numpy as np
from xdsl.dialect_interfaces.op_asm import OpAsmDialectInterface
from xdsl.dialects.builtin import (
    BytesAttr,
    DenseIntOrFPElementsAttr,
    DenseResourceAttr,
    TensorType,
    f32,
)
from xdsl.interfaces import HasFolderInterface
from xdsl.ir import Attribute, Operation
from xdsl.irdl import (
    AnyAttr,
    IRDLOperation,
    ParamAttrConstraint,
    VarConstraint,
    irdl_op_definition,
    prop_def,
    result_def,
    traits_def,
)
from xdsl.parser import Parser
from xdsl.printer import Printer
from xdsl.traits import ConstantLike, Pure
from xdsl.utils.exceptions import VerifyException

from relayout.dialects.nn.base import f32_array

# Below this many elements the stock printer's output is short enough to read.
_HEX_MIN_ELEMENTS = 16


def to_numpy(attr: DenseIntOrFPElementsAttr) -> np.ndarray:
    """A zero-copy, read-only view of a dense f32 attribute."""
    return np.frombuffer(attr.data.data, np.float32).reshape(attr.get_shape())


def from_numpy(array: np.ndarray) -> DenseIntOrFPElementsAttr:
    data = f32_array(array)
    return DenseIntOrFPElementsAttr(TensorType(f32, data.shape), BytesAttr(data.tobytes()))


# Not an NNOp (no operands, no shape rule) and not in the op registry: the dialect
# lists it itself (`relayout.dialects.nn.all_ops`).
@irdl_op_definition
class ConstantOp(IRDLOperation, HasFolderInterface):
    name = "nn.constant"

    _T: ClassVar = VarConstraint("T", AnyAttr())
    value = prop_def(
        ParamAttrConstraint(DenseIntOrFPElementsAttr, (_T, AnyAttr()))
        | ParamAttrConstraint(DenseResourceAttr, (AnyAttr(), _T))
    )
    output = result_def(_T)

    traits = traits_def(Pure(), ConstantLike())

    def __init__(self, value: DenseIntOrFPElementsAttr | DenseResourceAttr):
        super().__init__(result_types=[value.type], properties={"value": value})

    @staticmethod
    def of(array: np.ndarray) -> ConstantOp:
        return ConstantOp(from_numpy(array))

    @property
    def result(self):
        return self.output

    def verify_(self) -> None:
        ty = self.output.type
        if not isinstance(ty, TensorType) or ty.element_type != f32:
            raise VerifyException(f"nn.constant: value must be an f32 tensor, got {ty}")

    def fold(self) -> tuple[Attribute]:
        return (self.value,)

    def array(self) -> np.ndarray:
        """The value as numpy; `dense_resource` values must be resolved at import."""
        if not isinstance(self.value, DenseIntOrFPElementsAttr):
            raise VerifyException(
                "nn.constant: dense_resource value was not resolved to dense data"
            )
        return to_numpy(self.value)

    def reference(self) -> np.ndarray:
        return self.array()

    @classmethod
    def parse(cls, parser: Parser) -> ConstantOp:
        attrs = parser.parse_optional_attr_dict()
        value = parser.parse_attribute()
        if not isinstance(value, DenseIntOrFPElementsAttr | DenseResourceAttr):
            parser.raise_error("nn.constant expects dense<...> or dense_resource<...>")
        op = cls(value)
        op.attributes.update(attrs)
        return op

    def print(self, printer: Printer) -> None:
        printer.print_op_attributes(self.attributes)
        v = self.value
        if isinstance(v, DenseIntOrFPElementsAttr) and len(v) >= _HEX_MIN_ELEMENTS:
            raw = v.data.data
            size = len(raw) // len(v)
            if raw[:size] * len(v) != raw:  # a splat prints shorter the stock way
                printer.print_string(f' dense<"0x{raw.hex().upper()}"> : ')
                printer.print_attribute(v.type)
                return
        printer.print_string(" ")
        printer.print_attribute(v)


def resolve_resources(module: Operation, blobs: OpAsmDialectInterface) -> None:
    """Turn every `dense_resource` value of an `nn.constant` into dense data.

    Folding, the interpreter and lowering read dense bytes only, and the blob store is
    global to the process, so the data must leave it right after parsing.
    """
    for op in module.walk():
        if isinstance(op, ConstantOp) and isinstance(op.value, DenseResourceAttr):
            op.value = _dense_from_blob(op.value, blobs)


def _dense_from_blob(
    value: DenseResourceAttr, blobs: OpAsmDialectInterface
) -> DenseIntOrFPElementsAttr:
    key = value.resource_handle.data
    blob = blobs.lookup(key)
    if not blob:
        raise VerifyException(
            f"nn.constant: dense_resource<{key}> has no blob in the dialect_resources section"
        )
    raw = bytes.fromhex(blob[2:])[4:]  # "0x", then a 4-byte alignment word
    ty = value.type
    assert isinstance(ty, TensorType)
    if len(raw) != 4 * prod(ty.get_shape()):
        raise VerifyException(
            f"nn.constant: dense_resource<{key}> holds {len(raw)} bytes, {ty} needs "
            f"{4 * prod(ty.get_shape())}"
        )
    return DenseIntOrFPElementsAttr(ty, BytesAttr(raw))
