"""Elementwise ops. Each is declared by its numpy function and its C expression; the
layout passes, fusion and CUDA lowering handle every subclass of `UnaryOp`/`BinaryOp`
alike, so a new elementwise op is one class here plus its entry in `ELEMENTWISE`."""

from __future__ import annotations

from typing import ClassVar, Self

import numpy as np
from xdsl.dialects.builtin import FloatAttr, f32
from xdsl.irdl import (
    irdl_op_definition,
    operand_def,
    prop_def,
    result_def,
    traits_def,
)
from xdsl.parser import Parser
from xdsl.printer import Printer
from xdsl.traits import Pure

from relayout.dialects.nn.base import F32Tensor, NNOp, Shape, ShapeError, shape_of


def c_float(value: float) -> str:
    """A float as a C literal that round-trips exactly (never user text)."""
    v = float(np.float32(value))
    if np.isnan(v):
        return "NAN"
    if np.isinf(v):
        return "INFINITY" if v > 0 else "(-INFINITY)"
    return f"{v!r}f" if "e" in repr(v) or "." in repr(v) else f"{v!r}.0f"


class UnaryOp(NNOp):
    # Types are left to `NNOp.verify_`, whose errors name the op and the expected type.
    x = operand_def()
    output = result_def()
    traits = traits_def(Pure())

    # The syntax `nn.relu %x {props} : T` is hand-written, not declared: a declared
    # format needs a type variable to infer the result type, and a variable's mismatch
    # error names neither the op nor the type the shape rule expects.

    @classmethod
    def parse(cls, parser: Parser) -> Self:
        x = parser.parse_unresolved_operand()
        attrs = parser.parse_optional_attr_dict()
        parser.parse_punctuation(":")
        ty = parser.parse_type()
        names = cls.get_irdl_definition().properties
        props = {k: attrs.pop(k) for k in list(attrs) if k in names}
        return cls.build(operands=[parser.resolve_operand(x, ty)], result_types=[ty],
                         properties=props, attributes=attrs)

    def print(self, printer: Printer) -> None:
        printer.print_string(" ")
        printer.print_operand(self.x)
        printer.print_op_attributes({**self.properties, **self.attributes})
        printer.print_string(" : ")
        printer.print_attribute(self.x.type)

    # Subclasses set `NUMPY_FN` and `C_TEMPLATE`, the C expression of one element with
    # ``{0}`` (and ``{1}``) for the operands.

    def infer_shape(self) -> Shape:
        return shape_of(self.x)

    def reference(self, x: np.ndarray) -> np.ndarray:
        return self.NUMPY_FN(x).astype(np.float32)

    def c_expr(self, x: str) -> str:
        return self.C_TEMPLATE.format(x)


@irdl_op_definition
class ReluOp(UnaryOp):
    name = "nn.relu"
    NUMPY_FN: ClassVar = staticmethod(lambda x: np.maximum(x, np.float32(0)))
    C_TEMPLATE: ClassVar = "fmaxf({0}, 0.0f)"


@irdl_op_definition
class SigmoidOp(UnaryOp):
    name = "nn.sigmoid"
    NUMPY_FN: ClassVar = staticmethod(lambda x: 1 / (1 + np.exp(-x)))
    C_TEMPLATE: ClassVar = "(1.0f / (1.0f + expf(-({0}))))"


@irdl_op_definition
class TanhOp(UnaryOp):
    name = "nn.tanh"
    NUMPY_FN: ClassVar = staticmethod(np.tanh)
    C_TEMPLATE: ClassVar = "tanhf({0})"


@irdl_op_definition
class ClipOp(UnaryOp):
    name = "nn.clip"
    min = prop_def(FloatAttr.constr(f32))
    max = prop_def(FloatAttr.constr(f32))

    def infer_shape(self) -> Shape:
        if self.min.value.data > self.max.value.data:
            raise ShapeError(f"min {self.min.value.data} is above max {self.max.value.data}")
        return shape_of(self.x)

    def reference(self, x: np.ndarray) -> np.ndarray:
        return np.clip(x, np.float32(self.min.value.data), np.float32(self.max.value.data))

    def c_expr(self, x: str) -> str:
        return f"fminf(fmaxf({x}, {c_float(self.min.value.data)}), {c_float(self.max.value.data)})"


class BinaryOp(NNOp):
    """numpy broadcasting: scalars and lower-rank operands align to the trailing axes."""

    a = operand_def(F32Tensor)
    b = operand_def(F32Tensor)
    output = result_def(F32Tensor)
    traits = traits_def(Pure())
    assembly_format = "$a `,` $b attr-dict `:` functional-type(operands, results)"

    def infer_shape(self) -> Shape:
        try:
            return tuple(np.broadcast_shapes(shape_of(self.a), shape_of(self.b)))
        except ValueError:
            raise ShapeError(
                f"shapes {list(shape_of(self.a))} and {list(shape_of(self.b))} do not broadcast"
            ) from None

    def reference(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        return self.NUMPY_FN(a, b).astype(np.float32)

    def c_expr(self, a: str, b: str) -> str:
        return self.C_TEMPLATE.format(a, b)


@irdl_op_definition
class AddOp(BinaryOp):
    name = "nn.add"
    NUMPY_FN: ClassVar = staticmethod(np.add)
    C_TEMPLATE: ClassVar = "({0} + {1})"


@irdl_op_definition
class SubtractOp(BinaryOp):
    name = "nn.subtract"
    NUMPY_FN: ClassVar = staticmethod(np.subtract)
    C_TEMPLATE: ClassVar = "({0} - {1})"


@irdl_op_definition
class MultiplyOp(BinaryOp):
    name = "nn.multiply"
    NUMPY_FN: ClassVar = staticmethod(np.multiply)
    C_TEMPLATE: ClassVar = "({0} * {1})"


@irdl_op_definition
class DivideOp(BinaryOp):
    name = "nn.divide"
    NUMPY_FN: ClassVar = staticmethod(np.divide)
    C_TEMPLATE: ClassVar = "({0} / {1})"


@irdl_op_definition
class MaximumOp(BinaryOp):
    name = "nn.maximum"
    NUMPY_FN: ClassVar = staticmethod(np.maximum)
    C_TEMPLATE: ClassVar = "fmaxf({0}, {1})"


@irdl_op_definition
class MinimumOp(BinaryOp):
    name = "nn.minimum"
    NUMPY_FN: ClassVar = staticmethod(np.minimum)
    C_TEMPLATE: ClassVar = "fminf({0}, {1})"


ELEMENTWISE: tuple[type[NNOp], ...] = (
    ReluOp, SigmoidOp, TanhOp, ClipOp,
    AddOp, SubtractOp, MultiplyOp, DivideOp, MaximumOp, MinimumOp,
)
