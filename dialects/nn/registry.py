"""The registry of nn ops: one place that lists every op, so the tables other stages
keep per op (layout rules, kernels, ONNX converters, fuzz choices) can be derived from
it instead of being kept by hand.

- ``@nn_op`` defines an op (xDSL's ``irdl_op_definition``) and registers it.
- ``registered_ops()`` lists the registered ops in registration order; it is live, so
  compute derived tables when they are used (``registry_version()`` changes on every
  register/unregister, for caches).
- ``extra_ops(*ops)`` registers ops for the duration of a ``with`` block: a test defines
  an op in its own file and sees it in the `nn` dialect of contexts made by
  ``relayout.dialects.context.make_context()`` and in every derived table.
- ``lookup(table, op_type)`` resolves a table keyed by op class through the MRO, so a
  base class (``UnaryOp``) stands for its subclasses.
- ``register_canonicalization(op_type, *patterns)``: canonicalization patterns live in
  ``relayout.passes.canonicalization_patterns``, which registers them on import; the
  dialect never imports passes. ``NNOp.get_canonicalization_patterns`` returns them.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import TYPE_CHECKING, TypeVar

from xdsl.irdl import irdl_op_definition
from xdsl.pattern_rewriter import RewritePattern

if TYPE_CHECKING:
    from relayout.dialects.nn.base import NNOp

T = TypeVar("T")
OpT = TypeVar("OpT", bound="NNOp")

_REGISTRY: list[type[NNOp]] = []
_VERSION = 0
_CANONICALIZATION: dict[type, tuple[RewritePattern, ...]] = {}


def register(op_type: type[NNOp]) -> None:
    """Add an op (already defined with ``irdl_op_definition``) to the registry.

    Raises ValueError if it, another op of the same name or another op claiming one of
    its ONNX op_types is registered already.
    """
    global _VERSION
    from relayout.dialects.nn.base import NNOp

    if not (isinstance(op_type, type) and issubclass(op_type, NNOp)):
        raise TypeError(f"{op_type!r} is not a subclass of NNOp")
    for known in _REGISTRY:
        if known is op_type or known.name == op_type.name:
            raise ValueError(f"{op_type.name} is registered already (by {known.__qualname__})")
        if claimed := set(known.ONNX) & set(op_type.ONNX):
            raise ValueError(
                f"{op_type.name} claims ONNX {', '.join(sorted(claimed))}, which {known.name} "
                "imports already"
            )
    _REGISTRY.append(op_type)
    _VERSION += 1


def unregister(op_type: type[NNOp]) -> None:
    global _VERSION
    _REGISTRY.remove(op_type)
    _VERSION += 1


def nn_op(cls: type[OpT]) -> type[OpT]:
    """Class decorator of every nn op: ``irdl_op_definition``, then registration."""
    defined = irdl_op_definition(cls)
    register(defined)
    return defined


def registered_ops() -> tuple[type[NNOp], ...]:
    """The registered ops, in registration order (the order of imports in
    ``relayout.dialects.nn``, then ops added by ``extra_ops``)."""
    return tuple(_REGISTRY)


def registry_version() -> int:
    """A number that changes whenever an op is registered or unregistered."""
    return _VERSION


@contextmanager
def extra_ops(*ops: type[NNOp]) -> Iterator[tuple[type[NNOp], ...]]:
    """Register ``ops`` (defined with ``irdl_op_definition``, not ``nn_op``) for the
    duration of the ``with`` block; contexts made by ``make_context()`` inside it know
    them."""
    done: list[type[NNOp]] = []
    try:
        for op in ops:
            register(op)
            done.append(op)
        yield ops
    finally:
        for op in reversed(done):
            unregister(op)


def lookup(table: Mapping[type, T], op_type: type) -> T | None:
    """``table``'s entry for ``op_type`` or its nearest base class in the MRO, or None."""
    for cls in op_type.__mro__:
        if cls in table:
            return table[cls]
    return None


def register_canonicalization(op_type: type[NNOp], *patterns: RewritePattern) -> None:
    """Add canonicalization patterns of ``op_type`` (and of its subclasses); a pattern
    of a class registered for ``op_type`` already is skipped, so registering twice is
    harmless."""
    known = _CANONICALIZATION.get(op_type, ())
    kinds = {type(p) for p in known}
    _CANONICALIZATION[op_type] = (*known, *(p for p in patterns if type(p) not in kinds))


def canonicalization_patterns(op_type: type[NNOp]) -> tuple[RewritePattern, ...]:
    """The patterns registered for ``op_type`` and its base classes, nearest first."""
    return tuple(p for cls in op_type.__mro__ for p in _CANONICALIZATION.get(cls, ()))
