"""What every `nn` op shares: f32 tensors, a shape rule checked by the verifier, and a
numpy reference implementation used by the interpreter and by constant folding."""

from __future__ import annotations

from collections.abc import Sequence
from math import prod
from typing import Any, ClassVar, Self

import numpy as np
from xdsl.dialects.builtin import (
    BoolAttr,
    DenseArrayBase,
    FloatAttr,
    IntegerAttr,
    StringAttr,
    TensorType,
    f32,
    i64,
)
from xdsl.interfaces import HasCanonicalizationPatternsInterface
from xdsl.ir import Attribute, Operation, SSAValue
from xdsl.irdl import IRDLOperation, IRDLOption, ParsePropInAttrDict
from xdsl.pattern_rewriter import RewritePattern
from xdsl.utils.exceptions import VerifyException

from relayout.dialects.nn.layout_attr import LayoutAttr, LayoutConstraint
from relayout.dialects.nn.registry import canonicalization_patterns
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
        case Layout():
            return LayoutAttr(str(value))
        case str():
            return StringAttr(value)
        case tuple() | list():
            return int_array(value)
        case _:
            raise TypeError(f"no nn property kind for {value!r}")


def int_array(values: Sequence[int]) -> DenseArrayBase:
    """An i64 array property value (a default of `prop_def`)."""
    return DenseArrayBase.from_list(i64, list(values))


def ints(attr: DenseArrayBase[Any]) -> tuple[int, ...]:
    return tuple(int(v) for v in attr.get_values())


def norm_axis(axis: int, rank: int, op: str) -> int:
    if not -rank <= axis < rank:
        raise ShapeError(f"axis {axis} is out of range for rank {rank}")
    return axis % rank


def layout_prop(
    value: LayoutAttr | StringAttr | str, primal: str, rank: int, what: str = "layout"
) -> Layout:
    """A layout property, parsed, checked to name exactly the axes ``primal``."""
    text = value if isinstance(value, str) else value.data
    try:
        layout = value.layout if isinstance(value, LayoutAttr) else parse(text)
    except LayoutError as e:
        raise ShapeError(f"{what}: {e}") from None
    if sorted(layout.primal) != sorted(primal):
        raise ShapeError(f"{what} '{text}' must have the primal axes {primal}")
    if layout.ndim != rank:
        raise ShapeError(f"{what} '{text}' has rank {layout.ndim}, but the tensor has rank {rank}")
    return layout


class NNOp(IRDLOperation, HasCanonicalizationPatternsInterface):
    """Base of the nn ops with one f32 tensor result.

    Subclasses give ``infer_shape`` (the shape rule, from operand types and properties)
    and ``reference`` (the numpy semantics). The verifier checks the declared result
    type against the rule, so a wrong type names the op and the type it expected.

    The rest of an op's story is told by class variables, which other stages read
    (xDSL wants them UPPER_CASE and annotated ``ClassVar`` in every class that sets
    them). Define ops with ``@nn_op`` (``registry.py``) so that they are registered.
    """

    ONNX: ClassVar[tuple[str, ...]] = ()
    """ONNX op_types imported as this op by the generic converter of its base class
    (frontend/onnx_ops.py); () where a hand-written converter builds the op."""

    FUZZ: ClassVar[bool] = False
    """Whether the meaning fuzzer (fuzz/networks.py) draws this op."""

    TVM_NAME: ClassVar[str | None] = None
    """The op's name in fused kernel names as TVM prints it ("nn_conv2d",
    "concatenate"); None means the op name without ``nn.``. See `tvm_name`."""

    irdl_options: tuple[IRDLOption, ...] = (ParsePropInAttrDict(),)

    def __post_init__(self) -> None:
        # Every construction path (generic parse -> create, declarative parse -> build,
        # builders, clone) ends here: a StringAttr layout becomes a LayoutAttr once.
        try:
            _to_layout_attrs(type(self), self.properties)
        except LayoutError as e:
            self.drop_all_references()  # a half-built op must not stay a user
            raise VerifyException(f"{self.name}: {e}") from None
        super().__post_init__()

    def infer_shape(self) -> Shape:
        raise ShapeError(f"{self.name} has no shape rule")

    def reference(self, *args: Any, **kwargs: Any) -> np.ndarray:
        # (*args: Any, **kwargs: Any): each op takes its own operands by name.
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
    def get_canonicalization_patterns(cls) -> tuple[RewritePattern, ...]:
        """The patterns registered with `registry.register_canonicalization` (by
        ``relayout.passes.canonicalization_patterns``, on import)."""
        return canonicalization_patterns(cls)

    @classmethod
    def make(cls, *operands: SSAValue | Operation, **props: object) -> Self:
        """Build the op with its result type inferred from the shape rule.

        A property the op does not declare is a TypeError; a property given as None
        is left out (its default applies)."""
        declared = cls.get_irdl_definition().properties
        for k in props:
            if k not in declared:
                raise TypeError(
                    f"{cls.name} has no property '{k}'; it has: "
                    f"{', '.join(declared) if declared else 'no properties'}"
                )
        values = [SSAValue.get(o) for o in operands]
        properties = {k: to_attr(v) for k, v in props.items() if v is not None}
        try:  # before anything is built
            _to_layout_attrs(cls, properties)
        except _PropertyLayoutError as e:
            raise ShapeError(str(e)) from None
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


class _PropertyLayoutError(LayoutError):
    """A bad layout in a property whose errors name it (``data_layout: layout ...``)."""


def _to_layout_attrs(op_type: type[NNOp], properties: dict[str, Attribute]) -> None:
    """Turn the StringAttr layout properties of ``op_type`` into LayoutAttrs in place;
    a bad one raises LayoutError (a `_PropertyLayoutError` naming a labelled property)."""
    for name, label in _layout_props(op_type).items():
        value = properties.get(name)
        if isinstance(value, StringAttr):
            try:
                properties[name] = LayoutAttr(value.data)
            except LayoutError as e:
                if not label:
                    raise
                raise _PropertyLayoutError(f"{name}: {e}") from None


_LAYOUT_PROPS: dict[type[NNOp], dict[str, bool]] = {}


def _layout_props(op_type: type[NNOp]) -> dict[str, bool]:
    """The op's layout properties (declared with `LayoutConstraint`) and whether their
    errors name the property."""
    found = _LAYOUT_PROPS.get(op_type)
    if found is None:
        found = {
            name: d.constr.label
            for name, d in op_type.get_irdl_definition().properties.items()
            if isinstance(d.constr, LayoutConstraint)
        }
        _LAYOUT_PROPS[op_type] = found
    return found


def tvm_name(op_type: type[NNOp]) -> str:
    """The op's name in fused kernel names, as TVM prints it: ``TVM_NAME``, or the op
    name without ``nn.``."""
    return op_type.TVM_NAME or op_type.name.removeprefix("nn.")
