"""What every `nn` op shares: f32 tensors, a shape rule checked by the verifier, and a
numpy reference implementation used by the interpreter and by constant folding."""

from __future__ import annotations

from collections.abc import Sequence
from math import prod
from typing import Self

import numpy as np
from xdsl.dialects.builtin import (
    ArrayAttr,
    BoolAttr,
    DenseArrayBase,
    FloatAttr,
    IntegerAttr,
    StringAttr,
    TensorType,
    f32,
    i64,
)
from xdsl.ir import Attribute, Operation, SSAValue
from xdsl.irdl import IRDLOperation, ParsePropInAttrDict
from xdsl.utils.exceptions import VerifyException

from relayout.layout import Layout, LayoutError, parse

F32Tensor = TensorType.constr(f32)

Shape = tuple[int, ...]

# A tensor type with more elements is refused where it is written or built, before
# anything is allocated: the interpreter holds whole tensors in memory (1 GiB of f32
# here) and kernels index with a C `int`. Real activations stay far below: ResNet-50's
# largest at batch 256 and 224x224 has 2^27.6 elements.
MAX_ELEMENTS = 2**28


class ShapeError(ValueError):
    """An op's operands and properties do not fit its shape rule."""


def check_size(shape: Sequence[int], what: str = "tensor") -> None:
    count = prod(shape)
    if count > MAX_ELEMENTS:
        raise ShapeError(f"{what} of shape {list(shape)} has {count} elements, more than "
                         f"the limit of {MAX_ELEMENTS}")


def f32_array(x) -> np.ndarray:
    """``x`` as a C-ordered f32 array of the same rank. Not np.ascontiguousarray, which
    makes a 0-d array (a `tensor<f32>` value) 1-d."""
    return np.asarray(x, np.float32, order="C")


def check_tensor(shape: Sequence[int], what: str = "tensor") -> None:
    """The shapes nn values may have: within the size limit and never empty. An extent
    of 0 (or a dynamic one, which xDSL gives as negative) is refused because no
    reference, pass or kernel is written for it (an empty image divides by zero in
    resize, for one)."""
    if any(d < 1 for d in shape):
        text = ", ".join("?" if d < 0 else str(d) for d in shape)  # xDSL's dynamic is < 0
        raise ShapeError(f"{what} of shape [{text}] is empty or dynamic; nn tensors have "
                         "static extents >= 1")
    check_size(shape, what)


def tensor(shape: Sequence[int]) -> TensorType:
    check_tensor(shape)
    return TensorType(f32, list(shape))


def shape_of(value: SSAValue) -> Shape:
    ty = value.type
    assert isinstance(ty, TensorType)
    return tuple(ty.get_shape())


def to_attr(value: object) -> Attribute:
    """Python value to the property attribute kinds the nn dialect uses."""
    match value:
        case Attribute():
            return value
        case bool():
            return BoolAttr.from_bool(value)
        case int():
            return IntegerAttr(value, i64)
        case float():
            return FloatAttr(value, f32)
        case str() | Layout():
            return StringAttr(str(value))
        case tuple() | list():
            return DenseArrayBase.from_list(i64, list(value))
        case _:
            raise TypeError(f"no nn property kind for {value!r}")


def ints(attr: DenseArrayBase | ArrayAttr) -> tuple[int, ...]:
    return tuple(int(v) for v in attr.get_values())


def norm_axis(axis: int, rank: int, op: str) -> int:
    if not -rank <= axis < rank:
        raise ShapeError(f"axis {axis} is out of range for rank {rank}")
    return axis % rank


def layout_prop(text: str, primal: str, rank: int, what: str = "layout") -> Layout:
    """Parse a layout property and check it names exactly the axes ``primal``."""
    try:
        layout = parse(text)
    except LayoutError as e:
        raise ShapeError(f"{what}: {e}") from None
    if sorted(layout.primal) != sorted(primal):
        raise ShapeError(f"{what} '{text}' must have the primal axes {primal}")
    if layout.ndim != rank:
        raise ShapeError(f"{what} '{text}' has rank {layout.ndim}, but the tensor has rank {rank}")
    return layout


class NNOp(IRDLOperation):
    """Base of the nn ops with one f32 tensor result.

    Subclasses give ``infer_shape`` (the shape rule, from operand types and properties)
    and ``reference`` (the numpy semantics). The verifier checks the declared result
    type against the rule, so a wrong type names the op and the type it expected.
    """

    irdl_options = (ParsePropInAttrDict(),)

    def infer_shape(self) -> Shape:
        raise ShapeError(f"{self.name} has no shape rule")

    def reference(self, *args: np.ndarray) -> np.ndarray:
        raise TypeError(f"{self.name} has no reference implementation")

    def check_operands(self) -> None:
        """What every shape rule may assume of the operands (see `check_tensor`)."""
        for i, v in enumerate(self.operands):
            check_tensor(shape_of(v), f"operand {i}")

    def verify_(self) -> None:
        for v in self.operands:
            if not isinstance(v.type, TensorType) or v.type.element_type != f32:
                raise VerifyException(f"{self.name}: operands must be f32 tensors, got {v.type}")
        try:
            self.check_operands()
            expected = tensor(self.infer_shape())
        except (ShapeError, LayoutError) as e:
            raise VerifyException(f"{self.name}: {e}") from None
        actual = self.results[0].type
        if actual != expected:
            raise VerifyException(f"{self.name}: expected result type {expected}, got {actual}")

    @classmethod
    def make(cls, *operands: SSAValue | Operation, **props: object) -> Self:
        """Build the op with its result type inferred from the shape rule."""
        values = [SSAValue.get(o) for o in operands]
        properties = {k: to_attr(v) for k, v in props.items() if v is not None}
        probe = cls.build(operands=cls._group(values), result_types=[tensor([])],
                          properties=properties)
        try:
            probe.check_operands()
            shape = probe.infer_shape()
        finally:
            probe.drop_all_references()  # the probe must not stay a user of the operands
        return cls.build(
            operands=cls._group(values),
            result_types=[tensor(shape)],
            properties=properties,
        )

    @classmethod
    def _group(cls, values: list[SSAValue]) -> list[SSAValue | list[SSAValue]]:
        """Operands as ``build`` wants them; variadic ops override this."""
        return list(values)

    @property
    def result(self) -> SSAValue:
        return self.results[0]
