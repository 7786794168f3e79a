"""`xdsl-opt -t cuda`: the CUDA C translation unit, with the host plan as a comment.
`-t 'cuda{precision=tf32}'` runs the GEMMs that fit on tensor cores (precision.py)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import IO

from xdsl.context import Context
from xdsl.dialects.builtin import ModuleOp
from xdsl.utils.target import Target

from relayout.lowering.cuda.report import Report, plan_and_report


@dataclass(frozen=True)
class CudaTarget(Target):
    name = "cuda"

    precision: str = "fp32"

    def emit(self, ctx: Context, module: ModuleOp, output: IO[str]) -> None:
        output.write(translation_unit(module, self.precision)[0])


def translation_unit(module: ModuleOp, precision: str) -> tuple[str, Report]:
    """The CUDA C of @main with its plan and data-movement summary as a comment, and
    the data-movement report."""
    plan, report = plan_and_report(module, precision=precision)
    comment = [*plan.describe().splitlines(), report.summary()]
    return "".join(f"// {line}\n" for line in comment) + plan.source, report
