"""The `cuda` driver: the plan's translation unit as one pycuda SourceModule, weights
uploaded once, the arena and outputs allocated once, prepared calls, and a CUDA event
pair around every launch for the kernel trace. pycuda is imported here only, so the
rest of relayout runs without it."""

from __future__ import annotations

import numpy as np

from relayout.lowering.cuda.plan import Kind, Plan
from relayout.runtime.driver import TraceEntry, check_inputs


class CudaDriver:
    def __init__(self, plan: Plan, arch: str | None = None):
        import pycuda.autoprimaryctx  # noqa: F401  (shares the primary context)
        import pycuda.driver as cuda
        from pycuda.compiler import SourceModule

        self.plan = plan
        self.trace: list[TraceEntry] = []
        self._cuda = cuda
        module = SourceModule(plan.source, no_extern_c=True, arch=arch,
                              options=["-O3", "-w"])
        self._functions = {}
        for name in plan.kernels:
            fn = module.get_function(name)
            arity = len(next(l for l in plan.launches if l.kernel == name).args)
            fn.prepare("P" * arity)
            self._functions[name] = fn
        self._weights = [cuda.to_device(np.ascontiguousarray(w, np.float32))
                         for w in plan.weights]
        self._arena = cuda.mem_alloc(max(plan.arena_bytes, 4))
        self._inputs = [cuda.mem_alloc(plan.buffers[i].nbytes) for i in plan.inputs]
        outputs = [b for b in plan.buffers if b.kind is Kind.OUTPUT]
        self._outputs = [cuda.mem_alloc(b.nbytes) for b in outputs]
        device = {Kind.INPUT: self._inputs, Kind.OUTPUT: self._outputs,
                  Kind.WEIGHT: self._weights}
        self._pointers = [
            int(self._arena) + b.index if b.kind is Kind.ACTIVATION
            else int(device[b.kind][b.index])
            for b in plan.buffers
        ]
        self._events = [(cuda.Event(), cuda.Event()) for _ in plan.launches]

    def run(self, *inputs: np.ndarray) -> tuple[np.ndarray, ...]:
        cuda, plan = self._cuda, self.plan
        for dst, x in zip(self._inputs, check_inputs(plan, inputs)):
            cuda.memcpy_htod(dst, x)
        for launch, (start, end) in zip(plan.launches, self._events):
            start.record()
            self._functions[launch.kernel].prepared_call(
                launch.grid, launch.block, *(self._pointers[a] for a in launch.args)
            )
            end.record()
        cuda.Context.synchronize()
        self.trace = [
            TraceEntry(launch.kernel, launch.grid, launch.block, end.time_since(start))
            for launch, (start, end) in zip(plan.launches, self._events)
        ]
        result = []
        for i in plan.outputs:
            b = plan.buffers[i]
            if b.kind is Kind.WEIGHT:
                result.append(plan.weights[b.index].copy())
            elif b.kind is Kind.INPUT:
                result.append(np.array(inputs[b.index], np.float32))
            else:
                host = np.empty(b.shape, np.float32)
                cuda.memcpy_dtoh(host, self._outputs[b.index])
                result.append(host)
        return tuple(result)
