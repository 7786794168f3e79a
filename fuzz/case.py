"""A bad-input case: the file a user gives relayout, the files around it, and whether
the CLI must accept it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from hypothesis import strategies as st

EXAMPLE = Path(__file__).parents[1] / "examples" / "conv_relu.mlir"
CACHE = "cache"
"""Extras under this folder land in the emulator's compile cache: the oracle points
XDG_CACHE_HOME there."""


@dataclass(frozen=True)
class Extra:
    """A file laid beside the model before the commands run."""

    name: str
    data: bytes = b""
    """The contents, or a symlink's target."""
    kind: str = "file"
    """file, symlink, fifo, dir, or sparse (a 2 GiB hole)."""
    mode: int | None = None
    foreign: bool = False
    """Owned by another user (uid 65534), where we may chown."""


@dataclass(frozen=True)
class Case:
    kind: str
    suffix: str
    data: bytes
    valid: bool = False
    """The mutation keeps the input meaningful: the CLI must succeed on it."""
    extras: tuple[Extra, ...] = ()
    run_args: tuple[str, ...] = ()
    """Added to `relayout run`; ``@NAME`` is the path of extra NAME."""

    def __str__(self) -> str:
        return f"{self.kind} ({len(self.data)} bytes): {self.data[:2000]!r}"


T = TypeVar("T")

Draw = st.DrawFn
"""Hypothesis' ``draw``: a value of the strategy's type."""


def pick(draw: Draw, items: Sequence[T]) -> T:
    """One of ``items``, drawn by index (so that unhashable and unprintable items work)."""
    return items[draw(st.integers(0, len(items) - 1))]


