"""Activation memory: one arena, with buffers whose lifetimes do not overlap sharing
bytes (greedy by size, first fit, as TVM's and TFLite's planners do)."""

from __future__ import annotations

from dataclasses import dataclass

ALIGN = 256
"""cudaMalloc's alignment, so every buffer suits vector loads."""


@dataclass(frozen=True)
class Lifetime:
    size: int
    first: int
    """Index of the launch that writes the buffer."""
    last: int
    """Index of the last launch that reads it."""

    def overlaps(self, other: Lifetime) -> bool:
        return self.first <= other.last and other.first <= self.last


def _aligned(n: int) -> int:
    return -(-n // ALIGN) * ALIGN


def assign(lifetimes: list[Lifetime]) -> tuple[list[int], int]:
    """Byte offsets of the buffers in the arena, and the arena size."""
    offsets = [0] * len(lifetimes)
    # The placed buffers live at each launch: a buffer need only look at those in its
    # own lifetime, not at every placed one (quadratic in the launch count).
    live: dict[int, list[int]] = {}
    for i in sorted(range(len(lifetimes)), key=lambda i: -lifetimes[i].size):
        t = lifetimes[i]
        overlapping = {j for step in range(t.first, t.last + 1) for j in live.get(step, ())}
        busy = sorted((offsets[j], offsets[j] + _aligned(lifetimes[j].size)) for j in overlapping)
        at = 0
        for start, end in busy:
            if at + t.size <= start:
                break
            at = max(at, end)
        offsets[i] = at
        for step in range(t.first, t.last + 1):
            live.setdefault(step, []).append(i)
    arena = max((o + _aligned(t.size) for o, t in zip(offsets, lifetimes)), default=0)
    return offsets, arena
