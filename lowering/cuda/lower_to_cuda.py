"""`lower-to-cuda`: fuse the module if needed and record on each `nn.fused` op how it
launches (`cuda.grid`, `cuda.block`; `cuda.alias` or, for a concat whose operands
are all written in place, `cuda.in_place` where it launches nothing) and where its
result lives (`cuda.buffer`), and on the function the activation arena against the
sum of activations. The CUDA C itself comes from the `cuda` target. ``precision`` (fp32 or tf32, see precision.py)
must match the target's, since tensor-core kernels launch other grids and blocks."""

from __future__ import annotations

from dataclasses import dataclass

from xdsl.context import Context
from xdsl.dialects import func
from xdsl.dialects.builtin import (
    DenseArrayBase,
    IntegerAttr,
    ModuleOp,
    StringAttr,
    UnitAttr,
    i64,
)
from xdsl.passes import ModulePass

from relayout.dialects.nn import FusedOp
from relayout.lowering.cuda.placement import is_alias, place
from relayout.lowering.cuda.plan import Plan, build_plan, is_fused
from relayout.passes.fuse_ops import FuseOpsPass


@dataclass(frozen=True)
class LowerToCudaPass(ModulePass):
    name = "lower-to-cuda"

    precision: str = "fp32"

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        if not is_fused(op):
            FuseOpsPass().apply(ctx, op)
        for fn in [f for f in op.ops if isinstance(f, func.FuncOp)]:
            annotate(fn, build_plan(op, fn.sym_name.data, self.precision))


def annotate(fn: func.FuncOp, plan: Plan) -> None:
    """Write ``plan`` onto ``fn``, the plan of that function, as `cuda.*` attributes.

    Nothing in relayout reads them back (drivers run the `Plan` itself): they show the
    plan in the IR for people reading it, and the lit tests `lower_to_cuda.mlir` and
    `cuda_target_tf32.mlir` check them."""
    fused = [o for o in fn.body.block.ops if isinstance(o, FusedOp)]
    placement = place(fn)
    launches, aliases = iter(plan.launches), iter(plan.aliases)
    in_place = iter(plan.in_place)
    for kernel_op in fused:
        if is_alias(kernel_op):
            # No launch: the result is its operand's buffer, named by `cuda.buffer`.
            kernel_op.attributes["cuda.alias"] = UnitAttr()
            buffer = plan.buffers[next(aliases).view]
        elif not placement.launches(kernel_op):
            # No launch: a concat whose operands were all written in place.
            kernel_op.attributes["cuda.in_place"] = UnitAttr()
            buffer = plan.buffers[next(in_place).buffer]
        else:
            launch = next(launches)
            kernel_op.attributes["cuda.grid"] = DenseArrayBase.from_list(i64, launch.grid)
            kernel_op.attributes["cuda.block"] = DenseArrayBase.from_list(i64, launch.block)
            buffer = plan.buffers[launch.args[-1]]
        kernel_op.attributes["cuda.buffer"] = StringAttr(str(buffer))
    fn.attributes["cuda.arena_bytes"] = IntegerAttr(plan.arena_bytes, i64)
    fn.attributes["cuda.activation_bytes"] = IntegerAttr(plan.activation_bytes, i64)
