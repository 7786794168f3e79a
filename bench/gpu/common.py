"""What the GPU benchmarks share: the NHWC ResNet-50 / MobileNetV2 modules they run,
CUDA-event timing (the median of many iterations after warm-up), and reports that name
the device.

Every benchmark runs relayout and its PyTorch counterpart in one process on the same
GPU, on the same inputs, so the ratios it prints are side by side.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from relayout.dialects.context import make_context
from relayout.frontend import models
from relayout.frontend.onnx_import import from_onnx
from relayout.passes.optimize_layout import OptimizeLayoutPass


def nhwc_module(name: str, batch: int, size: int = 224):
    """A frontend model after `optimize-layout` to NHWC, as `relayout compile` makes it."""
    module = from_onnx(getattr(models, name)(batch=batch, size=size))
    OptimizeLayoutPass(conv2d=("NHWC", "default")).apply(make_context(), module)
    return module


def device_name() -> str:
    import pycuda.driver as cuda

    return cuda.Context.get_device().name()


def cuda_time_ms(step: Callable[[], None], stream=None, warmup: int = 10,
                 iters: int = 100) -> float:
    """Median over ``iters`` runs of ``step`` between two CUDA events on ``stream``."""
    import pycuda.driver as cuda

    for _ in range(warmup):
        step()
    start, end = cuda.Event(), cuda.Event()
    times = []
    for _ in range(iters):
        start.record(stream)
        step()
        end.record(stream)
        end.synchronize()
        times.append(end.time_since(start))
    return statistics.median(times)


def torch_time_ms(step: Callable[[], None], warmup: int = 10, iters: int = 100) -> float:
    """`cuda_time_ms` for PyTorch work, timed with its own events on its current stream."""
    import torch

    for _ in range(warmup):
        step()
    torch.cuda.synchronize()
    start, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
    times = []
    for _ in range(iters):
        start.record()
        step()
        end.record()
        end.synchronize()
        times.append(start.elapsed_time(end))
    return statistics.median(times)


def host_us_per_call(call: Callable[[], None], calls: int, sync: Callable[[], None]) -> float:
    """Host wall time of ``calls`` calls, without waiting for the GPU, per call (µs)."""
    sync()
    t = time.perf_counter()
    for _ in range(calls):
        call()
    elapsed = time.perf_counter() - t
    sync()
    return elapsed / calls * 1e6


def report(name: str, title: str, header: list[str], rows: list[list], notes: list[str],
           out: str | None) -> None:
    """Print a markdown table; with ``out``, also write it to ``out/name.md``."""
    lines = [f"## {title}", "", f"device: {device_name()}", ""]
    lines += ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    lines += [""] + [f"- {n}" for n in notes]
    text = "\n".join(lines) + "\n"
    sys.stdout.write(text)
    if out:
        Path(out).mkdir(parents=True, exist_ok=True)
        Path(out, f"{name}.md").write_text(text)


def _cell(value) -> str:
    if isinstance(value, float):
        return f"{value:.3g}" if abs(value) < 100 else f"{value:.0f}"
    return str(value)
