"""Each conv layer of ResNet-50 in NHWC: relayout's kernel (with its fused epilogue) vs
`torch.nn.functional.conv2d` in channels_last (cuDNN, FP32 without TF32).

    python bench/gpu/conv_layers.py [--batch 1 32] [--out DIR]
    python bench/gpu/conv_layers.py --list      # the layers and their GEMM sizes, no GPU

Layers of the same shape are timed once and counted; "speed" is cuDNN's time over
ours, so above 1 means relayout is faster.
"""

from __future__ import annotations

import argparse
import math
from dataclasses import dataclass

from common import cuda_time_ms, nhwc_module, report, torch_time_ms  # type: ignore[import-not-found]  # sibling script module

from relayout.dialects.nn import Conv2DOp, FusedOp
from relayout.dialects.nn.base import ints
from relayout.lowering.cuda.placement import place
from relayout.lowering.cuda.plan import build_plan, fused_module


@dataclass(frozen=True)
class Layer:
    x: tuple[int, ...]
    """NCHW extents of the input."""
    w: tuple[int, ...]
    """OIHW extents of the weight."""
    strides: tuple[int, ...]
    padding: tuple[int, ...]
    dilation: tuple[int, ...]
    groups: int

    @property
    def flop(self) -> int:
        n, _, h, w = self.x
        k, c, r, s = self.w
        (sh, sw), (dh, dw), (pt, pl, pb, pr) = self.strides, self.dilation, self.padding
        p = (h + pt + pb - dh * (r - 1) - 1) // sh + 1
        q = (w + pl + pr - dw * (s - 1) - 1) // sw + 1
        return 2 * n * p * q * k * c * r * s

    def __str__(self) -> str:
        _n, c, h, w = self.x
        k, _, r, s = self.w
        return f"{c}→{k} {r}x{s}/{self.strides[0]} @{h}x{w}"


def conv_launches(module, plan) -> list[tuple[int, Layer]]:
    """(launch index, conv) for every launch whose fused group holds a conv."""
    fn = next(iter(fused_module(module).ops))
    placement = place(fn)
    groups = [op for op in fn.body.block.ops if isinstance(op, FusedOp) and placement.launches(op)]
    found = []
    for index, group in enumerate(groups):
        for op in group.ops:
            if isinstance(op, Conv2DOp):
                x, w = op.extents()
                found.append((index, Layer(
                    tuple(x[a] for a in "NCHW"), tuple(w[a] for a in "OIHW"),
                    ints(op.strides), ints(op.padding), ints(op.dilation), op.group_count)))
    assert len(groups) == len(plan.launches)
    return found


def torch_conv(layer: Layer):
    import torch
    import torch.nn.functional as F

    cl = torch.channels_last
    x = torch.randn(layer.x, device="cuda").to(memory_format=cl)
    w = torch.randn(layer.w, device="cuda").to(memory_format=cl)
    pt, pl, pb, pr = layer.padding
    if (pt, pl) != (pb, pr):
        x = F.pad(x, (pl, pr, pt, pb))
        pt = pl = 0
    return lambda: F.conv2d(x, w, None, layer.strides, (pt, pl), layer.dilation, layer.groups)


def bench(batch: int, iters: int) -> tuple[list[list], list[str]]:
    from relayout.runtime.cuda import CudaDriver

    module = nhwc_module("resnet50", batch)
    plan = build_plan(module)
    driver = CudaDriver(plan)
    seen: dict[Layer, list] = {}
    for index, layer in conv_launches(module, plan):
        if layer in seen:
            seen[layer][1] += 1
            continue
        ours = cuda_time_ms(lambda: driver.launch(index), iters=iters)  # noqa: B023 -- called here
        theirs = torch_time_ms(torch_conv(layer), iters=iters)
        seen[layer] = [str(layer), 1, plan.launches[index].kernel, ours * 1e3, theirs * 1e3,
                       layer.flop / ours / 1e9, layer.flop / theirs / 1e9, theirs / ours]
    rows = [[batch, *row] for row in seen.values()]
    speeds = [(row[-1], row[2]) for row in rows]
    per_shape = math.exp(sum(math.log(s) for s, _ in speeds) / len(speeds))
    per_layer = math.exp(sum(n * math.log(s) for s, n in speeds) / sum(n for _, n in speeds))
    total = sum(r[2] * r[4] for r in rows) / sum(r[2] * r[5] for r in rows)
    notes = [(f"batch {batch}: geomean speed vs cuDNN {per_shape:.3f} over {len(rows)} shapes, "
             f"{per_layer:.3f} over {sum(n for _, n in speeds)} layers; all convs' time "
             f"relayout/cuDNN {total:.3f}")]
    return rows, notes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batch", type=int, nargs="+", default=[1, 32])
    parser.add_argument("--iters", type=int, default=200)
    parser.add_argument("--out")
    parser.add_argument("--list", action="store_true", help="print the layers only")
    args = parser.parse_args()
    if args.list:
        for batch in args.batch:
            module = nhwc_module("resnet50", batch)
            plan = build_plan(module)
            for index, layer in conv_launches(module, plan):
                launch = plan.launches[index]
                split = " split-K" if launch.workspace else ""
                print(f"batch {batch} launch {index:3d}  {layer}  {layer.flop / 1e9:.3f} GFLOP"
                      f"  grid={launch.grid} block={launch.block[0]}"
                      f" ({math.prod(launch.grid)} blocks){split}")
        return
    import torch

    torch.backends.cudnn.allow_tf32 = False
    torch.backends.cudnn.benchmark = True
    rows, notes = [], []
    for batch in args.batch:
        r, n = bench(batch, args.iters)
        rows += r
        notes += n
    header = ["batch", "conv", "count", "kernel", "relayout µs", "cuDNN µs",
              "relayout TFLOP/s", "cuDNN TFLOP/s", "speed vs cuDNN"]
    report("conv_layers", "ResNet-50 conv layers, NHWC, FP32", header, rows,
           notes + [("cuDNN: torch.nn.functional.conv2d, channels_last, allow_tf32=False, "
                    "benchmark=True; relayout's time includes its fused epilogue")], args.out)


if __name__ == "__main__":
    main()
