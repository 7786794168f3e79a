"""Layout strings and the algebra between them, with TVM's semantics.

An upper-case letter is a primal axis whose extent comes from the shape; ``<k><letter>``
in lower case is a subordinate axis of extent ``k`` that splits the primal axis of the
same letter, so ``NCHW16c`` holds ``[N, C/16, H, W, 16]``. Two layouts are convertible
when they have the same primal axes. At most one subordinate per primal axis is allowed
(TVM HEAD rejects more too).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from math import prod

import numpy as np

_TOKEN = re.compile(r"(\d+)([a-z])|([A-Z])|(.)")


class LayoutError(ValueError):
    """A malformed layout string or an impossible conversion."""


@dataclass(frozen=True)
class Axis:
    letter: str
    """The primal letter, upper case, for primal and subordinate axes alike."""
    factor: int | None = None
    """None for a primal axis; the block size for a subordinate one."""

    @property
    def is_primal(self) -> bool:
        return self.factor is None

    def __str__(self) -> str:
        return self.letter if self.factor is None else f"{self.factor}{self.letter.lower()}"


@dataclass(frozen=True)
class Layout:
    axes: tuple[Axis, ...]

    @staticmethod
    def parse(text: str) -> Layout:
        return _parse(text)

    def __str__(self) -> str:
        return "".join(map(str, self.axes))

    @property
    def ndim(self) -> int:
        return len(self.axes)

    @property
    def primal(self) -> str:
        """The primal letters in the order they appear."""
        return "".join(a.letter for a in self.axes if a.is_primal)

    @property
    def is_blocked(self) -> bool:
        return any(not a.is_primal for a in self.axes)

    def index_of(self, letter: str) -> int:
        """Position of the primal axis ``letter`` (upper case) or subordinate (lower)."""
        for i, a in enumerate(self.axes):
            if (a.is_primal and a.letter == letter) or (
                not a.is_primal and a.letter.lower() == letter
            ):
                return i
        return -1

    def factor_of(self, letter: str) -> int:
        """Block size of primal ``letter``: 1 when it is not split."""
        return prod(a.factor for a in self.axes if a.letter == letter and a.factor) or 1

    def has_sub(self, letter: str) -> bool:
        return any(a.letter == letter and not a.is_primal for a in self.axes)

    def convertible(self, other: Layout) -> bool:
        return sorted(self.primal) == sorted(other.primal)

    def with_factors(self, factors: dict[str, int]) -> Layout:
        """Replace block sizes of some primal letters (a factor of 1 keeps the axis)."""
        return Layout(
            tuple(
                Axis(a.letter, factors.get(a.letter, a.factor)) if a.factor else a
                for a in self.axes
            )
        )

    def rename(self, mapping: dict[str, str]) -> Layout:
        """Rename primal letters (and their subordinates) through ``mapping``."""
        return Layout(tuple(Axis(mapping.get(a.letter, a.letter), a.factor) for a in self.axes))

    def drop(self, letters: str) -> Layout:
        return Layout(tuple(a for a in self.axes if a.letter not in letters))

    def logical_extents(self, shape: Sequence[int]) -> dict[str, int]:
        """Extent of each primal axis of a tensor of ``shape`` in this layout."""
        self._check_rank(shape)
        return {
            a.letter: shape[i] * self.factor_of(a.letter)
            for i, a in enumerate(self.axes)
            if a.is_primal
        }

    def shape_for(self, extents: dict[str, int], pad: bool = False) -> tuple[int, ...]:
        """The shape in this layout of a tensor with the given primal extents."""
        shape = []
        for a in self.axes:
            k = self.factor_of(a.letter)
            if a.factor is None:
                if extents[a.letter] % k and not pad:
                    raise LayoutError(
                        f"axis {a.letter} of extent {extents[a.letter]} is not divisible "
                        f"by its block size {k} in {self}"
                    )
                shape.append(-(-extents[a.letter] // k))
            else:
                shape.append(a.factor)
        return tuple(shape)

    def _check_rank(self, shape: Sequence[int]) -> None:
        if len(shape) != self.ndim:
            raise LayoutError(f"layout {self} has rank {self.ndim}, shape {list(shape)} does not")


@cache
def _parse(text: str) -> Layout:
    if not text:
        raise LayoutError("empty layout string")
    axes: list[Axis] = []
    for m in _TOKEN.finditer(text):
        num, sub, prim, bad = m.groups()
        if bad is not None:
            raise LayoutError(_explain_bad(text, m.start()))
        axes.append(Axis(prim) if prim else Axis(sub.upper(), int(num)))
    layout = Layout(tuple(axes))
    for a in axes:
        if a.factor is not None and a.factor < 1:
            raise LayoutError(f"layout '{text}': block size of {a} must be positive")
    seen = [str(a) if a.is_primal else a.letter.lower() for a in axes]
    for s in set(seen):
        if seen.count(s) > 1:
            raise LayoutError(f"layout '{text}': axis '{s}' appears more than once")
    for a in axes:
        if not a.is_primal and a.letter not in layout.primal:
            raise LayoutError(
                f"layout '{text}': subordinate axis '{a}' has no primal axis '{a.letter}'"
            )
    return layout


def _explain_bad(text: str, pos: int) -> str:
    ch = text[pos]
    if ch.isdigit():
        nxt = text[pos:].lstrip("0123456789")[:1]
        if nxt.isupper():
            return (
                f"layout '{text}': a block size must be followed by a lower-case letter "
                f"(write '{text[pos:].split(nxt)[0]}{nxt.lower()}', not "
                f"'{text[pos:].split(nxt)[0]}{nxt}')"
            )
        return f"layout '{text}': block size at position {pos} has no axis letter"
    if ch.islower():
        return f"layout '{text}': subordinate axis '{ch}' needs a block size, e.g. '16{ch}'"
    return f"layout '{text}': unexpected character {ch!r} at position {pos}"


def parse(text: str | Layout) -> Layout:
    return text if isinstance(text, Layout) else _parse(text)


def _check_convertible(src: Layout, dst: Layout) -> None:
    if not src.convertible(dst):
        raise LayoutError(f"cannot convert {src} to {dst}: their primal axes differ")


def transform_shape(
    shape: Sequence[int], src: str | Layout, dst: str | Layout, pad: bool = False
) -> tuple[int, ...]:
    """Shape of a ``src``-layout tensor of ``shape`` once converted to ``dst``."""
    src, dst = parse(src), parse(dst)
    _check_convertible(src, dst)
    extents = src.logical_extents(shape)
    return dst.shape_for(extents, pad)


def _canonical_order(layout: Layout) -> list[int]:
    """Axis positions ordered primal-by-primal (alphabetical), outer before inner."""
    order: list[int] = []
    for letter in sorted(layout.primal):
        order.append(layout.index_of(letter))
        if layout.has_sub(letter):
            order.append(layout.index_of(letter.lower()))
    return order


def _to_logical(x: np.ndarray, layout: Layout) -> np.ndarray:
    """View a tensor as its primal axes in alphabetical order (blocked extents rounded up)."""
    y = x.transpose(_canonical_order(layout))
    letters = sorted(layout.primal)
    return y.reshape([x.shape[layout.index_of(p)] * layout.factor_of(p) for p in letters])


def _from_logical(y: np.ndarray, layout: Layout, pad: bool) -> np.ndarray:
    letters = sorted(layout.primal)
    extents = dict(zip(letters, y.shape))
    target = layout.shape_for(extents, pad)
    padded = [target[layout.index_of(p)] * layout.factor_of(p) for p in letters]
    if list(padded) != list(y.shape):
        y = np.pad(y, [(0, p - s) for p, s in zip(padded, y.shape)])
    split: list[int] = []
    for p in letters:
        split.append(target[layout.index_of(p)])
        if layout.has_sub(p):
            split.append(layout.factor_of(p))
    y = y.reshape(split)
    return y.transpose(np.argsort(_canonical_order(layout)))


def transform(
    x: np.ndarray, src: str | Layout, dst: str | Layout, pad: bool = False
) -> np.ndarray:
    """Convert array ``x`` from layout ``src`` to ``dst`` (a contiguous copy).

    A blocked destination whose axis is not divisible by the block size is an error
    unless ``pad`` is set, in which case the tail is zero-filled, as TVM does.
    """
    src, dst = parse(src), parse(dst)
    _check_convertible(src, dst)
    src._check_rank(x.shape)
    return np.ascontiguousarray(_from_logical(_to_logical(x, src), dst, pad))


def forward_index(index: Sequence[int], src: str | Layout, dst: str | Layout) -> tuple[int, ...]:
    """Where element ``index`` of a ``src`` tensor lands in its ``dst`` conversion."""
    src, dst = parse(src), parse(dst)
    _check_convertible(src, dst)
    full = _linear_index(index, src)
    return _split_index(full, dst)


def backward_index(index: Sequence[int], dst: str | Layout, src: str | Layout) -> tuple[int, ...]:
    """Which element of the ``src`` tensor element ``index`` of its ``dst`` form reads."""
    return forward_index(index, dst, src)


def _linear_index(index: Sequence[int], layout: Layout) -> dict[str, int]:
    layout._check_rank(index)
    full = dict.fromkeys(layout.primal, 0)
    for i, a in zip(index, layout.axes):
        full[a.letter] += i * layout.factor_of(a.letter) if a.is_primal else i
    return full


def _split_index(full: dict[str, int], layout: Layout) -> tuple[int, ...]:
    return tuple(
        full[a.letter] // layout.factor_of(a.letter) if a.factor is None
        else full[a.letter] % a.factor
        for a in layout.axes
    )


def permutation(src: str | Layout, dst: str | Layout) -> tuple[int, ...] | None:
    """``perm`` with ``np.transpose(x, perm)`` equal to the conversion, or None if blocked."""
    src, dst = parse(src), parse(dst)
    _check_convertible(src, dst)
    if src.is_blocked or dst.is_blocked:
        if src == dst:
            return tuple(range(src.ndim))
        return None
    return tuple(src.index_of(a.letter) for a in dst.axes)


def moves_data(shape: Sequence[int], src: str | Layout, dst: str | Layout) -> bool:
    """False when converting a tensor of ``shape`` keeps its memory order (a reshape):
    it moves only size-1 axes, or splits an axis into blocks that lie together
    (``[N, C/16, 1, 1, 16]`` is ``[N, C, 1, 1]``)."""
    src, dst = parse(src), parse(dst)
    _check_convertible(src, dst)
    extents = src.logical_extents(shape)
    a, b = _memory_order(src, extents), _memory_order(dst, extents)
    if a is None or b is None:
        return src != dst
    return a != b


def _memory_order(layout: Layout, extents: dict[str, int]) -> list[str] | None:
    """Letters of the non-unit axes in memory order, an axis once when its blocks lie
    together (outer, then inner); None if other axes lie between them or the blocks pad."""
    order: list[Axis] = []
    for a in layout.axes:
        k = layout.factor_of(a.letter)
        if extents[a.letter] % k:
            return None
        n = a.factor or extents[a.letter] // k
        if n == 1:
            continue
        if a.letter in (b.letter for b in order):
            if not (order[-1] == Axis(a.letter) and a.factor is not None):
                return None
            continue
        order.append(a)
    return [a.letter for a in order]
