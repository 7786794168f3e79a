"""`explain-layout`: for every layout_transform left in a module, say why it is there.

convert-layout records the reason on each transform it inserts; a transform at the
function boundary is recognised from the IR itself, whoever wrote it.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass

from xdsl.context import Context
from xdsl.dialects import func
from xdsl.dialects.builtin import ModuleOp, StringAttr
from xdsl.ir import BlockArgument
from xdsl.passes import ModulePass

from relayout.dialects.nn import ConstantOp, LayoutTransformOp
from relayout.dialects.nn.base import shape_of
from relayout.layout import moves_data
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

    def __str__(self) -> str:
        return (
            f"@{self.function}: {self.value} {self.src} -> {self.dst} "
            f"{list(self.shape)} ({self.bytes_moved} bytes): {self.reason}"
        )


def _reason(op: LayoutTransformOp) -> str:
    users = [u.operation for u in op.result.uses]
    if isinstance(op.x, BlockArgument):
        return f"function boundary: argument #{op.x.index} arrives in {op.src_layout.data}"
    if any(isinstance(u, func.ReturnOp) for u in users):
        return f"function boundary: returned in {op.dst_layout.data}"
    if isinstance(op.x.owner, ConstantOp):
        return "transform of a constant: run fold-constants to remove it"
    recorded = op.attributes.get(REASON)
    if isinstance(recorded, StringAttr):
        return recorded.data
    names = sorted({u.name for u in users})
    return f"written in the input program; read by {', '.join(names) or 'nothing'}"


def explain(module: ModuleOp) -> list[Explanation]:
    """One explanation per layout_transform that moves data, in program order."""
    out = []
    for function in module.walk():
        if not isinstance(function, func.FuncOp):
            continue
        for op in function.walk():
            if isinstance(op, LayoutTransformOp) and moves_data(
                shape_of(op.x), op.src, op.dst
            ):
                name = op.result.name_hint or op.x.name_hint or "value"
                out.append(
                    Explanation(
                        function.sym_name.data, f"%{name}", op.src_layout.data,
                        op.dst_layout.data, shape_of(op.x), _reason(op),
                        4 * _count(shape_of(op.x)),
                    )
                )
    return out


def _count(shape: tuple[int, ...]) -> int:
    n = 1
    for s in shape:
        n *= s
    return n


@dataclass(frozen=True)
class ExplainLayoutPass(ModulePass):
    """Prints one `//` line per remaining transform (before the module) and changes
    nothing."""

    name = "explain-layout"

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        lines = explain(op)
        print(f"// explain-layout: {len(lines)} layout transform(s) move data", file=sys.stdout)
        for line in lines:
            print(f"// {line}", file=sys.stdout)
