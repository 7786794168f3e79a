"""`xdsl-opt -t cuda`: the CUDA C translation unit, with the host plan as a comment."""

from __future__ import annotations

from dataclasses import dataclass
from typing import IO

from xdsl.context import Context
from xdsl.dialects.builtin import ModuleOp
from xdsl.utils.target import Target

from relayout.lowering.cuda.plan import build_plan


@dataclass(frozen=True)
class CudaTarget(Target):
    name = "cuda"

    def emit(self, ctx: Context, module: ModuleOp, output: IO[str]) -> None:
        plan = build_plan(module)
        output.write("".join(f"// {line}\n" for line in plan.describe().splitlines()))
        output.write(plan.source)
