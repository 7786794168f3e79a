"""Elementwise ops are layout-agnostic: they follow their operands. A broadcasting
operand (a scalar, a `[C]` or `[C,1,1]` bias) is reshaped and transformed to match, and
folds away when it is a constant."""

from __future__ import annotations

from xdsl.ir import SSAValue

from relayout.dialects.nn import BinaryOp, UnaryOp
from relayout.dialects.nn.base import shape_of
from relayout.passes.layout_rules.common import common_state, to_state
from relayout.passes.layout_rules.converter import Converter, Outcome


def unary(op: UnaryOp, cv: Converter) -> Outcome | None:
    s = cv.relayout(op.x)
    if s is None:
        return None
    return [(cv.rebuild(op, [cv.new(op.x)]).result, s)]


def binary(op: BinaryOp, cv: Converter) -> Outcome | None:
    rank = len(shape_of(op.result))
    s = common_state(cv, op.operands, rank)
    if s is None:
        return None
    operands: list[SSAValue] = []
    for v in op.operands:
        if cv.relayout(v) == s:
            operands.append(cv.new(v))
            continue
        converted = to_state(cv, cv.original(v, f"{op.name} runs in {s.cur}"), s, rank,
                             f"operand of {op.name} in {s.cur}")
        if converted is None:
            return None
        operands.append(converted)
    return [(cv.rebuild(op, operands).result, s)]
