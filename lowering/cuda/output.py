"""What a kernel must know of where the plan put its tensors (`Output`): where it writes
its result, what of it is there already, and which operands it reads from elsewhere
than a buffer of their own. A tensor lies in a buffer of its own, row-major in its
shape, or in a slice of a larger buffer (`Strided`): the place a concat's operand takes
in the concat's result, written there by its producer, or a concat that is itself a
run of such places (`placement.py`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from relayout.lowering.cuda.index import offset, strides


@dataclass(frozen=True)
class Strided:
    """A tensor of ``shape`` in a buffer: ``steps`` elements apart along each axis from
    element ``base``."""

    shape: tuple[int, ...]
    steps: tuple[int, ...]
    """0 along unit axes, which no index moves along, so that two tensors addressed
    alike compare equal."""
    base: int

    @staticmethod
    def within(shape: Sequence[int], outer: Sequence[int], start: Sequence[int]) -> Strided:
        """``shape`` from ``start`` along each axis of a row-major buffer of ``outer``."""
        steps = strides(outer)
        return Strided(tuple(shape), tuple(0 if e == 1 else s for e, s in zip(shape, steps)),
                       sum(a * s for a, s in zip(start, steps)))

    @staticmethod
    def own(shape: Sequence[int]) -> Strided:
        """A buffer of its own, row-major."""
        return Strided.within(shape, shape, [0] * len(shape))

    @property
    def is_row_major(self) -> bool:
        """Whether the tensor is its buffer, row-major, so an element's number indexes it."""
        return self == Strided.own(self.shape)

    def at(self, coords: Sequence[str]) -> str:
        """The C offset of the element at physical coordinates ``coords``."""
        return offset(self.shape, coords, self.steps, self.base)


@dataclass(frozen=True)
class Output:
    result: Strided
    """Where the kernel writes its result, in ``out``."""
    present: frozenset[int] = frozenset()
    """Operands (block argument indices) whose producers already wrote them into their
    place in ``out`` (a concat's): the kernel does not take them."""
    views: tuple[tuple[int, Strided], ...] = ()
    """Operands (block argument indices) that lie in a slice of a larger buffer, and
    where. Only a concat's copies and elementwise ops' loads (`epilogue.tail`) read such
    operands (`kernels.reads_in_place`)."""

    @staticmethod
    def own(shape: Sequence[int]) -> Output:
        """Every tensor in a buffer of its own."""
        return Output(Strided.own(shape))

    @property
    def is_row_major(self) -> bool:
        return self.result.is_row_major

    def at(self, coords: Sequence[str]) -> str:
        """The C offset in ``out`` of the result's element at physical ``coords``."""
        return self.result.at(coords)

    def operand(self, index: int, shape: Sequence[int]) -> Strided:
        """Where operand ``index``, of ``shape``, lies."""
        return dict(self.views).get(index) or Strided.own(shape)
