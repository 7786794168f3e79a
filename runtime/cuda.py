"""The `cuda` driver: the plan's translation unit as one pycuda SourceModule, weights
uploaded once, the arena and outputs allocated once, and every launch's parameter
buffer packed once, since the buffers' device pointers never change. pycuda is
imported here only, so the rest of relayout runs without it."""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

import numpy as np

from relayout.dialects.nn.base import f32_array
from relayout.lowering.cuda.plan import Buffer, Kind, Plan
from relayout.runtime.driver import TraceEntry, check_inputs

if TYPE_CHECKING:
    from pycuda.driver import Stream


@functools.cache
def unavailable_reason() -> str | None:
    """Why the cuda driver cannot run on this machine, or None when it can."""
    try:
        import pycuda.driver as cuda
    except (ImportError, OSError) as e:
        return f"pycuda is not usable: {e}"
    try:
        cuda.init()
        if cuda.Device.count() == 0:
            return "no CUDA device"
    except cuda.Error as e:
        return f"no usable CUDA driver: {e}"
    return None


class CudaDriver:
    def __init__(self, plan: Plan, arch: str | None = None) -> None:
        import pycuda.autoprimaryctx  # noqa: F401  (shares the primary context with torch)
        import pycuda.driver as cuda
        from pycuda._pvt_struct import pack
        from pycuda.compiler import SourceModule

        self.plan = plan
        self.trace: list[TraceEntry] = []
        self._cuda = cuda
        self.module = SourceModule(plan.source, no_extern_c=True, arch=arch,
                                   options=["-O3", "-w"])
        self.functions = {name: self.module.get_function(name) for name in plan.kernels}
        self._weights = [cuda.to_device(f32_array(w))
                         for w in plan.weights]
        self._arena = cuda.mem_alloc(max(plan.arena_bytes, 4))
        self._counters = cuda.mem_alloc(max(plan.counter_bytes, 4))
        cuda.memset_d32(self._counters, 0, max(plan.counter_bytes, 4) // 4)
        self._inputs = [cuda.mem_alloc(plan.buffers[i].nbytes) for i in plan.inputs]
        outputs = [b for b in plan.buffers if b.kind is Kind.OUTPUT and b.alias_of is None]
        self._outputs = [cuda.mem_alloc(b.nbytes) for b in outputs]
        device = {Kind.INPUT: self._inputs, Kind.OUTPUT: self._outputs,
                  Kind.WEIGHT: self._weights}
        bases = {Kind.ACTIVATION: int(self._arena), Kind.COUNTERS: int(self._counters)}

        def pointer(b: Buffer) -> int:
            if b.offset is not None:
                return bases[b.kind] + b.offset
            assert b.slot is not None
            return int(device[b.kind][b.slot])

        self.pointers = [pointer(b) for b in plan.buffers]
        # pycuda's own prepared_call packs the same bytes on every call; packing once
        # and calling its launcher directly cuts the host cost per launch ~5x.
        self._launches = [
            (self.functions[launch.kernel]._launch_kernel, launch.grid, launch.block,
             pack("P" * len(launch.params), *(self.pointers[a] for a in launch.params)))
            for launch in plan.launches
        ]
        self._events = [(cuda.Event(), cuda.Event()) for _ in plan.launches]

    def set_inputs(self, *inputs: np.ndarray, stream: Stream | None = None) -> None:
        for dst, x in zip(self._inputs, check_inputs(self.plan, inputs)):
            if stream is None:
                self._cuda.memcpy_htod(dst, x)
            else:
                self._cuda.memcpy_htod_async(dst, x, stream)

    def enqueue(self, stream: Stream | None = None) -> None:
        """Every launch of the plan on ``stream``, untimed and without synchronizing."""
        for launch, grid, block, args in self._launches:
            launch(grid, block, args, 0, stream)

    def launch(self, index: int, stream: Stream | None = None) -> None:
        """The plan's launch number ``index`` alone, as `enqueue` makes it."""
        launch, grid, block, args = self._launches[index]
        launch(grid, block, args, 0, stream)

    def get_outputs(self, inputs: tuple[np.ndarray, ...]) -> tuple[np.ndarray, ...]:
        plan, result = self.plan, []
        for i in plan.outputs:
            b = plan.buffers[i]
            assert b.slot is not None, "a function result is an input, weight or output"
            # An alias of an input or weight has that array's bytes in its own shape.
            if b.kind is Kind.WEIGHT:
                result.append(plan.weights[b.slot].reshape(b.shape).copy())
            elif b.kind is Kind.INPUT:
                result.append(np.array(inputs[b.slot], np.float32).reshape(b.shape))
            else:
                host = np.empty(b.shape, np.float32)
                self._cuda.memcpy_dtoh(host, self._outputs[b.slot])
                result.append(host)
        return tuple(result)

    def run(self, *inputs: np.ndarray) -> tuple[np.ndarray, ...]:
        """One forward pass with a CUDA event pair around every launch for the trace."""
        self.set_inputs(*inputs)
        for (launch, grid, block, args), (start, end) in zip(self._launches, self._events):
            start.record()
            launch(grid, block, args, 0, None)
            end.record()
        self._cuda.Context.synchronize()
        self.trace = [
            TraceEntry(launch.kernel, launch.grid, launch.block, end.time_since(start))
            for launch, (start, end) in zip(self.plan.launches, self._events)
        ]
        return self.get_outputs(inputs)
