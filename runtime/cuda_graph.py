"""A plan's launches captured once into a CUDA graph and replayed with one driver call.

At batch 1 a forward pass is a few dozen short kernels, and the host's launch cost per
kernel is of the same order as the kernel itself. pycuda has no graph API, so the
capture goes through NVIDIA's `cuda.bindings` (cuda-python) on a pycuda stream of the
same (primary) context.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from relayout.runtime.cuda import CudaDriver

if TYPE_CHECKING:
    from pycuda.driver import Stream


def _check(result: tuple[Any, ...]) -> Any:
    """The values of a `cuda.bindings` call's result, raising on its error code."""
    err, *values = result
    if int(err) != 0:
        raise RuntimeError(f"CUDA driver error {err}")
    return values[0] if len(values) == 1 else values


class CudaGraph:
    def __init__(self, driver: CudaDriver, stream: Stream) -> None:
        from cuda.bindings import driver as cu

        self._cu = cu
        self._stream = cu.CUstream(stream.handle)
        _check(cu.cuStreamBeginCapture(
            self._stream, cu.CUstreamCaptureMode.CU_STREAM_CAPTURE_MODE_RELAXED))
        try:
            driver.enqueue(stream)
        finally:
            graph = _check(cu.cuStreamEndCapture(self._stream))
        self._graph = graph
        self._exec = _check(cu.cuGraphInstantiate(graph, 0))

    def launch(self) -> None:
        """Enqueue the whole forward pass on the captured stream."""
        _check(self._cu.cuGraphLaunch(self._exec, self._stream))

    def __del__(self) -> None:
        cu = getattr(self, "_cu", None)
        if cu is not None and hasattr(self, "_exec"):
            cu.cuGraphExecDestroy(self._exec)
            cu.cuGraphDestroy(self._graph)
