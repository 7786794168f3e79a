"""C index arithmetic built from the layout algebra.

Kernels name tensor elements by C expressions: physical coordinates (one per axis of
the stored shape) or logical ones (one per primal letter). These helpers convert
between the two for any layout, blocked ones included, and turn coordinates into
row-major offsets. Every number is formatted here from a Python int.
"""

from __future__ import annotations

from collections.abc import Sequence
from math import prod

from relayout.layout import Layout


def strides(shape: Sequence[int]) -> list[int]:
    return [prod(shape[i + 1 :]) for i in range(len(shape))]


def offset(
    shape: Sequence[int], coords: Sequence[str], steps: Sequence[int] | None = None,
    base: int = 0,
) -> str:
    """Offset of ``coords`` from element ``base``, ``steps`` elements apart along each
    axis (row-major in ``shape`` when None); unit axes contribute nothing."""
    terms = [
        c if s == 1 else f"({c}) * {s}"
        for c, s, e in zip(coords, strides(shape) if steps is None else steps, shape)
        if e != 1
    ]
    if base:
        terms.insert(0, str(base))
    return " + ".join(terms) or "0"


def unravel(linear: str, shape: Sequence[int], prefix: str) -> tuple[list[str], list[str]]:
    """Statements declaring ``prefix0..`` as the coordinates of ``linear`` in ``shape``."""
    names, lines = [], []
    for i, (s, e) in enumerate(zip(strides(shape), shape)):
        name = f"{prefix}{i}"
        names.append(name)
        value = "0" if e == 1 else f"({linear} / {s}) % {e}" if i else f"{linear} / {s}"
        lines.append(f"const int {name} = {value};")
    return lines, names


def physical(layout: Layout, logical: dict[str, str]) -> list[str]:
    """Physical coordinates of the element whose primal coordinates are ``logical``."""
    coords = []
    for a in layout.axes:
        k = layout.factor_of(a.letter)
        e = logical[a.letter]
        if not a.is_primal:
            coords.append(f"({e}) % {k}")
        else:
            coords.append(e if k == 1 else f"({e}) / {k}")
    return coords


def logical(layout: Layout, phys: Sequence[str]) -> dict[str, str]:
    """Primal coordinates of the element at physical coordinates ``phys``."""
    out = {}
    for a, c in zip(layout.axes, phys):
        if a.is_primal:
            k = layout.factor_of(a.letter)
            inner = phys[layout.index_of(a.letter.lower())] if k > 1 else None
            out[a.letter] = c if inner is None else f"({c} * {k} + {inner})"
    return out


def element(layout: Layout, shape: Sequence[int], logical_coords: dict[str, str]) -> str:
    """Offset of an element given by primal coordinates in a tensor of ``layout``."""
    return offset(shape, physical(layout, logical_coords))


def run_width(layout: Layout, letter: str, extent: int) -> int:
    """4 when four coordinates of ``letter`` from any multiple of 4 below ``extent``
    are adjacent floats, the first 16-byte aligned (one float4), else 1: ``letter`` must
    be the innermost axis, unsplit or in blocks of a multiple of 4, and 4 must divide
    ``extent`` (so every outer stride is a multiple of 4 too)."""
    last = layout.axes[-1]
    block = layout.factor_of(letter)
    whole = last.is_primal and block == 1 or not last.is_primal and block % 4 == 0
    return 4 if last.letter == letter and whole and extent % 4 == 0 else 1
