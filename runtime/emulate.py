"""The `emulate` driver: the generated CUDA C compiled for the CPU with g++ and
`cuda_emu.h`, plus a generated host function that performs the plan's launches."""

from __future__ import annotations

import ctypes
import os
from pathlib import Path

import numpy as np

from relayout.dialects.nn.base import f32_array
from relayout.lowering.cuda.plan import Buffer, Kind, Plan
from relayout.runtime import compile_cache
from relayout.runtime.driver import TraceEntry, check_inputs

HEADER = Path(__file__).with_name("cuda_emu.h")
CXX = os.environ.get("CXX", "g++")
FLAGS = ["-O1", "-std=c++17", "-shared", "-fPIC", "-w"]


def dim3(v: tuple[int, int, int]) -> str:
    return "dim3{" + ", ".join(f"{n}u" for n in v) + "}"


def host_source(plan: Plan) -> str:
    """`relayout_run(buffers, times)`: every launch in order, its wall time in ms."""
    lines = ['extern "C" void relayout_run(float* const* buf, double* ms) {']
    for i, launch in enumerate(plan.launches):
        args = ", ".join(
            f"reinterpret_cast<unsigned*>(buf[{a}])" if plan.buffers[a].kind is Kind.COUNTERS
            else f"buf[{a}]"
            for a in launch.params
        )
        kernel = plan.kernels[launch.kernel]
        grid, block = dim3(launch.grid), dim3(launch.block)
        barrier = "true" if kernel.barrier else "false"
        lines.append(
            f"  ms[{i}] = emu::launch({grid}, {block}, {barrier}, "
            f"[&] {{ {launch.kernel}({args}); }});"
        )
    lines.append("}")
    return "\n".join(lines) + "\n"


def library_key(source: str) -> str:
    """The cache name of ``source``'s library: it changes with the source, the header,
    the flags and the compiler."""
    return compile_cache.cache_key(source, HEADER.read_text(), " ".join(FLAGS), CXX)


def compile_library(source: str) -> Path:
    """Build (or reuse from the per-user cache) a shared library of ``source``.

    The path returned has passed `compile_cache.is_trusted`, so it may be loaded."""
    text = f'#include "{HEADER}"\n{source}'
    return compile_cache.library(library_key(source), text, [CXX, *FLAGS])


class EmulatedDriver:
    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self.trace: list[TraceEntry] = []
        lib = ctypes.CDLL(str(compile_library(plan.source + host_source(plan))))
        self._run = lib.relayout_run
        self._run.argtypes = [ctypes.POINTER(ctypes.c_void_p), ctypes.POINTER(ctypes.c_double)]
        self._weights = [f32_array(w) for w in plan.weights]
        self._arena = np.zeros(max(plan.arena_bytes, 4) // 4, np.float32)
        self._counters = np.zeros(max(plan.counter_bytes, 4) // 4, np.uint32)

    def run(self, *inputs: np.ndarray) -> tuple[np.ndarray, ...]:
        plan = self.plan
        ins = check_inputs(plan, inputs)
        outs = [np.empty(b.shape, np.float32) for b in plan.buffers
                if b.kind is Kind.OUTPUT and b.alias_of is None]
        arrays = {Kind.INPUT: ins, Kind.OUTPUT: outs, Kind.WEIGHT: self._weights}
        bases = {Kind.ACTIVATION: self._arena.ctypes.data,
                 Kind.COUNTERS: self._counters.ctypes.data}

        def array(b: Buffer) -> np.ndarray:
            assert b.slot is not None
            return arrays[b.kind][b.slot]

        pointers = (ctypes.c_void_p * len(plan.buffers))(*(
            array(b).ctypes.data if b.offset is None else bases[b.kind] + b.offset
            for b in plan.buffers
        ))
        ms = (ctypes.c_double * len(plan.launches))()
        self._run(pointers, ms)
        self.trace = [
            TraceEntry(launch.kernel, launch.grid, launch.block, t)
            for launch, t in zip(plan.launches, ms)
        ]
        # An input, weight or alias returned goes out as a copy; outputs are fresh.
        return tuple(
            array(b) if b.kind is Kind.OUTPUT and b.alias_of is None
            else array(b).reshape(b.shape).copy()
            for b in (plan.buffers[i] for i in plan.outputs)
        )
