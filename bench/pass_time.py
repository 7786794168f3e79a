"""Pass time of the standard pipeline on ResNet-50 (224x224, 25.6M weights as constants).

    python bench/pass_time.py [--model resnet50] [--size 224] [--layout NHWC]

Prints the time of each stage of optimize-layout and the transform counts before and
after. Figures from a 2-core CPU; compare ratios, not absolute seconds, across machines.
"""

from __future__ import annotations

import argparse
import time

from relayout.dialects.context import make_context
from relayout.dialects.nn import LayoutTransformOp
from relayout.frontend import models
from relayout.frontend.onnx_import import from_onnx
from relayout.passes.optimize_layout import OptimizeLayoutPass


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default="resnet50", choices=sorted(models.EXAMPLES))
    ap.add_argument("--size", type=int, default=224)
    ap.add_argument("--layout", default="NHWC")
    args = ap.parse_args()

    start = time.perf_counter()
    module = from_onnx(models.EXAMPLES[args.model](size=args.size))
    print(f"{args.model} {args.size}x{args.size}: import {time.perf_counter() - start:.2f} s")
    ctx = make_context()
    total = 0.0
    for stage in OptimizeLayoutPass(conv2d=(args.layout, "default")).stages():
        start = time.perf_counter()
        stage.apply(ctx, module)
        elapsed = time.perf_counter() - start
        total += elapsed
        print(f"  {stage.name:28s} {elapsed * 1000:8.1f} ms")
    kept = sum(isinstance(op, LayoutTransformOp) for op in module.walk())
    print(f"  {'optimize-layout (total)':28s} {total * 1000:8.1f} ms; transforms left: {kept}")


if __name__ == "__main__":
    main()
