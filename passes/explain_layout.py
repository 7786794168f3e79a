"""`explain-layout`: for every layout_transform left in a module, say why it is there.

convert-layout records the reason on each transform it inserts; a transform at the
function boundary is recognised from the IR itself, whoever wrote it. Each line also
names the kernel where the transform's data movement happens: its own, or the one
`fuse-ops` folds it into (a conv's operand load reads the source layout directly).
A conv that runs in a smaller block than asked (its channels do not divide the block)
gets a line too, with the reason convert-layout recorded on it.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass

from xdsl.context import Context
from xdsl.dialects import func
from xdsl.dialects.builtin import ModuleOp, StringAttr
from xdsl.ir import BlockArgument, SSAValue
from xdsl.passes import ModulePass

from relayout.dialects.nn import ConstantOp, FusedOp, LayoutTransformOp, NNOp
from relayout.dialects.nn.base import shape_of
from relayout.layout import moves_data
from relayout.passes.fuse_ops import plan_groups
from relayout.passes.layout_rules.converter import REASON


@dataclass(frozen=True)
class Explanation:
    function: str
    value: str
    src: str
    dst: str
    shape: tuple[int, ...]
    reason: str
    bytes_moved: int
    kernel: str
    """The kernel that moves the data (see `_moved_by`)."""

    def __str__(self) -> str:
        return (
            f"@{self.function}: {self.value} {self.src} -> {self.dst} "
            f"{list(self.shape)} ({self.bytes_moved} bytes): {self.reason}; {self.kernel}"
        )


def _moved_by(op: LayoutTransformOp, kernels: dict[NNOp, tuple[list[NNOp], str]]) -> str:
    """Where ``op``'s bytes move: the `nn.fused` kernel that holds it (fused already) or
    would (`plan_groups`): alone, in the reading conv's operand load (first in the
    group), or in the store of the kernel computing its source (last)."""
    parent = op.parent_op()
    if isinstance(parent, FusedOp):
        name, group = parent.kernel.data, parent.ops
    else:
        grouped, name = kernels[op]
        group = list(grouped)
    if len(group) == 1:
        return f"moved by {name}"
    if group[0] is op:
        return f"moved in {name}, by the conv's operand load"
    return f"moved in {name}, by its store"


def _in_function(op: LayoutTransformOp) -> tuple[SSAValue, SSAValue]:
    """``op``'s source and result as the function sees them: inside an `nn.fused` body
    they are the kernel's operand and result, not the body's block argument and yield."""
    source, result = op.x, op.result
    parent = op.parent_op()
    if isinstance(parent, FusedOp):
        if isinstance(source, BlockArgument):
            source = parent.operands[source.index]
        if parent.yielded is result:
            result = parent.output
    return source, result


def _reason(op: LayoutTransformOp) -> str:
    source, result = _in_function(op)
    users = [u.operation for u in result.uses]
    if isinstance(source, BlockArgument):
        return f"function boundary: argument #{source.index} arrives in {op.src_layout.data}"
    if any(isinstance(u, func.ReturnOp) for u in users):
        return f"function boundary: returned in {op.dst_layout.data}"
    if isinstance(source.owner, ConstantOp):
        return "transform of a constant: run fold-constants to remove it"
    recorded = op.attributes.get(REASON)
    if isinstance(recorded, StringAttr):
        return recorded.data
    names = sorted({u.name for u in users})
    return f"written in the input program; read by {', '.join(names) or 'nothing'}"


def explain(module: ModuleOp) -> list[Explanation]:
    """One explanation per layout_transform that moves data, in program order."""
    out = []
    kernels = {op: planned for planned in plan_groups(module) for op in planned[0]}
    for function in module.walk():
        if not isinstance(function, func.FuncOp):
            continue
        for op in function.walk():
            if isinstance(op, LayoutTransformOp) and moves_data(
                shape_of(op.x), op.src, op.dst
            ):
                source, result = _in_function(op)
                name = result.name_hint or source.name_hint or "value"
                out.append(
                    Explanation(
                        function.sym_name.data, f"%{name}", op.src_layout.data,
                        op.dst_layout.data, shape_of(op.x), _reason(op),
                        4 * _count(shape_of(op.x)), _moved_by(op, kernels),
                    )
                )
    return out


def _count(shape: tuple[int, ...]) -> int:
    n = 1
    for s in shape:
        n *= s
    return n


def layout_choices(module: ModuleOp) -> list[str]:
    """One line per op that convert-layout ran in another layout than the one asked for,
    with the reason it recorded there (a conv whose channels take a smaller block)."""
    return [
        f"@{function.sym_name.data}: %{_name(op.results[0])} {op.name}: {recorded.data}"
        for function in module.walk() if isinstance(function, func.FuncOp)
        for op in function.walk()
        if not isinstance(op, LayoutTransformOp)
        and isinstance(recorded := op.attributes.get(REASON), StringAttr)
    ]


def _name(value: SSAValue) -> str:
    """``value``'s name, else that of a value it feeds: ONNX names a conv with a bias by
    the bias_add the importer puts after it."""
    names = [value.name_hint, *(r.name_hint for u in value.uses for r in u.operation.results)]
    return next((n for n in names if n), "value")


@dataclass(frozen=True)
class ExplainLayoutPass(ModulePass):
    """Prints one `//` line per remaining transform, then one per op convert-layout ran
    in another layout than asked (before the module), and changes nothing."""

    name = "explain-layout"

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        lines = explain(op)
        print(f"// explain-layout: {len(lines)} layout transform(s) move data", file=sys.stdout)
        for line in [*lines, *layout_choices(op)]:
            print(f"// {line}", file=sys.stdout)
