"""Compile time of ResNet-50 (224×224, NHWC): relayout's own stages, then nvcc through
pycuda cold (an empty cache) and warm (pycuda's cache hit), and the driver's start.

    python bench/gpu/compile_time.py [--out DIR]
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time

from common import report  # type: ignore[import-not-found]  # sibling script module

from relayout.dialects.context import make_context
from relayout.frontend import models
from relayout.frontend.onnx_import import from_onnx
from relayout.lowering.cuda.plan import build_plan
from relayout.passes.optimize_layout import OptimizeLayoutPass


def timed(step):
    t = time.perf_counter()
    result = step()
    return result, time.perf_counter() - t


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batch", type=int, default=1)
    parser.add_argument("--out")
    args = parser.parse_args()
    import pycuda.autoprimaryctx  # noqa: F401
    from pycuda.compiler import SourceModule

    from relayout.runtime.driver import load

    proto, t_build = timed(lambda: models.resnet50(batch=args.batch))
    module, t_import = timed(lambda: from_onnx(proto))
    _, t_opt = timed(lambda: OptimizeLayoutPass(conv2d=("NHWC", "default"))
                     .apply(make_context(), module))
    plan, t_plan = timed(lambda: build_plan(module))
    rows = [["build the ONNX model", t_build], ["import", t_import],
            ["optimize-layout", t_opt], ["fuse + lower to CUDA C (plan)", t_plan]]
    with tempfile.TemporaryDirectory() as cache:
        os.environ["PYCUDA_CACHE_DIR"] = cache

        def compile_():
            return SourceModule(plan.source, no_extern_c=True, options=["-O3", "-w"])

        _, cold = timed(compile_)
        _, warm = timed(compile_)
        _, start = timed(lambda: load(plan, "cuda"))
    rows += [["nvcc, cold cache", cold], ["pycuda cache hit", warm],
             ["driver start (cache hit + weight upload)", start]]
    report("compile_time", f"ResNet-50 compile time, batch {args.batch}",
           ["stage", "seconds"], rows,
           [(f"{len(plan.kernels)} kernels in one translation unit, "
            f"{len(plan.source) // 1024} KiB of CUDA C"),
            "the host CPU is the device machine's; relayout's stages are single-threaded"],
           args.out)


if __name__ == "__main__":
    main()
