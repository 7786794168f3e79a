"""A hypothesis strategy of random well-typed `nn` networks in NCHW.

`networks()` draws a `builtin.module` with one `func.func @main`: a random DAG over
one to three inputs of convolutions (grouped, depthwise, strided, dilated, padded, any
kernel layout), pools, elementwise ops with scalar, lower-rank and full-rank operands,
concat, bias_add, batch_norm, layer_norm (alone, and between ConvNeXt's permutes to
channels-last and back), conv2d_transpose, deform_conv2d (offsets and masks constant or
computed by convs, as a DCN's), pad, resize, grid_sample (grids constant or computed),
mean, softmax, log_softmax, lrn, transposes,
layout transforms, slices, channel shuffles (as the op or as reshape-transpose-reshape)
and flatten + dense heads, returning every value nothing reads and a
few more. Operands are drawn from every value built so far, so values get several
consumers; constants of one shape are sometimes shared, and sometimes computed from other
constants. The elementwise ops are read from the op registry at each draw
(`elementwise_ops`: those marked ``FUZZ``), so a new elementwise op is drawn without an
edit here; `PROPERTIES`, `SAFE_DIVISOR` and `POSITIVE_OPERAND` hold what some of them
need besides.

Tensors stay small (spatial extents up to 12, channels up to 32) so that the reference
interpreter runs a network in milliseconds. Every choice is a hypothesis draw, so a
failing network shrinks to a minimal one.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import permutations
from math import prod
from typing import TypeVar

import numpy as np
from hypothesis import strategies as st
from hypothesis.vendor import pretty
from xdsl.dialects import func
from xdsl.dialects.builtin import DenseArrayBase, ModuleOp, f64
from xdsl.ir import Block, BlockArgument, Region, SSAValue

from relayout import layout as L
from relayout.dialects import nn
from relayout.dialects.nn import elementwise
from relayout.dialects.nn.base import Shape, shape_of, tensor
from relayout.dialects.nn.grid_sample import PADDING_MODES
from relayout.dialects.nn.registry import lookup, registered_ops
from relayout.dialects.nn.resize_taps import COORDINATE_MODES, METHODS, NEAREST_MODES
from relayout.dialects.nn.shape_ops import PAD_MODES
from relayout.dialects.nn.windows import out_extent

MAX_SPATIAL = 12
MAX_CHANNELS = 32
MAX_FEATURES = 2048
"""Most inputs a dense layer takes after a flatten."""
MAX_ELEMENTS = 2 * MAX_CHANNELS * 14 * 14

# 16 comes first and often, so that NCHW16c has convs to block; the others make the
# blocked pipeline fall back.
CHANNELS = (16, 3, 4, 8, 16, 5, 1, 12, 20, 16, 2)
# The layouts networks use come up often; any permutation now and then.
KERNEL_LAYOUTS: tuple[str | tuple[str, ...], ...] = (
    "OIHW", "HWIO", "HWOI", tuple("".join(p) for p in permutations("OIHW"))
)

T = TypeVar("T")


@dataclass
class Net:
    """The function body being drawn, and what its ops may take as operands."""

    draw: st.DrawFn
    rng: np.random.Generator
    block: Block
    values: list[SSAValue] = field(default_factory=list)
    constants: dict[tuple[Shape, float, float], list[SSAValue]] = field(default_factory=dict)

    def add(self, op: nn.NNOp) -> SSAValue | None:
        if prod(shape_of(op.result)) > MAX_ELEMENTS:
            op.drop_all_references()
            return None
        self.block.add_op(op)
        self.values.append(op.result)
        return op.result

    def maybe_pick(self, fits: Callable[[Shape], bool] = lambda s: True) -> SSAValue | None:
        """An existing value whose shape ``fits``, the latest ones first when shrinking;
        None if there is none."""
        candidates = [v for v in reversed(self.values) if fits(shape_of(v))]
        return self.draw(st.sampled_from(candidates)) if candidates else None

    def pick(self, fits: Callable[[Shape], bool] = lambda s: True) -> SSAValue:
        """`maybe_pick` where a value always fits: the first input is NCHW, so every
        rank up to 4 has one, and the value an op extends fits itself."""
        value = self.maybe_pick(fits)
        if value is None:
            raise LookupError("no value of the network fits")  # a bug of the generator
        return value

    def constant(self, shape: Shape, low: float = -1.0, high: float = 1.0) -> SSAValue:
        """A constant of ``shape`` with values in [low, high); an earlier one of the same
        shape and range may be shared."""
        shared = self.constants.setdefault((shape, low, high), [])
        if shared and self.flag():
            return self.choice(shared)
        op = nn.ConstantOp.of(self.rng.uniform(low, high, shape).astype(np.float32))
        self.block.add_op(op)
        shared.append(op.result)
        return op.result

    def flag(self) -> bool:
        return self.draw(st.booleans())

    def choice(self, options: Sequence[T]) -> T:
        return self.draw(st.sampled_from(options))

    def upto(self, high: int, low: int = 0) -> int:
        return self.draw(st.integers(low, high))


def _rank(n: int) -> Callable[[Shape], bool]:
    return lambda s: len(s) == n


def _rank_at_least(n: int) -> Callable[[Shape], bool]:
    return lambda s: len(s) >= n


def _window(net: Net, extent: int, ceil_mode: bool | None) -> tuple[int, int, int, int, int]:
    """Kernel, stride, dilation and padding (before, after) of one spatial axis that
    fit ``extent``, padded less than the kernel."""
    kernel, stride, dilation = net.upto(3, 1), net.upto(2, 1), net.upto(2, 1)
    before, after = net.upto(kernel - 1), net.upto(kernel - 1)
    if dilation * (kernel - 1) + 1 > extent + before + after:
        kernel, dilation = min(kernel, extent), 1
        before, after = min(before, kernel - 1), min(after, kernel - 1)
    if ceil_mode is not None and not _windows_see_data(
        extent, kernel, stride, dilation, before, after, ceil_mode
    ):
        kernel, dilation, before, after = min(kernel, extent), 1, 0, 0
    return kernel, stride, dilation, before, after


def _windows_see_data(
    extent: int, kernel: int, stride: int, dilation: int, before: int, after: int,
    ceil_mode: bool,
) -> bool:
    """Whether every pooling window holds an element of the input. One of only padding
    makes a max pool give the lowest float, whose overflow in later ops depends on the
    order of their sums, which the layout passes change."""
    taps = dilation * np.arange(kernel) - before
    return all(
        ((0 <= o * stride + taps) & (o * stride + taps < extent)).any()
        for o in range(out_extent(extent, kernel, stride, dilation, before, after, ceil_mode))
    )


def _windows(
    net: Net, h: int, w: int, ceil_mode: bool | None = None
) -> dict[str, tuple[int, ...]]:
    """Conv (``ceil_mode`` None) or pool windows over ``h`` x ``w``."""
    (kh, sh, dh, top, bottom), (kw, sw, dw, left, right) = (
        _window(net, h, ceil_mode), _window(net, w, ceil_mode)
    )
    return {"kernel": (kh, kw), "strides": (sh, sw), "dilation": (dh, dw),
            "padding": (top, left, bottom, right)}


def conv(net: Net) -> SSAValue | None:
    x = net.pick(_rank(4))
    _, c, h, w = shape_of(x)
    kind = net.choice(("dense", "depthwise", "grouped"))
    divisors = [g for g in range(2, c + 1) if c % g == 0]
    if kind == "depthwise":
        groups, out = c, c * net.upto(2, 1)
    elif kind == "grouped" and divisors:
        groups = net.choice(divisors)
        out = groups * net.upto(max(1, MAX_CHANNELS // groups // 2), 1)
    else:
        groups, out = 1, net.choice(CHANNELS)
    win = _windows(net, h, w)
    layout = net.choice(KERNEL_LAYOUTS)
    if isinstance(layout, tuple):
        layout = net.choice(layout)
    scale = 1 / np.sqrt((c // groups) * prod(win["kernel"]))
    shape = L.transform_shape((out, c // groups, *win["kernel"]), "OIHW", layout)
    weight = net.constant(shape, -scale, scale)
    return net.add(nn.Conv2DOp.make(
        x, weight, strides=win["strides"], dilation=win["dilation"], padding=win["padding"],
        groups=groups, kernel_layout=layout,
    ))


def pool(net: Net) -> SSAValue | None:
    x = net.pick(_rank(4))
    _, _, h, w = shape_of(x)
    ceil_mode = net.flag()
    win = _windows(net, h, w, ceil_mode)
    props = {"pool_size": win.pop("kernel"), **win, "ceil_mode": ceil_mode}
    kind = net.choice((nn.MaxPool2DOp, nn.AvgPool2DOp, nn.LpPool2DOp))
    if kind is nn.AvgPool2DOp:
        props["count_include_pad"] = net.flag()
    elif kind is nn.LpPool2DOp:
        props["p"] = net.choice((1, 2, 3))
    return net.add(kind.make(x, **props))


def global_pool(net: Net) -> SSAValue | None:
    op = net.choice((nn.GlobalAvgPool2DOp, nn.GlobalMaxPool2DOp))
    return net.add(op.make(net.pick(_rank(4))))


def elementwise_ops(base: type[nn.NNOp] = nn.NNOp) -> tuple[type[nn.NNOp], ...]:
    """The elementwise ops the generator draws, subclasses of ``base``: every registered
    `UnaryOp` and `BinaryOp` whose ``FUZZ`` is true, in registration order. Read from
    the registry at each draw, so ops a test adds with `extra_ops` are drawn too."""
    return tuple(
        op for op in registered_ops()
        if issubclass(op, nn.UnaryOp | nn.BinaryOp) and issubclass(op, base) and op.FUZZ
    )


def _clip_bounds(net: Net) -> dict[str, object]:
    return {"min": net.choice((-1.0, -0.5, 0.0)), "max": net.choice((0.5, 1.0, 6.0))}


PROPERTIES: Mapping[type[nn.NNOp], Callable[[Net], dict[str, object]]] = {
    nn.ClipOp: _clip_bounds,
}
"""Property values of the elementwise ops that have properties, by class (through the
MRO); other ops are built with none, so their properties take their defaults."""

SAFE_DIVISOR: Mapping[type[nn.NNOp], tuple[float, float]] = {
    nn.DivideOp: (0.5, 2.0), elementwise.PowOp: (0.5, 2.0)}
"""Binary ops whose second operand is only ever a constant in this range: an activation
divisor near zero would blow up rounding differences past any tolerance, and so would a
large exponent."""

POSITIVE_OPERAND: tuple[type[nn.NNOp], ...] = (
    elementwise.SqrtOp, elementwise.ReciprocalOp, elementwise.PowOp)
"""Ops whose (first) operand the generator keeps in [0.5, 1.5], as sigmoid(x) + 0.5:
off their domain they give NaN, which C's fmaxf drops where numpy's maximum keeps it, so
the kernels and the reference would differ for no fault of either."""


def _positive(net: Net, x: SSAValue) -> SSAValue:
    """sigmoid(x) + 0.5: of ``x``'s size, so within the limits `Net.add` checks."""
    sigmoid = nn.SigmoidOp.make(x)
    net.block.add_op(sigmoid)
    shifted = nn.AddOp.make(sigmoid.result, net.constant((), 0.5, 0.5))
    net.block.add_op(shifted)
    return shifted.result


def _properties(net: Net, op: type[nn.NNOp]) -> dict[str, object]:
    props = lookup(PROPERTIES, op)
    return props(net) if props else {}


def unary(net: Net) -> SSAValue | None:
    x = net.pick()
    ops = elementwise_ops(nn.UnaryOp)
    if not ops:
        return None
    op = net.choice(ops)
    if issubclass(op, POSITIVE_OPERAND):
        x = _positive(net, x)
    return net.add(op.make(x, **_properties(net, op)))


def broadcast_shape(net: Net, shape: Shape) -> Shape:
    """A shape that broadcasts into ``shape``: itself, a scalar, or a trailing part of
    it with some axes 1 (a `[C,1,1]` bias, a `[1,C,1,1]` scale, a `[W]` row...)."""
    kind = net.choice(("same", "scalar", "lower rank", "unit axes"))
    if kind == "same" or not shape:
        return shape
    if kind == "scalar":
        return ()
    rank = net.upto(max(1, len(shape) - 1), 1) if kind == "lower rank" else len(shape)
    return tuple(1 if net.flag() else n for n in shape[len(shape) - rank:])


def _broadcasts_into(shape: Shape) -> Callable[[Shape], bool]:
    def fits(s: Shape) -> bool:
        try:
            return np.broadcast_shapes(s, shape) == shape
        except ValueError:
            return False

    return fits


def parameter(net: Net, shape: Shape, low: float = -1.0, high: float = 1.0) -> SSAValue:
    """A constant operand, now and then computed from a constant, as exported networks
    do, so that fold-constants has work (a mean keeps the values in range). It is no
    activation for later ops: a conv of it would fold away, and io-layout needs one."""
    if net.flag() and net.flag():
        computed = nn.MeanOp.make(net.constant((2, *shape), low, high), axes=(0,))
        net.block.add_op(computed)
        return computed.result
    return net.constant(shape, low, high)


def binary(net: Net) -> SSAValue | None:
    x = net.pick()
    shape = shape_of(x)
    ops = elementwise_ops(nn.BinaryOp)
    if not ops:
        return None
    op = net.choice(ops)
    props = _properties(net, op)
    if issubclass(op, POSITIVE_OPERAND):
        x = _positive(net, x)
    divisor = lookup(SAFE_DIVISOR, op)
    if divisor is not None:
        low, high = divisor
        return net.add(op.make(x, parameter(net, broadcast_shape(net, shape), low, high),
                               **props))
    if net.flag():
        other = net.pick(_broadcasts_into(shape))
    else:
        other = parameter(net, broadcast_shape(net, shape))
    operands = (other, x) if net.flag() else (x, other)
    return net.add(op.make(*operands, **props))


def _channel_axis(net: Net, rank: int) -> int:
    """Mostly axis 1, the channels; any other axis, negative ones included, too."""
    return net.choice((1, *(a for a in range(-rank, rank) if a != 1)))


def bias_add(net: Net) -> SSAValue | None:
    x = net.pick(_rank_at_least(2))
    axis = _channel_axis(net, len(shape_of(x)))
    bias = net.constant((shape_of(x)[axis],))
    return net.add(nn.BiasAddOp.make(x, bias, axis=axis))


def batch_norm(net: Net) -> SSAValue | None:
    x = net.pick(_rank_at_least(2))
    return net.add(_batch_norm(net, x, _channel_axis(net, len(shape_of(x)))))


def _batch_norm(net: Net, x: SSAValue, axis: int) -> nn.BatchNormOp:
    vec = (shape_of(x)[axis],)
    gamma, beta, mean = (net.constant(vec) for _ in range(3))
    var = net.constant(vec, 0.5, 2.0)
    epsilon = net.choice((1e-5, 1e-3))
    return nn.BatchNormOp.make(x, gamma, beta, mean, var, axis=axis, epsilon=epsilon)


def conv_block(net: Net) -> SSAValue | None:
    """conv, bias_add, batch_norm and relu, as exported networks have them: what
    fold-batch-norm and the fusion of conv epilogues look for."""
    y = conv(net)
    if y is None:
        return None
    if net.flag():
        y = net.add(nn.BiasAddOp.make(y, net.constant((shape_of(y)[1],))))
    # Neither grows the conv's result, which fits already.
    assert y is not None
    y = net.add(_batch_norm(net, y, 1))
    assert y is not None
    return net.add(nn.ReluOp.make(y)) if net.flag() else y


def concat(net: Net) -> SSAValue | None:
    x = net.pick(_rank_at_least(1))
    shape = shape_of(x)
    axis = net.choice((1, *(a for a in range(-len(shape), len(shape)) if a != 1)))
    axis %= len(shape)

    def fits(s: Shape) -> bool:
        return len(s) == len(shape) and all(
            a == b for i, (a, b) in enumerate(zip(s, shape)) if i != axis
        )

    inputs = [x]
    for _ in range(net.upto(2, 1)):
        if net.flag():
            inputs.append(net.pick(fits))
        else:
            inputs.append(net.constant(shape[:axis] + (net.upto(4, 1),) + shape[axis + 1:]))
    return net.add(nn.ConcatOp.make(*inputs, axis=axis))


def branch_concat(net: Net) -> SSAValue | None:
    """An Inception-style block: branches of one value, each a conv or an activation
    read only by the concat, so its producer may write it in place."""
    x = net.pick(_rank(4))
    c = shape_of(x)[1]
    branches: list[SSAValue] = []
    for _ in range(net.upto(3, 2)):
        if net.flag():
            out = net.choice(CHANNELS)
            weight = net.constant((out, c, 1, 1), -1 / np.sqrt(c), 1 / np.sqrt(c))
            branch = net.add(nn.Conv2DOp.make(x, weight))
        else:
            branch = net.add(nn.ReluOp.make(x))
        if branch is None:
            return None
        branches.append(branch)
    return net.add(nn.ConcatOp.make(*branches, axis=1))


def pad(net: Net) -> SSAValue | None:
    x = net.pick(_rank(4))
    # N and C are padded now and then: the layout rules must fall back there.
    width = [net.upto(1) for _ in range(4)] if net.flag() else [0, 0, 0, 0]
    width += [net.upto(2) for _ in range(4)]
    mode = net.choice(PAD_MODES)
    if mode == "reflect":  # a mirror reaches at most extent - 1 elements out
        width = [min(w, shape_of(x)[i // 2] - 1) for i, w in enumerate(width)]
    value = net.choice((0.0, 1.0, -0.5)) if mode == "constant" else None
    return net.add(nn.PadOp.make(x, pad_width=width, pad_value=value, mode=mode))


def unit_axis(net: Net) -> SSAValue | None:
    """A reshape that drops a unit axis or inserts one (rank 4 at most), as around 1-D
    convs and pools, which import as 2-D ones with H = 1: often [N,C,L] -> [N,C,1,L]."""
    x = net.pick(_rank_at_least(1))
    shape = shape_of(x)
    units = [i for i, d in enumerate(shape) if d == 1]
    if units and (len(shape) == 4 or net.flag()):
        i = net.choice(units)
        return net.add(nn.ReshapeOp.make(x, newshape=shape[:i] + shape[i + 1:]))
    if len(shape) == 4:
        return None
    i = net.choice((min(2, len(shape)), *range(len(shape) + 1)))
    return net.add(nn.ReshapeOp.make(x, newshape=shape[:i] + (1,) + shape[i:]))


def resize(net: Net) -> SSAValue | None:
    x = net.pick(_rank(4))
    size = (net.upto(MAX_SPATIAL, 1), net.upto(MAX_SPATIAL, 1))
    method, mode = net.choice(METHODS), net.choice(COORDINATE_MODES)
    # Scales that give these sizes by flooring but are not size / extent.
    scales = DenseArrayBase.from_list(f64, [(o + 0.5) / d for o, d in zip(
        size, shape_of(x)[2:])]) if net.flag() else None
    roi = DenseArrayBase.from_list(f64, [net.choice((-0.2, 0.0, 0.3)) for _ in "hw"]
                                   + [net.choice((0.7, 1.0, 1.4)) for _ in "hw"]) \
        if mode == "tf_crop_and_resize" else None
    return net.add(nn.Resize2DOp.make(
        x, size=size, method=method, coordinate_mode=mode,
        nearest_mode=net.choice(NEAREST_MODES), cubic_coeff_a=net.choice((-0.75, -0.5)),
        exclude_outside=net.flag(), antialias=method != "nearest" and net.flag(),
        extrapolation_value=net.choice((0.0, 2.5)), scales=scales, roi=roi,
    ))


def _computed_grid(net: Net, n: int) -> SSAValue | None:
    """A grid as a flow field is computed: two channels of an activation moved last,
    through tanh, times 1.2. None where no activation of batch ``n`` has two channels."""
    x = net.maybe_pick(lambda s: len(s) == 4 and s[0] == n and s[1] >= 2)
    if x is None:
        return None
    _, _, h, w = shape_of(x)
    two = net.add(nn.SliceOp.make(x, begin=(0, 0, 0, 0), end=(n, 2, h, w), strides=(1, 1, 1, 1)))
    assert two is not None  # fewer elements than its operand; the next as many as theirs
    last = net.add(nn.TransposeOp.make(two, axes=(0, 2, 3, 1)))
    assert last is not None
    squashed = net.add(nn.TanhOp.make(last))
    assert squashed is not None
    return net.add(nn.MultiplyOp.make(squashed, net.constant((), 1.2, 1.2)))


def grid_sample(net: Net) -> SSAValue | None:
    """Grids in [-1.2, 1.2], so every padding mode reads outside the image. A computed
    grid only for the methods continuous in the place: a nearest tap would jump where
    the passes reorder the sums that computed it."""
    x = net.pick(_rank(4))
    n = shape_of(x)[0]
    method = net.choice(METHODS)
    grid = _computed_grid(net, n) if method != "nearest" and net.flag() else None
    if grid is None:
        shape = (n, net.upto(MAX_SPATIAL, 1), net.upto(MAX_SPATIAL, 1), 2)
        grid = parameter(net, shape, -1.2, 1.2)
    return net.add(nn.GridSampleOp.make(x, grid, method=method,
                                        padding_mode=net.choice(PADDING_MODES),
                                        align_corners=net.flag()))


def mean(net: Net) -> SSAValue | None:
    x = net.pick(_rank_at_least(1))
    rank = len(shape_of(x))
    axes = [a for a in range(rank) if net.flag()] or [net.upto(rank - 1)]
    axes = [a - rank if net.flag() else a for a in axes]
    return net.add(nn.MeanOp.make(x, axes=axes, keepdims=net.flag()))


def softmax(net: Net) -> SSAValue | None:
    x = net.pick(_rank_at_least(1))
    rank = len(shape_of(x))
    op = net.choice((nn.SoftmaxOp, nn.LogSoftmaxOp))
    return net.add(op.make(x, axis=net.choice((1 % rank, *range(-rank, rank)))))


def lrn(net: Net) -> SSAValue | None:
    x = net.pick(_rank(4))
    # A bias of at least 0.5 keeps the base of the power away from 0, where the order of
    # the window's sum (which a layout changes) would move the result far.
    return net.add(nn.LRNOp.make(
        x, size=net.choice((1, 2, 3, 5, 40)), alpha=net.choice((1e-4, 0.5, 2.0)),
        beta=net.choice((0.75, 0.5, 1.0)), bias=net.choice((1.0, 2.0, 0.5)),
    ))


def dense_head(net: Net) -> SSAValue | None:
    x = net.maybe_pick(lambda s: len(s) >= 2 and prod(s[1:]) <= MAX_FEATURES)
    if x is None:
        return None
    if len(shape_of(x)) != 2 or net.flag():
        x = net.add(nn.BatchFlattenOp.make(x))
        assert x is not None  # as many elements as its operand
    features = shape_of(x)[1]
    scale = 1 / np.sqrt(features)
    weight = net.constant((net.upto(10, 1), features), -scale, scale)
    return net.add(nn.DenseOp.make(x, weight))


def transpose(net: Net) -> SSAValue | None:
    x = net.pick(_rank_at_least(2))
    axes = net.choice(tuple(permutations(range(len(shape_of(x))))))
    return net.add(nn.TransposeOp.make(x, axes=axes))


def layout_transform(net: Net) -> SSAValue | None:
    """A transform already in the program: a permutation, or NCHW4c where C allows."""
    x = net.pick(_rank(4))
    layouts = tuple("".join(p) for p in permutations("NCHW"))
    if shape_of(x)[1] % 4 == 0:
        layouts += ("NCHW4c",)
    dst = net.choice(layouts)
    return net.add(nn.LayoutTransformOp.make(x, src_layout="NCHW", dst_layout=dst))


def _slice_range(net: Net, extent: int, block: int) -> tuple[int, int, int]:
    """Begin, end and stride of one axis: all of it, whole blocks of ``block`` (which a
    blocked layout can keep), or any non-empty stride of either sign."""
    kind = net.choice(("all", "blocks", "any"))
    if kind == "all" or extent == 1:
        return 0, extent, 1
    if kind == "blocks" and extent % block == 0 and extent > block:
        first = net.upto(extent // block - 1)
        return first * block, net.upto(extent // block, first + 1) * block, 1
    step, start = net.choice((1, 2, -1, -2)), net.upto(extent - 1)
    if step > 0:
        return start, net.upto(extent, start + 1), step
    return start, net.upto(start - 1, -1), step


def slice_(net: Net) -> SSAValue | None:
    """A slice, as ONNX Slice and each output of Split import; axes come in whole
    blocks of 4 now and then, which NCHW4c keeps on the channels."""
    x = net.pick(_rank_at_least(1))
    bounds = [_slice_range(net, n, 4) for n in shape_of(x)]
    begin, end, strides = (tuple(b[i] for b in bounds) for i in range(3))
    return net.add(nn.SliceOp.make(x, begin=begin, end=end, strides=strides))


def channel_shuffle(net: Net) -> SSAValue | None:
    """A channel shuffle, as the op or as ShuffleNet writes it (reshape, transpose,
    reshape), which convert-layout turns into the op."""
    x = net.maybe_pick(lambda s: len(s) >= 2 and s[1] > 1)
    if x is None:
        return None
    shape = shape_of(x)
    groups = net.choice([g for g in range(1, shape[1] + 1) if shape[1] % g == 0])
    if net.flag():
        return net.add(nn.ChannelShuffleOp.make(x, axis=1, groups=groups))
    split = net.add(nn.ReshapeOp.make(
        x, newshape=(shape[0], groups, shape[1] // groups, *shape[2:])))
    assert split is not None  # as many elements as its operand, and so are the next two
    axes = (0, 2, 1, *range(3, len(shape) + 1))
    swapped = net.add(nn.TransposeOp.make(split, axes=axes))
    assert swapped is not None
    return net.add(nn.ReshapeOp.make(swapped, newshape=shape))


def layer_norm(net: Net) -> SSAValue | None:
    """A LayerNorm over any axes (C alone most often), parameters broadcasting or not."""
    x = net.pick(_rank_at_least(1))
    shape = shape_of(x)
    rank = len(shape)
    axes = [1 % rank] if net.flag() else [a for a in range(rank) if net.flag()] or [rank - 1]
    axes = [a - rank if net.flag() else a for a in axes]
    scale, bias = (
        net.constant(tuple(n if (i - rank in axes or i in axes) and net.flag() else 1
                           for i, n in enumerate(shape)), low, high)
        for low, high in ((0.5, 1.5), (-1.0, 1.0))
    )
    return net.add(nn.LayerNormOp.make(x, scale, bias, axes=axes,
                                       epsilon=net.choice((1e-5, 1e-6, 1e-3))))


def channels_last_block(net: Net) -> SSAValue | None:
    """ConvNeXt's permutes around a channels-last LayerNorm and Linear: what an NHWC
    network must see through."""
    x = net.pick(_rank(4))
    c = shape_of(x)[1]
    t = net.add(nn.TransposeOp.make(x, axes=(0, 2, 3, 1)))
    assert t is not None  # as many elements as its operand
    scale = net.constant((1, 1, 1, c), 0.5, 1.5)
    y = net.add(nn.LayerNormOp.make(t, scale, net.constant((1, 1, 1, c)), axes=(-1,)))
    assert y is not None
    if net.flag():
        units = net.choice(CHANNELS)
        y = net.add(nn.DenseOp.make(y, net.constant((units, c), -c**-0.5, c**-0.5)))
        if y is None:
            return None
    return net.add(nn.TransposeOp.make(y, axes=(0, 3, 1, 2)))


def conv_transpose(net: Net) -> SSAValue | None:
    x = net.pick(_rank(4))
    _, c, h, w = shape_of(x)
    groups = net.choice([g for g in (1, 2, c) if c % g == 0])
    out = groups * net.upto(max(1, MAX_CHANNELS // groups // 4), 1)
    kernel, strides, dilation = (
        (net.upto(3, 1), net.upto(3, 1)), (net.upto(2, 1), net.upto(2, 1)),
        (net.upto(2, 1), net.upto(2, 1)),
    )
    extra = tuple(net.upto(max(s, d) - 1) for s, d in zip(strides, dilation))
    full = [(n - 1) * s + d * (k - 1) + 1 + e
            for n, s, d, k, e in zip((h, w), strides, dilation, kernel, extra)]
    top, left = (net.upto(min(2, f - 1)) for f in full)
    bottom, right = (net.upto(min(2, f - 1 - p)) for f, p in zip(full, (top, left)))
    layout = net.choice(("IOHW", "HWIO", "OIHW"))
    scale = 1 / np.sqrt(c // groups * prod(kernel))
    weight = net.constant(L.transform_shape((c, out // groups, *kernel), "IOHW", layout),
                          -scale, scale)
    return net.add(nn.Conv2DTransposeOp.make(
        x, weight, strides=strides, dilation=dilation, padding=(top, left, bottom, right),
        output_padding=extra, groups=groups, kernel_layout=layout,
    ))


def _per_tap(net: Net, x: SSAValue, win: dict[str, tuple[int, ...]], channels: int,
             squash: bool) -> SSAValue | None:
    """An offset or mask of ``channels`` per output pixel of the window ``win`` over
    ``x``: small constants, or as a DCN computes it, a conv of ``x`` over the same
    window (through a sigmoid when ``squash``, as DCNv2's mask)."""
    n, c, h, w = shape_of(x)
    kh, kw = win["kernel"]
    if net.flag():
        oh, ow = (out_extent(e, k, s, d, b, a) for e, k, s, d, b, a in zip(
            (h, w), win["kernel"], win["strides"], win["dilation"], win["padding"][:2],
            win["padding"][2:]))
        if n * channels * oh * ow > MAX_ELEMENTS:
            return None
        return net.constant((n, channels, oh, ow), *((0.0, 1.0) if squash else (-1.5, 1.5)))
    scale = 1 / np.sqrt(c * kh * kw)
    y = net.add(nn.Conv2DOp.make(
        x, net.constant((channels, c, kh, kw), -scale, scale), strides=win["strides"],
        dilation=win["dilation"], padding=win["padding"]))
    return net.add(nn.SigmoidOp.make(y)) if squash and y is not None else y


def deform_conv(net: Net) -> SSAValue | None:
    """A deformable conv, grouped or not, with one or two offset groups, a mask or not;
    offsets of about a pixel keep most points inside the image, between pixels."""
    x = net.pick(_rank(4))
    _, c, h, w = shape_of(x)
    groups = net.choice([g for g in (1, 2, c) if c % g == 0])
    offset_groups = net.choice([g for g in (1, 2) if c % g == 0])
    win = _windows(net, h, w)
    taps = offset_groups * prod(win["kernel"])
    offset = _per_tap(net, x, win, 2 * taps, squash=False)
    masked = net.flag()
    mask = _per_tap(net, x, win, taps, squash=True) if masked else None
    if offset is None or masked and mask is None:
        return None
    out = groups * net.upto(max(1, MAX_CHANNELS // groups // 4), 1)
    scale = 1 / np.sqrt(c // groups * prod(win["kernel"]))
    weight = net.constant((out, c // groups, *win["kernel"]), -scale, scale)
    return net.add(nn.DeformConv2DOp.make(
        x, weight, offset, *([mask] if mask is not None else []), groups=groups,
        offset_groups=offset_groups, strides=win["strides"], dilation=win["dilation"],
        padding=win["padding"],
    ))


OPS = (
    unary, binary, conv, pool, global_pool, bias_add, batch_norm, concat, pad, resize,
    grid_sample,
    mean, softmax, dense_head, transpose, layout_transform, conv_block, lrn, slice_,
    channel_shuffle, layer_norm, channels_last_block, conv_transpose, deform_conv, unit_axis,
)
"""The op generators, simplest first (hypothesis shrinks towards the start)."""
# conv comes up twice as often as the others, besides conv blocks: it is what the
# passes anchor on.
_WEIGHTED = (*OPS, conv)


def _input_shapes(draw: st.DrawFn) -> list[Shape]:
    first = (draw(st.integers(1, 2)), draw(st.sampled_from(CHANNELS)),
             draw(st.integers(1, MAX_SPATIAL)), draw(st.integers(1, MAX_SPATIAL)))
    shapes: list[Shape] = [first]
    for _ in range(draw(st.integers(0, 2))):
        kind = draw(st.sampled_from(("same", "other", "param")))
        if kind == "same":
            shapes.append(first)
        elif kind == "other":
            shapes.append((first[0], draw(st.sampled_from(CHANNELS)),
                           draw(st.integers(1, MAX_SPATIAL)), draw(st.integers(1, MAX_SPATIAL))))
        else:  # a parameter passed as an argument, not a constant: nothing folds it
            rank = draw(st.integers(0, 3))
            shapes.append(tuple(n if draw(st.booleans()) else 1 for n in first[4 - rank:]))
    return shapes


PLAN_PATHS = (conv, conv, conv_block, concat, branch_concat, branch_concat, unit_axis,
              dense_head, layout_transform, pool)
"""The generators whose ops take the CUDA plan's special paths: a transform read by a
conv (its prologue), concats (in place where the producers may write them), and
reshapes and flattens that launch nothing. Convs and branch concats come up twice as
often: one reads the function's input first only some of the time."""


@st.composite
def networks(draw: st.DrawFn, max_ops: int = 10,
             ops: Sequence[Callable[[Net], SSAValue | None]] = _WEIGHTED) -> ModuleOp:
    """A random well-typed NCHW network as a module with one function, @main, of ops
    drawn from ``ops``."""
    block = Block(arg_types=[tensor(s) for s in _input_shapes(draw)])
    net = Net(draw, np.random.default_rng(draw(st.integers(0, 2**32 - 1))), block,
              list(block.args))
    for _ in range(draw(st.integers(1, max_ops))):
        draw(st.sampled_from(ops))(net)
    # Every value nothing reads is returned, as in a real network: dead ops would
    # leave nothing to convert. Some values are returned besides being read.
    sinks = [v for v in net.values if not v.uses and not isinstance(v, BlockArgument)]
    results = sinks or [net.values[-1]]
    results += draw(st.lists(st.sampled_from(net.values), max_size=2))
    block.add_op(func.ReturnOp(*results))
    main = func.FuncOp("main", ([a.type for a in block.args], [r.type for r in results]),
                       Region(block))
    module = ModuleOp([main])
    module.verify()
    return module


# A failing example prints as IR text, not as the dataclass tree of its ops.
pretty.for_type_by_name(
    ModuleOp.__module__, ModuleOp.__name__, lambda module, p, cycle: p.text(str(module))
)
