"""Where the bytes move at run time, per network in NHWC with NCHW inputs and outputs: the
plan's launches, how many of them only move a layout transform or copy a concat, the
groups that launch nothing (aliased reshapes and flattens, concats written in place by
their producers), and the data-movement report's compulsory bytes against the floor.
No GPU needed: the figures are the plan's and the report's.

    python bench/data_movement.py [--layout NHWC]

``before`` is the launch count without this tool's movement fusions: every alias and
in-place concat launched a copy, and every layout transform the IR keeps had a kernel
of its own (the first conv's operand load and the last kernel's store absorb them now).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from functools import partial

from onnx import ModelProto

from relayout import api
from relayout.frontend import models
from relayout.frontend.onnx_import import from_onnx
from relayout.lowering.cuda.report import plan_and_report
from relayout.passes.fuse_ops import launches_a_transform
from relayout.test.frontend.zoo.fixtures import load

ZOO = ("mobilenet_v2", "squeezenet1_1", "densenet121", "googlenet", "fcn_resnet50",
       "shufflenet_v2_x0_5")

NETWORKS: dict[str, Callable[[], ModelProto]] = {
    "ResNet-50 (built in, 224)": partial(models.resnet50, size=224),
    "UNet (built in, 64)": partial(models.unet, size=64),
    **{f"{m} (torchvision, 64)": partial(load, m, "torchscript") for m in ZOO},
}


def row(name: str, proto: ModelProto, layout: str) -> str:
    module = api.optimize(from_onnx(proto), (layout, "default"), None)
    plan, report = plan_and_report(module)
    kept = len(api.explain(module))
    transforms = sum(launches_a_transform(launch.kernel) for launch in plan.launches)
    concats = sum("concatenate" in launch.kernel for launch in plan.launches)
    before = len(plan.launches) + len(plan.aliases) + len(plan.in_place) + kept - transforms
    return (f"| {name} | {kept} | {before} | {len(plan.launches)} | {transforms} | {concats} "
            f"| {len(plan.aliases)} | {len(plan.in_place)} | {report.total / 1e6:.2f} MB "
            f"| {report.over_floor:.2f}x |")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--layout", default="NHWC")
    args = p.parse_args()
    print(f"layout {args.layout}, NCHW inputs and outputs\n")
    print("| network | transforms in the IR | launches before | launches | transform "
          "launches | concat copies | aliases | concats in place | bytes moved | over floor |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for name, make in NETWORKS.items():
        print(row(name, make(), args.layout), flush=True)


if __name__ == "__main__":
    main()
