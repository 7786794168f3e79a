"""Per-op layout rules for convert-layout, one file per dialect file.

A rule takes the op and the Converter. It returns None when the op keeps its original
layout (its operands are then restored), or one ``(new value, state)`` per result.
"""

from __future__ import annotations

from collections.abc import Callable

from xdsl.ir import Operation

from relayout.dialects import nn
from relayout.passes.layout_rules import (
    conv2d,
    dense,
    elementwise,
    layout_transform,
    normalization,
    pool,
    reduce,
    shape_ops,
)

Rule = Callable[[Operation, object], list | None]

RULES: dict[type, Rule] = {
    nn.Conv2DOp: conv2d.convert,
    nn.UnaryOp: elementwise.unary,
    nn.BinaryOp: elementwise.binary,
    nn.BiasAddOp: normalization.bias_add,
    nn.BatchNormOp: normalization.batch_norm,
    nn.LayoutOp: pool.follow_or_anchor,
    nn.ConcatOp: shape_ops.concat,
    nn.TransposeOp: shape_ops.transpose,
    nn.ReshapeOp: shape_ops.reshape,
    nn.BatchFlattenOp: shape_ops.reshape,
    nn.PadOp: shape_ops.pad,
    nn.MeanOp: reduce.mean,
    nn.SoftmaxOp: reduce.softmax,
    nn.DenseOp: dense.convert,
    nn.LayoutTransformOp: layout_transform.absorb,
}


def rule_for(op: Operation) -> Rule | None:
    for cls in type(op).__mro__:
        if cls in RULES:
            return RULES[cls]
    return None
