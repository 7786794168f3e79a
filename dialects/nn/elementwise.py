"""Elementwise ops. Each is declared by its numpy function and its C expression; the
layout passes, fusion and CUDA lowering handle every subclass of `UnaryOp`/`BinaryOp`
alike, so a new elementwise op is one class here (``@nn_op``) and nothing else."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import ClassVar, Self

import numpy as np
from xdsl.dialects.builtin import FloatAttr, f32
from xdsl.irdl import (
    operand_def,
    prop_def,
    result_def,
    traits_def,
)
from xdsl.parser import Parser
from xdsl.printer import Printer
from xdsl.traits import Pure

from relayout.dialects.nn.base import F32Tensor, NNOp, Shape, ShapeError, shape_of
from relayout.dialects.nn.registry import nn_op, registered_ops


def c_float(value: float) -> str:
    """A float as a C literal that round-trips exactly (never user text)."""
    v = float(np.float32(value))
    if np.isnan(v):
        return "NAN"
    if np.isinf(v):
        return "INFINITY" if v > 0 else "(-INFINITY)"
    return f"{v!r}f" if "e" in repr(v) or "." in repr(v) else f"{v!r}.0f"


def float_props(op: NNOp) -> dict[str, float]:
    """The op's float properties by name (what `NUMPY_FN` and `C_TEMPLATE` receive)."""
    return {k: v.value.data for k, v in op.properties.items() if isinstance(v, FloatAttr)}


class UnaryOp(NNOp):
    """One operand, same shape out. Layout rule: follows its operand
    (passes/layout_rules/elementwise.py `unary`); kernel: its `c_expr` in an elementwise
    chain (lowering/cuda/epilogue.py, lowering/cuda/kernels/elementwise.py); fusion: an
    epilogue op, absorbed after an anchor or a previous elementwise op
    (passes/fuse_ops.py `EPILOGUE`)."""

    NUMPY_FN: ClassVar[Callable[..., np.ndarray]]
    """The numpy semantics: the operand, and the float properties by name (as f32)."""
    C_TEMPLATE: ClassVar[str]
    """The C expression of one element: ``{0}`` stands for the operand, ``{prop}`` for
    a float property (an exact C literal)."""

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

    def infer_shape(self) -> Shape:
        return shape_of(self.x)

    def reference(self, x: np.ndarray) -> np.ndarray:
        props = {k: np.float32(v) for k, v in float_props(self).items()}
        return self.NUMPY_FN(x, **props).astype(np.float32)

    def c_expr(self, x: str) -> str:
        return self.C_TEMPLATE.format(x, **{k: c_float(v) for k, v in float_props(self).items()})


@nn_op
class ReluOp(UnaryOp):
    name = "nn.relu"
    ONNX: ClassVar = ("Relu",)
    FUZZ: ClassVar = True
    TVM_NAME: ClassVar = "nn_relu"
    NUMPY_FN: ClassVar = staticmethod(lambda x: np.maximum(x, np.float32(0)))
    C_TEMPLATE: ClassVar = "fmaxf({0}, 0.0f)"


@nn_op
class SigmoidOp(UnaryOp):
    name = "nn.sigmoid"
    ONNX: ClassVar = ("Sigmoid",)
    FUZZ: ClassVar = True
    NUMPY_FN: ClassVar = staticmethod(lambda x: 1 / (1 + np.exp(-x)))
    C_TEMPLATE: ClassVar = "(1.0f / (1.0f + expf(-({0}))))"


@nn_op
class TanhOp(UnaryOp):
    name = "nn.tanh"
    ONNX: ClassVar = ("Tanh",)
    FUZZ: ClassVar = True
    NUMPY_FN: ClassVar = staticmethod(np.tanh)
    C_TEMPLATE: ClassVar = "tanhf({0})"


@nn_op
class ClipOp(UnaryOp):
    name = "nn.clip"
    FUZZ: ClassVar = True  # ONNX: its own converter (min and max are inputs from opset 11)
    NUMPY_FN: ClassVar = staticmethod(lambda x, min, max: np.clip(x, min, max))
    C_TEMPLATE: ClassVar = "fminf(fmaxf({0}, {min}), {max})"
    min = prop_def(FloatAttr.constr(f32))
    max = prop_def(FloatAttr.constr(f32))

    def infer_shape(self) -> Shape:
        if self.min.value.data > self.max.value.data:
            raise ShapeError(f"min {self.min.value.data} is above max {self.max.value.data}")
        return shape_of(self.x)


def _erf(x: np.ndarray) -> np.ndarray:
    """erf elementwise (numpy has none): `math.erf` in double precision, rounded to f32."""
    return np.vectorize(math.erf, otypes=[np.float64])(np.asarray(x, np.float64))


def _f(value: float) -> FloatAttr:
    return FloatAttr(value, f32)


@nn_op
class HardSigmoidOp(UnaryOp):
    name = "nn.hard_sigmoid"
    ONNX: ClassVar = ("HardSigmoid",)
    FUZZ: ClassVar = True
    NUMPY_FN: ClassVar = staticmethod(
        lambda x, alpha, beta: np.maximum(np.float32(0), np.minimum(np.float32(1), alpha * x + beta))
    )
    C_TEMPLATE: ClassVar = "fmaxf(0.0f, fminf(1.0f, {alpha} * {0} + {beta}))"
    alpha = prop_def(FloatAttr.constr(f32), default_value=_f(0.2))
    beta = prop_def(FloatAttr.constr(f32), default_value=_f(0.5))


@nn_op
class HardSwishOp(UnaryOp):
    """ONNX HardSwish: ``x * HardSigmoid(x)`` with alpha 1/6 and beta 0.5, fixed."""

    name = "nn.hard_swish"
    ONNX: ClassVar = ("HardSwish",)
    FUZZ: ClassVar = True
    NUMPY_FN: ClassVar = staticmethod(
        lambda x: x * np.clip(x * np.float32(1 / 6) + np.float32(0.5), 0, 1)
    )
    C_TEMPLATE: ClassVar = (
        f"({{0}} * fmaxf(0.0f, fminf(1.0f, {{0}} * {c_float(1 / 6)} + 0.5f)))"
    )


@nn_op
class ExpOp(UnaryOp):
    name = "nn.exp"
    ONNX: ClassVar = ("Exp",)
    FUZZ: ClassVar = True
    NUMPY_FN: ClassVar = staticmethod(np.exp)
    C_TEMPLATE: ClassVar = "expf({0})"


@nn_op
class NegOp(UnaryOp):
    name = "nn.neg"
    ONNX: ClassVar = ("Neg",)
    FUZZ: ClassVar = True
    NUMPY_FN: ClassVar = staticmethod(np.negative)
    C_TEMPLATE: ClassVar = "(-({0}))"


@nn_op
class ErfOp(UnaryOp):
    name = "nn.erf"
    ONNX: ClassVar = ("Erf",)
    FUZZ: ClassVar = True
    NUMPY_FN: ClassVar = staticmethod(_erf)
    C_TEMPLATE: ClassVar = "erff({0})"


@nn_op
class GeluOp(UnaryOp):
    """ONNX Gelu with approximate="none": ``x/2 * (1 + erf(x/sqrt 2))``. No generic
    import: Gelu's string attribute `approximate` picks this op or `GeluTanhOp`, which
    needs a converter that reads it."""

    name = "nn.gelu"
    FUZZ: ClassVar = True
    NUMPY_FN: ClassVar = staticmethod(lambda x: 0.5 * x * (1 + _erf(x / math.sqrt(2))))
    C_TEMPLATE: ClassVar = f"(0.5f * {{0}} * (1.0f + erff({{0}} * {c_float(math.sqrt(0.5))})))"


@nn_op
class GeluTanhOp(UnaryOp):
    """ONNX Gelu with approximate="tanh":
    ``x/2 * (1 + tanh(sqrt(2/pi) * (x + 0.044715 x^3)))``."""

    name = "nn.gelu_tanh"
    FUZZ: ClassVar = True
    NUMPY_FN: ClassVar = staticmethod(
        lambda x: 0.5 * x * (1 + np.tanh(math.sqrt(2 / math.pi) * (x + 0.044715 * x**3)))
    )
    C_TEMPLATE: ClassVar = (
        f"(0.5f * {{0}} * (1.0f + tanhf({c_float(math.sqrt(2 / math.pi))} * "
        "({0} + 0.044715f * {0} * {0} * {0}))))"
    )


@nn_op
class LeakyReluOp(UnaryOp):
    name = "nn.leaky_relu"
    ONNX: ClassVar = ("LeakyRelu",)
    FUZZ: ClassVar = True
    NUMPY_FN: ClassVar = staticmethod(lambda x, alpha: np.where(x >= 0, x, alpha * x))
    C_TEMPLATE: ClassVar = "({0} >= 0.0f ? {0} : {alpha} * {0})"
    alpha = prop_def(FloatAttr.constr(f32), default_value=_f(0.01))


def _elu(x: np.ndarray, alpha: np.float32) -> np.ndarray:
    # expm1 of the negative part only: the positive branch would overflow to no purpose.
    return np.where(x > 0, x, alpha * np.expm1(np.minimum(x, np.float32(0))))


@nn_op
class EluOp(UnaryOp):
    name = "nn.elu"
    ONNX: ClassVar = ("Elu",)
    FUZZ: ClassVar = True
    NUMPY_FN: ClassVar = staticmethod(_elu)
    C_TEMPLATE: ClassVar = "({0} > 0.0f ? {0} : {alpha} * expm1f({0}))"
    alpha = prop_def(FloatAttr.constr(f32), default_value=_f(1.0))


@nn_op
class SeluOp(UnaryOp):
    name = "nn.selu"
    ONNX: ClassVar = ("Selu",)
    FUZZ: ClassVar = True
    NUMPY_FN: ClassVar = staticmethod(lambda x, alpha, gamma: gamma * _elu(x, alpha))
    C_TEMPLATE: ClassVar = "({gamma} * ({0} > 0.0f ? {0} : {alpha} * expm1f({0})))"
    alpha = prop_def(FloatAttr.constr(f32), default_value=_f(1.67326319217681884765625))
    gamma = prop_def(FloatAttr.constr(f32), default_value=_f(1.05070102214813232421875))


@nn_op
class SoftplusOp(UnaryOp):
    """``log(1 + exp(x))``, as ``max(x, 0) + log1p(exp(-|x|))`` so no exp overflows."""

    name = "nn.softplus"
    ONNX: ClassVar = ("Softplus",)
    FUZZ: ClassVar = True
    NUMPY_FN: ClassVar = staticmethod(
        lambda x: np.maximum(x, np.float32(0)) + np.log1p(np.exp(-np.abs(x)))
    )
    C_TEMPLATE: ClassVar = "(fmaxf({0}, 0.0f) + log1pf(expf(-fabsf({0}))))"


@nn_op
class SqrtOp(UnaryOp):
    name = "nn.sqrt"
    ONNX: ClassVar = ("Sqrt",)
    FUZZ: ClassVar = True  # on positive operands: fuzz/networks.py POSITIVE_OPERAND
    NUMPY_FN: ClassVar = staticmethod(np.sqrt)
    C_TEMPLATE: ClassVar = "sqrtf({0})"


@nn_op
class ReciprocalOp(UnaryOp):
    name = "nn.reciprocal"
    ONNX: ClassVar = ("Reciprocal",)
    FUZZ: ClassVar = True  # on positive operands: fuzz/networks.py POSITIVE_OPERAND
    NUMPY_FN: ClassVar = staticmethod(np.reciprocal)
    C_TEMPLATE: ClassVar = "(1.0f / ({0}))"


class BinaryOp(NNOp):
    """numpy broadcasting: scalars and lower-rank operands align to the trailing axes.

    Layout rule: operands meet in a common layout, a broadcasting one is reshaped
    (passes/layout_rules/elementwise.py `binary`); kernel: its `c_expr` in an elementwise
    chain (lowering/cuda/epilogue.py, lowering/cuda/kernels/elementwise.py); fusion: an
    epilogue op (passes/fuse_ops.py `EPILOGUE`)."""

    NUMPY_FN: ClassVar[Callable[..., np.ndarray]]
    """The numpy semantics of two operands."""
    C_TEMPLATE: ClassVar[str]
    """The C expression of one element, ``{0}`` and ``{1}`` standing for the operands."""

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
        props = {k: np.float32(v) for k, v in float_props(self).items()}
        return self.NUMPY_FN(a, b, **props).astype(np.float32)

    def c_expr(self, a: str, b: str) -> str:
        return self.C_TEMPLATE.format(a, b, **{k: c_float(v) for k, v in float_props(self).items()})


@nn_op
class AddOp(BinaryOp):
    name = "nn.add"
    ONNX: ClassVar = ("Add", "Sum")  # Sum is variadic: a chain of adds
    FUZZ: ClassVar = True
    NUMPY_FN: ClassVar = staticmethod(np.add)
    C_TEMPLATE: ClassVar = "({0} + {1})"


@nn_op
class SubtractOp(BinaryOp):
    name = "nn.subtract"
    ONNX: ClassVar = ("Sub",)
    FUZZ: ClassVar = True
    NUMPY_FN: ClassVar = staticmethod(np.subtract)
    C_TEMPLATE: ClassVar = "({0} - {1})"


@nn_op
class MultiplyOp(BinaryOp):
    name = "nn.multiply"
    ONNX: ClassVar = ("Mul",)
    FUZZ: ClassVar = True
    NUMPY_FN: ClassVar = staticmethod(np.multiply)
    C_TEMPLATE: ClassVar = "({0} * {1})"


@nn_op
class DivideOp(BinaryOp):
    name = "nn.divide"
    ONNX: ClassVar = ("Div",)
    FUZZ: ClassVar = True
    NUMPY_FN: ClassVar = staticmethod(np.divide)
    C_TEMPLATE: ClassVar = "({0} / {1})"


@nn_op
class MaximumOp(BinaryOp):
    name = "nn.maximum"
    ONNX: ClassVar = ("Max",)
    FUZZ: ClassVar = True
    NUMPY_FN: ClassVar = staticmethod(np.maximum)
    C_TEMPLATE: ClassVar = "fmaxf({0}, {1})"


@nn_op
class MinimumOp(BinaryOp):
    name = "nn.minimum"
    ONNX: ClassVar = ("Min",)
    FUZZ: ClassVar = True
    NUMPY_FN: ClassVar = staticmethod(np.minimum)
    C_TEMPLATE: ClassVar = "fminf({0}, {1})"


@nn_op
class PReluOp(BinaryOp):
    """``a`` where it is not negative, else ``b * a``: ONNX PRelu, whose slope ``b``
    broadcasts into ``a`` (`[C,1,1]` or `[C]` per channel of an NCHW input)."""

    name = "nn.prelu"
    ONNX: ClassVar = ("PRelu",)
    FUZZ: ClassVar = True
    NUMPY_FN: ClassVar = staticmethod(lambda a, b: np.where(a >= 0, a, b * a))
    C_TEMPLATE: ClassVar = "({0} >= 0.0f ? {0} : {1} * {0})"


@nn_op
class PowOp(BinaryOp):
    """ONNX Pow of float32 base and exponent (an integer exponent is refused at import,
    as any non-float32 tensor is), broadcasting both ways as numpy does."""

    name = "nn.pow"
    ONNX: ClassVar = ("Pow",)
    FUZZ: ClassVar = True  # a positive base, a mild exponent: fuzz/networks.py
    NUMPY_FN: ClassVar = staticmethod(np.power)
    C_TEMPLATE: ClassVar = "powf({0}, {1})"


ELEMENTWISE: tuple[type[NNOp], ...] = tuple(
    op for op in registered_ops() if issubclass(op, UnaryOp | BinaryOp)
)
"""The elementwise ops defined here, as registered at import; `registered_ops()` also
gives those added later."""
