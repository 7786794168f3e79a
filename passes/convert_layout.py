"""`convert-layout`: run layout-sensitive ops in the layouts the user asks for.

TVM `desired_layouts` semantics: only the op kinds named in the options are anchored to
a layout; layout-agnostic ops and ops that carry a layout attribute follow their
producer; a transform back to the original layout is materialised lazily, only where a
consumer cannot take the new form or at the function boundary, once per destination.
Every transform the pass inserts says why in its `reason` attribute.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from xdsl.context import Context
from xdsl.dialects import func
from xdsl.dialects.builtin import ModuleOp, StringAttr, TensorType
from xdsl.ir import Block, BlockArgument, Operation, SSAValue
from xdsl.passes import ModulePass
from xdsl.rewriter import InsertPoint, Rewriter

from relayout import layout as L
from relayout.dialects.nn import BatchFlattenOp, Conv2DOp, LayoutTransformOp, NNOp, ReshapeOp
from relayout.dialects.nn.base import shape_of
from relayout.passes.layout_options import LayoutOptions
from relayout.passes.layout_state import Relayout, State

REASON = "reason"


@dataclass
class Converter:
    """Rewrites one function body; layout rules call back into it."""

    options: LayoutOptions
    block: Block
    states: dict[SSAValue, tuple[SSAValue, State | None]] = field(default_factory=dict)
    memo: dict[tuple[SSAValue, str, str], SSAValue] = field(default_factory=dict)
    current: Operation | None = None

    # --- queries used by the rules -------------------------------------------------
    def state(self, value: SSAValue) -> State | None:
        return self.states.get(value, (value, None))[1]

    def new(self, value: SSAValue) -> SSAValue:
        return self.states.get(value, (value, None))[0]

    def relayout(self, value: SSAValue) -> Relayout | None:
        s = self.state(value)
        return s if isinstance(s, Relayout) else None

    def view(self, value: SSAValue, names: L.Layout) -> L.Layout | None:
        """The converted value's layout in a consumer's letters, or None if it has none."""
        s = self.state(value)
        if s is None:
            return names
        if isinstance(s, Relayout):
            try:
                return s.viewed_as(names)
            except ValueError:
                return None
        return None

    # --- building ------------------------------------------------------------------
    def insert(self, op: Operation) -> Operation:
        assert self.current is not None
        Rewriter.insert_op(op, InsertPoint.before(self.current))
        return op

    def rebuild(self, op: NNOp, operands: list[SSAValue], **overrides: object) -> NNOp:
        props = {**op.properties, **overrides}
        new = type(op).make(*operands, **{k: v for k, v in props.items() if v is not None})
        new.result.name_hint = op.results[0].name_hint
        return self.insert(new)

    def transform(self, value: SSAValue, src: L.Layout, dst: L.Layout, reason: str) -> SSAValue:
        """A (memoised) transform of an already-converted value."""
        if src == dst:
            return value
        key = (value, str(src), str(dst))
        if key not in self.memo:
            op = LayoutTransformOp.make(value, src_layout=str(src), dst_layout=str(dst))
            op.attributes[REASON] = StringAttr(reason)
            self.memo[key] = self.insert(op).result
        return self.memo[key]

    def as_layout(
        self, value: SSAValue, names: L.Layout, want: L.Layout, reason: str
    ) -> SSAValue:
        """``value`` as a consumer needs it: ``names`` names its original axes, ``want``
        is the layout the consumer takes."""
        view = self.view(value, names)
        if view is None:
            return self.transform(self.original(value, reason), names, want, reason)
        return self.transform(self.new(value), view, want, reason)

    def original(self, value: SSAValue, reason: str) -> SSAValue:
        """``value`` in its original form, restored once per value."""
        s = self.state(value)
        new = self.new(value)
        if s is None:
            return new
        if isinstance(s, Relayout):
            return self.transform(new, s.cur, s.orig, reason)
        key = (new, "flattened", "original")
        if key not in self.memo:
            unflat = self.insert(ReshapeOp.make(new, newshape=s.cur_shape)).result
            orig = self.transform(unflat, s.inner.cur, s.inner.orig, reason)
            self.memo[key] = self.insert(BatchFlattenOp.make(orig)).result
        return self.memo[key]

    # --- driving -------------------------------------------------------------------
    def run(self, function: func.FuncOp) -> None:
        from relayout.passes.layout_rules import rule_for

        old_args = self._convert_arguments()
        replaced: list[Operation] = []
        for op in list(self.block.ops):
            self.current = op
            if isinstance(op, func.ReturnOp):
                self._convert_return(op)
                continue
            rule = rule_for(op)
            outcome = rule(op, self) if rule else None
            if outcome is None:
                reason = f"{op.name} keeps its original layout"
                op.operands = [self.original(v, reason) for v in op.operands]
                continue
            for old, (new, state) in zip(op.results, outcome):
                self.states[old] = (new, state)
            replaced.append(op)
        for op in reversed(replaced):
            Rewriter.erase_op(op)
        for arg in old_args:
            self.block.erase_arg(arg)
        function.update_function_type()

    def _convert_arguments(self) -> list[BlockArgument]:
        """With io-layout, give the inputs the new layout; returns the replaced ones."""
        io, src = self.options.io_layout, self.options.source
        if io is None or src is None:
            return []
        old = io_arguments(self.block, src.ndim)
        for arg in old:
            shape = L.transform_shape(shape_of(arg), src, io)
            new_arg = self.block.insert_arg(TensorType(arg.type.element_type, shape), arg.index)
            new_arg.name_hint = arg.name_hint
            self.states[arg] = (new_arg, Relayout(src, io))
        return old

    def _convert_return(self, op: func.ReturnOp) -> None:
        io, src = self.options.io_layout, self.options.source
        results = []
        for i, v in enumerate(op.operands):
            reason = f"function boundary: result #{i} is returned in its original layout"
            if io is not None and src is not None and len(shape_of(v)) == src.ndim:
                reason = f"function boundary: result #{i} is returned in {io}"
                results.append(self.as_layout(v, src, io, reason))
            else:
                results.append(self.original(v, reason))
        op.operands = results


def io_arguments(block: Block, rank: int) -> list[BlockArgument]:
    """The arguments io-layout converts: the data inputs of the source layout's rank."""
    return [
        a for a in block.args
        if len(shape_of(a)) == rank and not any(_is_weight(u) for u in a.uses)
    ]


def _is_weight(use) -> bool:
    """Weights passed as arguments keep their layout: only data inputs follow io-layout."""
    return isinstance(use.operation, Conv2DOp) and use.index == 1


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
        for function in op.walk():
            if isinstance(function, func.FuncOp) and function.body.blocks:
                bound = options.bind(function)
                Converter(bound, function.body.blocks.first).run(function)
