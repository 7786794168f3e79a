"""Rules for concat, transpose, reshape/flatten and pad."""

from __future__ import annotations

from math import prod

from xdsl.ir import SSAValue

from relayout import layout as L
from relayout.dialects.nn import BatchFlattenOp, ConcatOp, DenseOp, PadOp, ReshapeOp, TransposeOp
from relayout.dialects.nn.base import shape_of
from relayout.passes.layout_rules import unit_axes
from relayout.passes.layout_rules.common import axis_letter, common_state, state
from relayout.passes.layout_rules.converter import Converter, Outcome
from relayout.passes.layout_state import Flattened, Relayout


def concat(op: ConcatOp, cv: Converter) -> Outcome | None:
    s = common_state(cv, op.inputs, len(shape_of(op.result)))
    if s is None:
        return None
    letter = axis_letter(s, op.concat_axis)
    if letter is None:
        return None
    for v in op.inputs:
        try:
            L.transform_shape(shape_of(v), s.orig, s.cur)
        except L.LayoutError:
            return None  # an input's channels do not fill whole blocks
    why = f"nn.concat runs in {s.cur}"
    inputs = [cv.as_layout(v, s.orig, s.cur, why) for v in op.inputs]
    return [(cv.rebuild(op, inputs, axis=s.cur.index_of(letter)).result, s)]


def transpose(op: TransposeOp, cv: Converter) -> Outcome | None:
    """A transpose is absorbed: its output is the converted input, relabelled."""
    s = cv.relayout(op.x)
    if s is None:
        return _back_from_target(op, cv)
    out_names = L.Layout(tuple(s.orig.axes[a] for a in op.perm))
    return [(cv.new(op.x), state(out_names, s.cur))]


def _back_from_target(op: TransposeOp, cv: Converter) -> Outcome | None:
    """A transpose that turns an unconverted value in the target layout's order into
    NCHW, such as the permute back after a channels-last LayerNorm (ConvNeXt): its
    output is its input, in the target layout, so nothing moves. Its NCHW consumers
    follow it; one that cannot take it gets the transform the transpose was."""
    target = cv.options.conv2d_data
    source = L.parse("NCHW")
    if target is None or target.is_blocked or target.ndim != len(op.perm):
        return None
    if L.permutation(target, source) != op.perm or target == source:
        return None
    return [(cv.new(op.x), Relayout(source, target))]


def reshape(op: BatchFlattenOp | ReshapeOp, cv: Converter) -> Outcome | None:
    """A reshape takes the converted value as it is when the conversion moved only unit
    axes (e.g. NHWC [N,1,1,C] after a global pool): the memory order is the same."""
    s = cv.relayout(op.x)
    if s is None:
        return None
    if not L.moves_data(shape_of(op.x), s.orig, s.cur):
        return [(_same_order(op, cv), None)]
    if _flattens_batch(op) and _only_dense_reads(op.result) and _batch_outer(s):
        new = cv.rebuild(op, [cv.new(op.x)])
        flat = Flattened(s, shape_of(cv.new(op.x)), shape_of(op.x))
        return [(new.result, flat)]
    return unit_axes.reshape(op, cv, s) if isinstance(op, ReshapeOp) else None


def _same_order(op: BatchFlattenOp | ReshapeOp, cv: Converter) -> SSAValue:
    """``op`` on a converted value that holds the data in the original order."""
    x = cv.new(op.x)
    if isinstance(op, BatchFlattenOp) and shape_of(x)[0] != shape_of(op.x)[0]:
        # A flatten keeps axis 0, and the conversion moved another axis there.
        return cv.insert(ReshapeOp.make(x, newshape=shape_of(op.result))).result
    return cv.rebuild(op, [x]).result


def _flattens_batch(op: BatchFlattenOp | ReshapeOp) -> bool:
    """A batch_flatten, or a reshape to ``[N, C*H*W]`` (torch's dynamo exporter writes
    a flatten so)."""
    shape = shape_of(op.x)
    return isinstance(op, BatchFlattenOp) or shape_of(op.result) == (shape[0], prod(shape[1:]))


def _only_dense_reads(value: SSAValue) -> bool:
    return bool(value.uses) and all(
        isinstance(u.operation, DenseOp) and u.index == 0 for u in value.uses
    )


def _batch_outer(s: Relayout) -> bool:
    return s.orig.axes[0] == s.cur.axes[0] and s.orig.axes[0].is_primal


def pad(op: PadOp, cv: Converter) -> Outcome | None:
    s = cv.relayout(op.x)
    if s is None or s.orig.is_blocked:
        return None
    pairs = dict(zip(s.orig.primal, op.pairs()))
    if any(pairs[letter] != (0, 0) for letter in s.split_letters()):
        return None
    width: list[int] = []
    for a in s.cur.axes:
        width += pairs[a.letter] if a.is_primal else (0, 0)
    return [(cv.rebuild(op, [cv.new(op.x)], pad_width=tuple(width)).result, s)]
