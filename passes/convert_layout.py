"""`convert-layout`: run layout-sensitive ops in the layouts the user asks for.

TVM `desired_layouts` semantics: only the op kinds named in the options are anchored to
a layout; layout-agnostic ops and ops that carry a layout attribute follow their
producer; a transform back to the original layout is materialised lazily, only where a
consumer cannot take the new form or at the function boundary, once per destination.
Every transform the pass inserts says why in its `reason` attribute.
"""

from __future__ import annotations

from dataclasses import dataclass

from xdsl.context import Context
from xdsl.dialects import func
from xdsl.dialects.builtin import ModuleOp, TensorType
from xdsl.ir import Block, BlockArgument, Operation, Use
from xdsl.passes import ModulePass
from xdsl.pattern_rewriter import GreedyRewritePatternApplier, PatternRewriteWalker
from xdsl.rewriter import Rewriter

from relayout import layout as L
from relayout.dialects.nn import Conv2DOp, Conv2DTransposeOp, DeformConv2DOp
from relayout.dialects.nn.base import shape_of
from relayout.passes.canonicalization_patterns import shape_ops
from relayout.passes.layout_options import LayoutOptions
from relayout.passes.layout_rules import rule_for
from relayout.passes.layout_rules.converter import Converter
from relayout.passes.layout_state import Relayout


def convert_function(options: LayoutOptions, function: func.FuncOp) -> None:
    """Convert one function body op by op, each by its layout rule."""
    block = function.body.blocks.first
    if block is None:
        return
    cv = Converter(options, block)
    old_args = _convert_arguments(cv)
    replaced: list[Operation] = []
    for op in list(block.ops):
        cv.current = op
        if isinstance(op, func.ReturnOp):
            _convert_return(cv, op)
            continue
        rule = rule_for(op)
        outcome = rule(op, cv) if rule else None
        if outcome is None:
            reason = f"{op.name} keeps its original layout"
            op.operands = [cv.original(v, reason) for v in op.operands]
            continue
        for old, (new, state) in zip(op.results, outcome):
            cv.states[old] = (new, state)
        replaced.append(op)
    for op in reversed(replaced):
        Rewriter.erase_op(op)
    for arg in old_args:
        block.erase_arg(arg)
    function.update_function_type()


def _convert_arguments(cv: Converter) -> list[BlockArgument]:
    """With io-layout, give the inputs the new layout; returns the replaced ones."""
    io, src = cv.options.io_layout, cv.options.source
    if io is None or src is None:
        return []
    old = io_arguments(cv.block, src.ndim)
    for arg in old:
        ty = arg.type
        assert isinstance(ty, TensorType)
        shape = L.transform_shape(shape_of(arg), src, io)
        new_arg = cv.block.insert_arg(TensorType(ty.element_type, shape), arg.index)
        new_arg.name_hint = arg.name_hint
        cv.states[arg] = (new_arg, Relayout(src, io))
    return old


def _convert_return(cv: Converter, op: func.ReturnOp) -> None:
    io, src = cv.options.io_layout, cv.options.source
    results = []
    for i, v in enumerate(op.operands):
        reason = f"function boundary: result #{i} is returned in its original layout"
        if io is not None and src is not None and len(shape_of(v)) == src.ndim:
            reason = f"function boundary: result #{i} is returned in {io}"
            results.append(cv.as_layout(v, src, io, reason))
        else:
            results.append(cv.original(v, reason))
    op.operands = results


def io_arguments(block: Block, rank: int) -> list[BlockArgument]:
    """The arguments io-layout converts: the data inputs of the source layout's rank."""
    return [
        a for a in block.args
        if len(shape_of(a)) == rank and not any(_is_weight(u) for u in a.uses)
    ]


def _is_weight(use: Use) -> bool:
    """Weights passed as arguments keep their layout: only data inputs follow io-layout."""
    return (isinstance(use.operation, Conv2DOp | Conv2DTransposeOp | DeformConv2DOp)
            and use.index == 1)


@dataclass(frozen=True)
class ConvertLayoutPass(ModulePass):
    """Options: ``conv2d=DATA,KERNEL`` (KERNEL may be ``default``), ``max_pool2d=L``,
    ``avg_pool2d=L``, ``global_avg_pool2d=L``, ``global_max_pool2d=L``, ``resize2d=L``,
    and ``io-layout=L`` to change the layout of the function's inputs and outputs too."""

    name = "convert-layout"

    conv2d: tuple[str, ...] = ()
    max_pool2d: str = ""
    avg_pool2d: str = ""
    global_avg_pool2d: str = ""
    global_max_pool2d: str = ""
    resize2d: str = ""
    io_layout: str = ""

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        options = LayoutOptions.from_pass(self)
        # A reshape-transpose-reshape channel shuffle has no converted form op by op (its
        # 5-D middle has no NHWC); as one nn.channel_shuffle it follows the layout.
        shuffles = GreedyRewritePatternApplier(list(shape_ops.PATTERNS))
        PatternRewriteWalker(shuffles, apply_recursively=False).rewrite_module(op)
        for function in op.walk():
            if isinstance(function, func.FuncOp) and function.body.blocks:
                convert_function(options.bind(function), function)
