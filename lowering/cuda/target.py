"""`xdsl-opt -t cuda`: the CUDA C translation unit, with the host plan as a comment.
`-t 'cuda{precision=tf32}'` runs the GEMMs that fit on tensor cores (precision.py)."""

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

    precision: str = "fp32"

    def emit(self, ctx: Context, module: ModuleOp, output: IO[str]) -> None:
        plan = build_plan(module, precision=self.precision)
        output.write("".join(f"// {line}\n" for line in plan.describe().splitlines()))
        output.write(plan.source)
