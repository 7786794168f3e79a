"""Whole networks, FP32: relayout (its launches one by one, and replayed as a CUDA graph)
vs PyTorch eager with cuDNN in channels_last, and vs `torch.compile` with --compile.

    python bench/gpu/networks.py [--models resnet50 mobilenet_v2] [--batch 1 32]
                                 [--compile] [--out DIR]

Both sides run the same weights where PyTorch's ONNX export of the torchvision model
works (relayout imports that file; the outputs are compared), else each its own random
weights of the same architecture. relayout's time includes its input's NCHW→NHWC
transform kernel; PyTorch gets its input already in channels_last.
"""

from __future__ import annotations

import argparse
import io
import re
from collections import defaultdict

import numpy as np
from common import (  # type: ignore[import-not-found]  # sibling script module
    cuda_time_ms,
    host_us_per_call,
    nhwc_module,
    report,
    torch_time_ms,
)

from relayout.dialects.context import make_context
from relayout.frontend.onnx_import import from_onnx
from relayout.lowering.cuda.plan import build_plan
from relayout.passes.optimize_layout import OptimizeLayoutPass


def torch_model(name: str):
    import torchvision

    return getattr(torchvision.models, name)(weights=None).eval()


def shared_module(model, batch: int):
    """relayout's module of ``model``'s own ONNX export, or None where export fails."""
    import torch

    x = torch.randn(batch, 3, 224, 224)
    for dynamo in (False, True):
        try:
            f = io.BytesIO()
            torch.onnx.export(model, (x,), f, dynamo=dynamo, opset_version=18)
            module = from_onnx(f.getvalue())
        except Exception as e:  # noqa: BLE001  (any exporter failure: try the next)
            print(f"ONNX export (dynamo={dynamo}) not usable: {type(e).__name__}: {e}")
            continue
        OptimizeLayoutPass(conv2d=("NHWC", "default")).apply(make_context(), module)
        return module
    return None


def where_time_goes(trace) -> str:
    by_kind: dict[str, float] = defaultdict(float)
    for entry in trace:
        by_kind[re.sub(r"_\d+$", "", entry.kernel.removeprefix("fused_"))] += entry.ms
    total = sum(by_kind.values())
    parts = sorted(by_kind.items(), key=lambda kv: -kv[1])[:6]
    return ", ".join(f"{k} {v / total:.0%}" for k, v in parts) + f" (sum {total * 1e3:.0f} µs)"


def bench(name: str, batch: int, iters: int, compile_: bool) -> tuple[list, list[str]]:
    import pycuda.driver as cuda
    import torch

    from relayout.runtime.cuda import CudaDriver
    from relayout.runtime.cuda_graph import CudaGraph

    model = torch_model(name)
    module = shared_module(model, batch)
    shared = module is not None
    module = module or nhwc_module(name, batch)
    plan = build_plan(module)
    driver = CudaDriver(plan)
    x = np.random.default_rng(0).standard_normal((batch, 3, 224, 224)).astype(np.float32)
    (ours_out,) = driver.run(x)
    kernels = where_time_goes(driver.trace)
    stream = cuda.Stream()
    launches = cuda_time_ms(lambda: driver.enqueue(stream), stream, iters=iters)
    per_launch = host_us_per_call(lambda: driver.enqueue(stream), 20, stream.synchronize)
    graph = CudaGraph(driver, stream)
    graphed = cuda_time_ms(graph.launch, stream, iters=iters)

    model = model.cuda().to(memory_format=torch.channels_last)
    tx = torch.from_numpy(x).cuda().to(memory_format=torch.channels_last)
    with torch.inference_mode():
        eager_out = model(tx).float().cpu().numpy()
        eager = torch_time_ms(lambda: model(tx), iters=iters)
        compiled = None
        if compile_:
            fast = torch.compile(model)
            fast(tx)
            compiled = torch_time_ms(lambda: fast(tx), iters=iters)
    error = (float(np.abs(ours_out - eager_out).max() / np.abs(eager_out).max())
             if shared else "weights not shared")
    best = min(launches, graphed)
    row = [name, batch, len(plan.launches), launches, graphed, eager,
           compiled if compiled is not None else "-", batch / best * 1e3,
           batch / eager * 1e3, best / eager,
           (best / compiled) if compiled else "-", per_launch / len(plan.launches), error]
    return row, [f"{name} batch {batch}: per-kernel time (events) — {kernels}"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", nargs="+", default=["resnet50", "mobilenet_v2"])
    parser.add_argument("--batch", type=int, nargs="+", default=[1, 32])
    parser.add_argument("--iters", type=int, default=100)
    parser.add_argument("--compile", action="store_true", help="also time torch.compile")
    parser.add_argument("--out")
    args = parser.parse_args()
    import torch

    torch.backends.cudnn.allow_tf32 = False
    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.benchmark = True
    rows, notes = [], []
    for name in args.models:
        for batch in args.batch:
            row, note = bench(name, batch, args.iters, args.compile)
            rows.append(row)
            notes += note
    header = ["model", "batch", "launches", "relayout ms", "relayout graph ms", "eager ms",
              "compile ms", "relayout img/s", "eager img/s", "latency relayout/eager",
              "latency relayout/compile", "host µs per launch", "max rel. error"]
    report("networks", "Networks, FP32: relayout vs PyTorch (cuDNN, channels_last)", header,
           rows, notes + [("median of CUDA-event timed iterations after warm-up; relayout "
                          "img/s uses the faster of its two modes; targets: latency "
                          "ratio ≤ 0.8 at batch 1, img/s ≥ 0.8× eager at batch 32")],
           args.out)


if __name__ == "__main__":
    main()
