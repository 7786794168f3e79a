"""What a kernel template produces for one fused group."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from math import prod

from relayout.dialects.nn import FusedOp
from relayout.dialects.nn.base import shape_of
from relayout.lowering.cuda.index import unravel
from relayout.lowering.cuda.output import Output

Dim3 = tuple[int, int, int]

MAX_GRID_YZ = 65535
SMS = 132
"""H100 SMs: the parallelism tilings and split factors are chosen against."""
VEC = 4
"""Floats in one float4: a run of a thread's rows or columns read or written at once."""


@dataclass(frozen=True)
class Workspace:
    """Global memory a kernel needs besides its inputs and output, passed after ``out``
    as the `WORKSPACE_PARAMS`.

    ``partials`` floats are scratch whose contents matter during one launch only, so
    the plan places them in the activation arena, live for that launch alone.
    ``counters`` unsigned ints must be zero when the kernel starts, and the kernel
    leaves them at zero when it ends; so all kernels of a plan, which run one after
    another, share one region of counters that the driver zeroes once.
    """

    partials: int
    counters: int


WORKSPACE_PARAMS = ("float* __restrict__ partials", "unsigned* __restrict__ counters")


@dataclass(frozen=True)
class Kernel:
    name: str
    source: str
    grid: Dim3
    block: Dim3
    barrier: bool = False
    """Whether the kernel calls __syncthreads (the emulator then runs threads as fibers)."""
    headers: tuple[str, ...] = ()
    """CUDA headers it needs from nvcc (the emulator's cuda_emu.h stands in for them)."""
    workspace: Workspace | None = None


def signature(
    fused: FusedOp, name: str, out: Output, extra: Sequence[str] = (),
    bounds: Sequence[int] = (),
) -> str:
    """`extern "C"` so pycuda's no_extern_c=True build finds the kernel by name; an
    ``in<k>`` for each operand but those already in place in ``out``; ``extra``
    parameters follow ``out``; ``bounds`` are its `__launch_bounds__`."""
    params = [f"const float* __restrict__ in{i}" for i in range(len(fused.inputs))
              if i not in out.present]
    params += ["float* __restrict__ out", *extra]
    qualifier = f"__launch_bounds__({', '.join(map(str, bounds))}) " if bounds else ""
    return f'extern "C" __global__ void {qualifier}{name}({", ".join(params)})'


def ceil_div(a: int, b: int) -> int:
    return -(-a // b)


def grid_1d(total: int, threads: int) -> Dim3:
    """Blocks for a grid-stride loop over ``total`` elements."""
    return (max(1, min(ceil_div(total, threads), 1 << 20)), 1, 1)


def grid_stride(total: int, body: list[str]) -> list[str]:
    return [
        (f"for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < {total}; "
        "i += gridDim.x * blockDim.x) {"),
        *("  " + line for line in body),
        "}",
    ]


def function(head: str, body: list[str]) -> str:
    return head + " {\n" + "".join(f"  {line}\n" for line in body) + "}\n"


THREADS = 256

Compute = Callable[[Sequence[str]], tuple[list[str], str]]


def per_element(fused: FusedOp, name: str, out: Output, compute: Compute) -> Kernel:
    """One thread per output element, walked in memory order so writes coalesce.

    ``compute`` gets the output's physical coordinates and returns statements and the
    expression of the element's value.
    """
    shape = shape_of(fused.output)
    coord_lines, coords = unravel("i", shape, "d")
    lines, value = compute(coords)
    at = "i" if out.is_row_major else out.at(coords)
    body = grid_stride(prod(shape), [*coord_lines, *lines, f"out[{at}] = {value};"])
    return Kernel(
        name, function(signature(fused, name, out), body), grid_1d(prod(shape), THREADS),
        (THREADS, 1, 1),
    )
