"""The driver interface: run a `Plan` on numpy inputs and keep a kernel trace.

Two implementations run the same generated CUDA C: `emulate` (g++ on the CPU) and
`cuda` (pycuda on a GPU). `load` picks one by name.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np

from relayout.dialects.nn.base import f32_array
from relayout.lowering.cuda.plan import Plan


@dataclass(frozen=True)
class TraceEntry:
    kernel: str
    grid: tuple[int, int, int]
    block: tuple[int, int, int]
    ms: float


class Driver(Protocol):
    plan: Plan
    trace: list[TraceEntry]
    """One entry per launch of the latest run."""

    def run(self, *inputs: np.ndarray) -> tuple[np.ndarray, ...]: ...


def check_inputs(plan: Plan, inputs: tuple[np.ndarray, ...]) -> list[np.ndarray]:
    shapes = [plan.buffers[i].shape for i in plan.inputs]
    if [tuple(np.shape(x)) for x in inputs] != shapes:
        raise ValueError(f"expected inputs of shapes {shapes}")
    return [f32_array(x) for x in inputs]


def load(plan: Plan, backend: str = "emulate") -> Driver:
    if backend == "emulate":
        from relayout.runtime.emulate import EmulatedDriver

        return EmulatedDriver(plan)
    if backend == "cuda":
        from relayout.runtime.cuda import CudaDriver

        return CudaDriver(plan)
    raise ValueError(f"unknown backend {backend!r}: use 'emulate' or 'cuda'")
