"""Per-op layout rules for convert-layout, one file per dialect file.

A rule takes the op and the `Converter`. It returns None when the op keeps its original
layout (its operands are then restored), or one ``(new value, state)`` per result.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeAlias, TypeVar

from xdsl.ir import Operation

from relayout.dialects import nn
from relayout.dialects.nn.registry import lookup
from relayout.passes.layout_rules import (
    conv2d,
    conv2d_transpose,
    deform_conv2d,
    dense,
    elementwise,
    layer_norm,
    layout_transform,
    normalization,
    pool,
    reduce,
    shape_ops,
    slicing,
)
from relayout.passes.layout_rules.converter import Converter, Outcome

OpT = TypeVar("OpT", bound=Operation)

LayoutRule: TypeAlias = Callable[[OpT, Converter], Outcome | None]
"""The rule of ops of type ``OpT``: ``LayoutRule[nn.Conv2DOp]`` takes a conv2d."""


def _rule(op_type: type[OpT], rule: LayoutRule[OpT]) -> tuple[type[Operation], LayoutRule[Any]]:
    """A table entry; mypy checks that ``rule`` takes ops of ``op_type``."""
    return op_type, rule


RULES: dict[type[Operation], LayoutRule[Any]] = dict(
    [
        _rule(nn.Conv2DOp, conv2d.convert),
        _rule(nn.Conv2DTransposeOp, conv2d_transpose.convert),
        _rule(nn.DeformConv2DOp, deform_conv2d.convert),
        _rule(nn.UnaryOp, elementwise.unary),
        _rule(nn.BinaryOp, elementwise.binary),
        _rule(nn.BiasAddOp, normalization.bias_add),
        _rule(nn.BatchNormOp, normalization.batch_norm),
        _rule(nn.LayerNormOp, layer_norm.convert),
        _rule(nn.LayoutOp, pool.follow_or_anchor),
        _rule(nn.ConcatOp, shape_ops.concat),
        _rule(nn.TransposeOp, shape_ops.transpose),
        _rule(nn.ReshapeOp, shape_ops.reshape),
        _rule(nn.BatchFlattenOp, shape_ops.reshape),
        _rule(nn.PadOp, shape_ops.pad),
        _rule(nn.SliceOp, slicing.slice_),
        _rule(nn.ChannelShuffleOp, slicing.channel_shuffle),
        _rule(nn.MeanOp, reduce.mean),
        _rule(nn.SoftmaxBaseOp, reduce.softmax),
        _rule(nn.DenseOp, dense.convert),
        _rule(nn.LayoutTransformOp, layout_transform.absorb),
    ]
)
"""The rule of each op class; subclasses share their base's (``UnaryOp``)."""


def rule_for(op: Operation) -> LayoutRule[Any] | None:
    """The rule of ``op``'s class or of its nearest base class that has one."""
    return lookup(RULES, type(op))
