"""`optimize-layout`: the standard job in one pass name.

fold-batch-norm, convert-layout, fold-constants, simplify-layout-transforms, cse, dce:
the weight transforms that conversion inserts are folded into pre-transformed constants,
and the remaining transforms are merged or cancelled.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from xdsl.context import Context
from xdsl.dialects.builtin import ModuleOp
from xdsl.passes import ModulePass
from xdsl.transforms.common_subexpression_elimination import CommonSubexpressionElimination
from xdsl.transforms.dead_code_elimination import DeadCodeElimination

from relayout.passes.convert_layout import ConvertLayoutPass
from relayout.passes.fold_batch_norm import FoldBatchNormPass
from relayout.passes.fold_constants import FoldConstantsPass
from relayout.passes.simplify_layout_transforms import SimplifyLayoutTransformsPass


@dataclass(frozen=True)
class OptimizeLayoutPass(ConvertLayoutPass):
    """Takes the options of convert-layout."""

    name = "optimize-layout"

    def stages(self) -> list[ModulePass]:
        convert = ConvertLayoutPass(**{f.name: getattr(self, f.name) for f in fields(self)})
        return [
            FoldBatchNormPass(), convert, FoldConstantsPass(), SimplifyLayoutTransformsPass(),
            FoldConstantsPass(), CommonSubexpressionElimination(), DeadCodeElimination(),
        ]

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        for stage in self.stages():
            stage.apply(ctx, op)
