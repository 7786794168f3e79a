"""How a converted value relates to the value it replaces.

convert-layout rewrites a function op by op. A value whose data it has moved is
represented by a new value and a *state* that says how to get the original back; the
original is only rebuilt (lazily, once per destination) where a consumer cannot take the
new form, as TVM's ConvertLayout does.
"""

from __future__ import annotations

from dataclasses import dataclass

from relayout.layout import Layout


@dataclass(frozen=True)
class Relayout:
    """The new value holds the original, whose axes ``orig`` names, converted to ``cur``."""

    orig: Layout
    cur: Layout

    def viewed_as(self, names: Layout) -> Layout:
        """``cur`` in the letters a consumer uses for the original's axes (``names``)."""
        if names == self.orig:
            return self.cur
        if names.ndim != self.orig.ndim or self.orig.is_blocked or names.is_blocked:
            raise ValueError(f"cannot name the axes of {self.orig} as {names}")
        mapping = {a.letter: b.letter for a, b in zip(self.orig.axes, names.axes)}
        return self.cur.rename(mapping)

    def split_letters(self) -> set[str]:
        """Primal axes of the original that ``cur`` splits into blocks."""
        return {a.letter for a in self.cur.axes if a.factor and a.factor > 1}

    def __str__(self) -> str:
        return f"{self.orig}->{self.cur}"


@dataclass(frozen=True)
class Flattened:
    """A batch_flatten of a relayouted value: rows in the order of ``inner.cur``.

    Only a dense layer can take it, by permuting its weight columns at compile time.
    """

    inner: Relayout
    cur_shape: tuple[int, ...]
    orig_shape: tuple[int, ...]

    def __str__(self) -> str:
        return f"flatten({self.inner})"


State = Relayout | Flattened
