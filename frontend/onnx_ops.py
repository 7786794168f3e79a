"""ONNX operators to nn ops: what converts each op_type, looked up by `converters()`.

Two kinds of converter:

- **Generic**, derived from the registered ops (`relayout.dialects.nn.registry`): every
  op_type an op declares in its `ONNX` class variable is converted by the generic
  converter of the op's base class (`GENERIC`: `UnaryOp` one input, `BinaryOp` a
  broadcasting chain over the inputs). The table is computed from the live registry, so
  an op registered later (a test's ``extra_ops``) imports with no edit here.
- **Hand-written**, registered with ``@converter("OpType", ...)`` (`HAND_CONVERTERS`),
  for operators whose attributes or inputs need reading (Conv, Clip, Resize, ...).

An op_type claimed both ways is an error (`ConverterClash`), as is an op that declares
ONNX names but has no generic converter for its kind.

A converter takes a `Node` and returns what its outputs are, in order: SSA values, or
numpy arrays for outputs that stay constant (`Constant`, `Identity` of a constant).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from functools import partial
from math import ceil, inf, isfinite, prod
from typing import TypeVar

import numpy as np
import numpy.typing as npt
from onnx import TensorProto
from xdsl.dialects.builtin import DenseArrayBase, f64
from xdsl.ir import SSAValue

from relayout.dialects import nn
from relayout.dialects.nn import elementwise
from relayout.dialects.nn.base import NNOp, ShapeError, norm_axis, shape_of
from relayout.dialects.nn.grid_sample import PADDING_MODES
from relayout.dialects.nn.registry import lookup, registered_ops, registry_version
from relayout.dialects.nn.resize_taps import COORDINATE_MODES, METHODS, NEAREST_MODES
from relayout.dialects.nn.shape_ops import PAD_MODES
from relayout.frontend.errors import NeedsFunctionBody, quote, show
from relayout.frontend.onnx_node import Node, check_size, type_name

Result = SSAValue | np.ndarray
Converter = Callable[[Node], Result | tuple[Result, ...]]
ConverterT = TypeVar("ConverterT", bound=Converter)

HAND_CONVERTERS: dict[str, Converter] = {}
"""The hand-written converters by op_type; `converters()` adds the generic ones."""


class ConverterClash(ValueError):
    """Two converters for one op_type, or an op's ONNX names that nothing converts."""


def converter(*op_types: str) -> Callable[[ConverterT], ConverterT]:
    """Register the decorated function as the converter of ``op_types``."""

    def register(fn: ConverterT) -> ConverterT:
        for op_type in op_types:
            if op_type in HAND_CONVERTERS:
                raise ConverterClash(
                    f"ONNX {op_type} has a converter already "
                    f"({HAND_CONVERTERS[op_type].__qualname__})"
                )
        for op_type in op_types:
            HAND_CONVERTERS[op_type] = fn
        return fn

    return register


def unary(op: type[NNOp], node: Node) -> SSAValue:
    """One input; an ONNX attribute named like a property of ``op`` (a float, as the
    properties of elementwise ops are) gives that property, else its default applies."""
    props = {
        name: node.attr_float(name)
        for name in op.get_irdl_definition().properties
        if node.has_attr(name)
    }
    return node.make(op, node.input(0), **props)


def binary(op: type[NNOp], node: Node) -> SSAValue:
    # Max and Min are variadic; a chain of binary ops broadcasts the same way.
    y = node.input(0)
    for i in range(1, len(node.proto.input)):
        y = node.make(op, y, node.input(i))
    return y


GENERIC: dict[type[NNOp], Callable[[type[NNOp], Node], Result]] = {
    nn.UnaryOp: unary,
    nn.BinaryOp: binary,
}
"""The generic converter of each kind of op (resolved through the op's MRO); it takes
the op class and the node."""


def generic_ops() -> dict[str, type[NNOp]]:
    """The registered ops by the ONNX op_types they declare, in registration order."""
    return {op_type: op for op in registered_ops() for op_type in op.ONNX}


_cache: tuple[tuple[int, int], Mapping[str, Converter]] | None = None


def converters() -> Mapping[str, Converter]:
    """Every supported op_type's converter: the hand-written ones and, for each op_type
    a registered op declares in `ONNX`, the generic converter of its kind. Computed
    from the live registry (cached until an op or a converter is registered).

    Raises `ConverterClash` when an op claims an op_type that has a hand-written
    converter, or declares ONNX names but is of no kind in `GENERIC`."""
    global _cache
    key = (registry_version(), len(HAND_CONVERTERS))
    if _cache is not None and _cache[0] == key:
        return _cache[1]
    table: dict[str, Converter] = dict(HAND_CONVERTERS)
    for op_type, op in generic_ops().items():
        if op_type in HAND_CONVERTERS:
            raise ConverterClash(
                f"{op.name} claims ONNX {op_type}, which the hand-written converter "
                f"{HAND_CONVERTERS[op_type].__qualname__} converts; drop one of them"
            )
        generic = lookup(GENERIC, op)
        if generic is None:
            kinds = ", ".join(k.__name__ for k in GENERIC)
            raise ConverterClash(
                f"{op.name} claims ONNX {op_type} but is not a {kinds}, which are what the "
                "generic converters build; write a converter (@converter) and leave ONNX empty"
            )
        table[op_type] = partial(generic, op)
    _cache = (key, table)
    return table


def operator_table() -> list[tuple[str, str]]:
    """Every supported ONNX op_type, sorted, with what it imports as: the op a generic
    converter builds (and its kind), or the first line of a hand-written converter's
    docstring. `relayout operators` prints it; the README holds its output."""
    generic = generic_ops()
    rows = []
    for op_type, fn in converters().items():
        if op_type in generic:
            kind = "elementwise" if issubclass(generic[op_type], nn.UnaryOp) else "broadcasting"
            text = f"{generic[op_type].name} ({kind})"
        else:
            text = (fn.__doc__ or "").strip().split("\n")[0]
        rows.append((op_type, text))
    return sorted(rows)


def find_converter(op_type: str) -> Converter | None:
    """The converter of ``op_type``, or None when it is not supported."""
    return converters().get(op_type)


def _axis(node: Node, axis: int, rank: int) -> int:
    try:
        return norm_axis(axis, rank, node.op_type)
    except ShapeError as e:
        raise node.error(str(e)) from None


def _window_pads(
    node: Node, spatial: Sequence[int], kernel: Sequence[int], strides: Sequence[int],
    dilations: Sequence[int],
) -> tuple[int, ...]:
    """ONNX's `pads` order: every spatial axis' padding before, then after ((top, left,
    bottom, right) in 2-D)."""
    auto = node.attr_str("auto_pad", "NOTSET")
    zeros = (0,) * 2 * len(spatial)
    if auto == "NOTSET":
        return node.attr_ints("pads", zeros, length=len(zeros))
    if auto == "VALID":
        return zeros
    if auto not in ("SAME_UPPER", "SAME_LOWER"):
        raise node.error(f"auto_pad {quote(auto)} is not NOTSET, VALID, SAME_UPPER or SAME_LOWER")
    before, after = [], []
    for size, k, s, d in zip(spatial, kernel, strides, dilations):
        total = max(0, (ceil(size / s) - 1) * s + (k - 1) * d + 1 - size)
        small, big = total // 2, total - total // 2
        # SAME_UPPER puts the odd pixel of padding at the end, SAME_LOWER at the start.
        before.append(small if auto == "SAME_UPPER" else big)
        after.append(big if auto == "SAME_UPPER" else small)
    return (*before, *after)


def _spatial_rank(node: Node) -> int:
    """1 for an [N,C,L] input, 2 for [N,C,H,W]; 1-D ops run as 2-D ones with H = 1."""
    shape = node.shape(0)
    if len(shape) not in (3, 4):
        raise node.error(f"only 1-D and 2-D input ([N,C,L] or [N,C,H,W]) is supported, got "
                         f"shape {show(shape)}")
    return len(shape) - 2


def _as_2d(values: tuple[int, ...]) -> tuple[int, ...]:
    """A 1-D kernel, stride or dilation as the 2-D one of an H = 1 image."""
    return (1, *values) if len(values) == 1 else values


def _on_2d(node: Node, build: Callable[[SSAValue], SSAValue]) -> SSAValue:
    """``build`` on input 0 as [N,C,H,W]: an [N,C,L] input goes in as [N,C,1,L] and its
    [N,C',1,L'] result comes back as [N,C',L']."""
    shape = node.shape(0)
    if len(shape) == 4:
        return build(node.input(0))
    n, c, length = shape
    y = build(node.make(nn.ReshapeOp, node.input(0), newshape=(n, c, 1, length)))
    n, c, _, length = shape_of(y)
    return node.make(nn.ReshapeOp, y, newshape=(n, c, length))


def _window(node: Node, kernel: tuple[int, ...]) -> dict[str, tuple[int, ...]]:
    """Strides, dilation and padding of a 1-D or 2-D window, as the 2-D op takes them."""
    rank = _spatial_rank(node)
    strides = node.attr_ints("strides", (1,) * rank, length=rank)
    dilation = node.attr_ints("dilations", (1,) * rank, length=rank)
    padding = _window_pads(node, node.shape(0)[2:], kernel, strides, dilation)
    if rank == 1:
        padding = (0, padding[0], 0, padding[1])
    return {"strides": _as_2d(strides), "dilation": _as_2d(dilation), "padding": padding}


@converter("Conv")
def conv(node: Node) -> SSAValue:
    """nn.conv2d (and nn.bias_add); 1-D as 2-D with H = 1; groups, dilations, auto_pad."""
    rank = _spatial_rank(node)
    w = node.shape(1)
    if len(w) != rank + 2:
        raise node.error(f"a {rank}-D convolution needs a {rank + 2}-D weight, got shape {show(w)}")
    kernel = node.attr_ints("kernel_shape", w[2:], length=rank)
    if kernel != w[2:]:
        raise node.error(f"kernel_shape {show(kernel)} disagrees with the weight shape {show(w)}")
    window = _window(node, kernel)
    # A 1-D weight [O,I/g,k] becomes [O,I/g,1,k], folded here when it is constant.
    if rank == 2:
        weight = node.input(1)
    elif node.is_const(1):
        weight = node.constant(node.const(1, "weight").reshape(w[0], w[1], 1, w[2]), 1)
    else:
        weight = node.make(nn.ReshapeOp, node.input(1), newshape=(w[0], w[1], 1, w[2]))

    def build(x: SSAValue) -> SSAValue:
        y = node.make(nn.Conv2DOp, x, weight, groups=node.attr_int("group", 1), **window)
        if node.has_input(2):
            y = node.make(nn.BiasAddOp, y, node.input(2), axis=1)
        return y

    return _on_2d(node, build)


def _transpose_pads(
    node: Node, spatial: Sequence[int], kernel: Sequence[int], strides: Sequence[int],
    dilations: Sequence[int], output_padding: Sequence[int],
) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """ConvTranspose's (top, left, bottom, right) and output_padding: given, or what
    makes the output ``output_shape`` (SAME_*: input times stride) with ONNX's split of
    the total. An output_shape up to stride - 1 past the full output adds zero rows at
    the end, as output_padding does (as ONNX Runtime)."""
    auto = node.attr_str("auto_pad", "NOTSET")
    if auto not in ("NOTSET", "VALID", "SAME_UPPER", "SAME_LOWER"):
        raise node.error(f"auto_pad {quote(auto)} is not NOTSET, VALID, SAME_UPPER or SAME_LOWER")
    if node.has_attr("output_shape"):
        out = node.attr_ints("output_shape", length=2)
    elif auto in ("SAME_UPPER", "SAME_LOWER"):
        out = tuple(n * s for n, s in zip(spatial, strides))
    elif auto == "VALID":
        return (0, 0, 0, 0), tuple(output_padding)
    else:
        return node.attr_ints("pads", (0, 0, 0, 0), length=4), tuple(output_padding)
    before, after, extras = [], [], []
    for size, o, k, s, d, extra in zip(spatial, out, kernel, strides, dilations, output_padding):
        total = s * (size - 1) + extra + (k - 1) * d + 1 - o
        if -total >= s:
            raise node.error(f"output_shape {show(out)} is {-total} past the full output "
                             f"on an axis of stride {s}, which adds at most {s - 1}")
        if total < 0:
            before.append(0)
            after.append(0)
            extras.append(extra - total)
            continue
        # As ONNX Runtime: SAME_UPPER crops the odd pixel at the end, anything else at
        # the start.
        small, big = total // 2, total - total // 2
        before.append(small if auto == "SAME_UPPER" else big)
        after.append(big if auto == "SAME_UPPER" else small)
        extras.append(extra)
    return (*before, *after), tuple(extras)


@converter("ConvTranspose")
def conv_transpose(node: Node) -> SSAValue:
    """nn.conv2d_transpose (and nn.bias_add), 2-D; groups, output_padding, output_shape, auto_pad."""
    shape = node.rank_4(0)
    w = node.shape(1)
    if len(w) != 4:
        raise node.error(f"only 2-D ConvTranspose is supported, the weight has shape {show(w)}")
    kernel = node.attr_ints("kernel_shape", w[2:], length=2)
    if kernel != w[2:]:
        raise node.error(f"kernel_shape {show(kernel)} disagrees with the weight shape {show(w)}")
    strides = node.attr_ints("strides", (1, 1), length=2)
    dilation = node.attr_ints("dilations", (1, 1), length=2)
    extra = node.attr_ints("output_padding", (0, 0), length=2)
    padding, extra = _transpose_pads(node, shape[2:], kernel, strides, dilation, extra)
    y = node.make(
        nn.Conv2DTransposeOp, node.input(0), node.input(1), groups=node.attr_int("group", 1),
        strides=strides, dilation=dilation, padding=padding, output_padding=extra,
    )
    if node.has_input(2):
        y = node.make(nn.BiasAddOp, y, node.input(2), axis=1)
    return y


@converter("DeformConv")
def deform_conv(node: Node) -> SSAValue:
    """nn.deform_conv2d (and nn.bias_add), 2-D; group, offset_group, dilations, mask."""
    node.rank_4(0)
    w = node.shape(1)
    if len(w) != 4:
        raise node.error(f"only 2-D DeformConv is supported, the weight has shape {show(w)}")
    kernel = node.attr_ints("kernel_shape", w[2:], length=2)
    if kernel != w[2:]:
        raise node.error(f"kernel_shape {show(kernel)} disagrees with the weight shape {show(w)}")
    mask = [node.input(4)] if node.has_input(4) else []
    y = node.make(
        nn.DeformConv2DOp, node.input(0), node.input(1), node.input(2), *mask,
        groups=node.attr_int("group", 1), offset_groups=node.attr_int("offset_group", 1),
        strides=node.attr_ints("strides", (1, 1), length=2),
        dilation=node.attr_ints("dilations", (1, 1), length=2),
        padding=node.attr_ints("pads", (0, 0, 0, 0), length=4),
    )
    if node.has_input(3):
        y = node.make(nn.BiasAddOp, y, node.input(3), axis=1)
    return y


@converter("MaxPool", "AveragePool")
def pool(node: Node) -> SSAValue:
    """nn.max_pool2d, nn.avg_pool2d; 1-D as 2-D; ceil_mode, count_include_pad; not MaxPool's indices."""
    kernel = node.attr_ints("kernel_shape", length=_spatial_rank(node))
    props: dict[str, object] = {**_window(node, kernel), "pool_size": _as_2d(kernel),
                                "ceil_mode": bool(node.attr_int("ceil_mode", 0))}
    if node.op_type == "AveragePool":
        props["count_include_pad"] = bool(node.attr_int("count_include_pad", 0))
    op = nn.MaxPool2DOp if node.op_type == "MaxPool" else nn.AvgPool2DOp
    return _on_2d(node, lambda x: node.make(op, x, **props))


@converter("LpPool")
def lp_pool(node: Node) -> SSAValue:
    """nn.lp_pool2d: the p-norm of each window; 1-D as 2-D; ceil_mode, dilations."""
    kernel = node.attr_ints("kernel_shape", length=_spatial_rank(node))
    props = {**_window(node, kernel), "pool_size": _as_2d(kernel),
             "ceil_mode": bool(node.attr_int("ceil_mode", 0)), "p": node.attr_int("p", 2)}
    return _on_2d(node, lambda x: node.make(nn.LpPool2DOp, x, **props))


@converter("GlobalAveragePool", "GlobalMaxPool")
def global_pool(node: Node) -> SSAValue:
    """nn.global_avg_pool2d, nn.global_max_pool2d; 1-D as 2-D."""
    _spatial_rank(node)
    op = nn.GlobalAvgPool2DOp if node.op_type == "GlobalAveragePool" else nn.GlobalMaxPool2DOp
    return _on_2d(node, lambda x: node.make(op, x))


def _layer_norm_param(node: Node, i: int, rank: int) -> SSAValue:
    """Scale or bias at the rank of x, as numpy aligns it (to the trailing axes)."""
    shape = node.shape(i)
    if len(shape) > rank:
        raise node.error(f"input {i} of shape {show(shape)} has a higher rank than x ({rank})")
    full = (1,) * (rank - len(shape)) + tuple(shape)
    if node.is_const(i) and node.const(i, "parameter").dtype == np.float32:
        return node.constant(node.const(i, "parameter").reshape(full), i)
    param = node.input(i)  # refuses a constant of another type
    return param if len(shape) == rank else node.make(nn.ReshapeOp, param, newshape=full)


@converter("LayerNormalization")
def layer_norm(node: Node) -> SSAValue:
    """nn.layer_norm over the trailing axes from `axis`; with Mean or InvStdDev read, its ONNX function body."""
    if node.reads(1) or node.reads(2):
        raise NeedsFunctionBody(f"{node.label}: nn.layer_norm computes output 0 (Y) only, "
                                "not Mean or InvStdDev")
    if node.attr_int("stash_type", 1) != 1:
        raise node.error("only stash_type=1 (float32 statistics) is supported")
    rank = len(node.shape(0))
    axis = _axis(node, node.attr_int("axis", -1), rank)
    scale = _layer_norm_param(node, 1, rank)
    if node.has_input(2):
        bias = _layer_norm_param(node, 2, rank)
    else:
        bias = node.constant(np.zeros((1,) * rank, np.float32))
    return node.make(nn.LayerNormOp, node.input(0), scale, bias, axes=tuple(range(axis, rank)),
                     epsilon=node.attr_float("epsilon", 1e-5))


def _channel_param(node: Node, i: int, rank: int) -> SSAValue:
    """A [C] scale or bias as [1,C,1,...] at the rank of x, to broadcast per channel."""
    channels = node.shape(0)[1]
    if node.shape(i) != (channels,):
        raise node.error(f"input {i} must have shape [{channels}] (one value per channel), "
                         f"got {show(node.shape(i))}")
    full = (1, channels) + (1,) * (rank - 2)
    if node.is_const(i) and node.const(i, "parameter").dtype == np.float32:
        return node.constant(node.const(i, "parameter").reshape(full), i)
    return node.make(nn.ReshapeOp, node.input(i), newshape=full)


@converter("InstanceNormalization")
def instance_norm(node: Node) -> SSAValue:
    """nn.layer_norm over the spatial axes, scale and bias per channel."""
    # One op with its own kernel, which follows any unblocked layout (its axes remapped
    # by letter, its parameters moved beside it); means, subtractions and a square root
    # would follow as freely but launch a kernel each.
    rank = len(node.shape(0))
    if rank < 3:
        raise node.error(f"needs an [N,C,...] input with spatial axes, got shape "
                         f"{show(node.shape(0))}")
    scale, bias = _channel_param(node, 1, rank), _channel_param(node, 2, rank)
    return node.make(nn.LayerNormOp, node.input(0), scale, bias, axes=tuple(range(2, rank)),
                     epsilon=node.attr_float("epsilon", 1e-5))


@converter("BatchNormalization")
def batch_norm(node: Node) -> Result | tuple[SSAValue, ...]:
    """nn.batch_norm, folded into the conv before it; training_mode=1: nn.layer_norm over N, H, W.

    In training mode the running mean and variance outputs are updated by momentum."""
    if node.attr_int("training_mode", 0):
        return _batch_norm_training(node)
    params = [node.input(i) for i in range(5)]
    return node.make(nn.BatchNormOp, *params, axis=1, epsilon=node.attr_float("epsilon", 1e-5))


def _batch_norm_training(node: Node) -> SSAValue | tuple[SSAValue, ...]:
    """Y normalized by the batch's own statistics; the running mean and (population)
    variance outputs as ``input * momentum + batch * (1 - momentum)``, as ONNX says."""
    rank = len(node.shape(0))
    if rank < 2:
        raise node.error(f"needs an [N,C,...] input, got shape {show(node.shape(0))}")
    axes, eps = (0, *range(2, rank)), node.attr_float("epsilon", 1e-5)
    x = node.input(0)
    scale, bias = _channel_param(node, 1, rank), _channel_param(node, 2, rank)
    y = node.make(nn.LayerNormOp, x, scale, bias, axes=axes, epsilon=eps)
    if len(node.proto.output) == 1:
        return y
    momentum = node.attr_float("momentum", 0.9)
    centred = node.make(nn.SubtractOp, x, node.make(nn.MeanOp, x, axes=axes, keepdims=True))
    batch = (node.make(nn.MeanOp, x, axes=axes, keepdims=False),
             node.make(nn.MeanOp, node.make(nn.MultiplyOp, centred, centred), axes=axes,
                       keepdims=False))

    def running(i: int, value: SSAValue) -> SSAValue:
        kept = node.make(nn.MultiplyOp, node.input(i), node.constant(np.float32(momentum)))
        new = node.make(nn.MultiplyOp, value, node.constant(np.float32(1 - momentum)))
        return node.make(nn.AddOp, kept, new)

    return (y, running(3, batch[0]), running(4, batch[1]))


@converter("Clip")
def clip(node: Node) -> SSAValue:
    """nn.clip; bounds as attributes (opset < 11) or constant inputs."""
    # Opset 11 moved the bounds from attributes to optional inputs.
    if node.opset < 11:
        lo, hi = node.attr_float("min", -inf), node.attr_float("max", inf)
    else:
        lo, hi = node.scalar(1, "min", -inf), node.scalar(2, "max", inf)
    return node.make(nn.ClipOp, node.input(0), min=lo, max=hi)


@converter("Mean")
def mean(node: Node) -> SSAValue:
    """a chain of nn.add times 1/n, broadcasting."""
    # Variadic like Sum: its add chain (broadcasting as numpy does), scaled by 1/n.
    total = binary(nn.AddOp, node)
    count = len(node.proto.input)
    if count == 1:
        return total
    return node.make(nn.MultiplyOp, total, node.constant(np.float32(1 / count)))


@converter("Gelu")
def gelu(node: Node) -> SSAValue:
    """nn.gelu (approximate none) or nn.gelu_tanh."""
    approximate = node.attr_str("approximate", "none")
    ops = {"none": elementwise.GeluOp, "tanh": elementwise.GeluTanhOp}
    if approximate not in ops:
        raise node.error(f"approximate {quote(approximate)} is not one of 'none', 'tanh'")
    return node.make(ops[approximate], node.input(0))


@converter("Concat")
def concat(node: Node) -> SSAValue:
    """nn.concat along any axis."""
    axis = node.attr_int("axis")
    inputs = [node.input(i) for i in range(len(node.proto.input))]
    return node.make(nn.ConcatOp, *inputs, axis=axis)


@converter("Flatten")
def flatten(node: Node) -> SSAValue:
    """nn.batch_flatten (axis 1) or nn.reshape."""
    shape = node.shape(0)
    axis = node.attr_int("axis", 1)
    # Flatten's axis may also equal the rank: everything goes to the first dimension.
    axis = axis if axis == len(shape) else _axis(node, axis, len(shape))
    if axis == 1:
        return node.make(nn.BatchFlattenOp, node.input(0))
    return node.make(
        nn.ReshapeOp, node.input(0), newshape=(prod(shape[:axis]), prod(shape[axis:]))
    )


def _resolve_shape(node: Node, old: tuple[int, ...], spec: np.ndarray) -> tuple[int, ...]:
    """ONNX Reshape's target: 0 copies the input extent, one -1 takes the rest."""
    allow_zero = node.attr_int("allowzero", 0)
    new = []
    for i, d in enumerate(int(v) for v in spec.reshape(-1)):
        if d == 0 and not allow_zero:
            if i >= len(old):
                raise node.error(
                    f"shape {show(spec.reshape(-1))} copies axis {i}, which the input lacks"
                )
            d = old[i]
        new.append(d)
    if new.count(-1) > 1:
        raise node.error(f"shape {show(spec.reshape(-1))} has more than one -1")
    if -1 in new:
        known = prod(d for d in new if d != -1)
        if known <= 0 or prod(old) % known:
            raise node.error(f"cannot reshape {show(old)} to {show(spec.reshape(-1))}")
        new[new.index(-1)] = prod(old) // known
    return tuple(new)


@converter("Reshape")
def reshape(node: Node) -> SSAValue:
    """nn.reshape to a constant shape (0 and -1 resolved)."""
    newshape = _resolve_shape(node, node.shape(0), node.const(1, "shape"))
    return node.make(nn.ReshapeOp, node.input(0), newshape=newshape)


def _rearrange(node: Node, split: tuple[int, ...], perm: tuple[int, ...],
               out: tuple[int, ...]) -> SSAValue:
    """Input 0 reshaped to ``split``, its axes permuted by ``perm``, reshaped to ``out``."""
    y = node.make(nn.ReshapeOp, node.input(0), newshape=split)
    y = node.make(nn.TransposeOp, y, axes=perm)
    return node.make(nn.ReshapeOp, y, newshape=out)


def _blocksize(node: Node) -> int:
    size = node.attr_int("blocksize")
    if size < 1:
        raise node.error(f"blocksize {size} must be positive")
    return size


@converter("DepthToSpace")
def depth_to_space(node: Node) -> SSAValue:
    """nn.reshape, nn.transpose, nn.reshape; DCR and CRD modes."""
    n, c, h, w = node.rank_4(0)
    b = _blocksize(node)
    if c % (b * b):
        raise node.error(f"{c} channels do not divide by blocksize {b} squared")
    mode = node.attr_str("mode", "DCR")
    depth = c // (b * b)
    # The channel index splits as (row in block, column in block, depth) in DCR mode,
    # as (depth, row, column) in CRD.
    if mode == "DCR":
        split, perm = (n, b, b, depth, h, w), (0, 3, 4, 1, 5, 2)
    elif mode == "CRD":
        split, perm = (n, depth, b, b, h, w), (0, 1, 4, 2, 5, 3)
    else:
        raise node.error(f"mode {quote(mode)} is not 'DCR' or 'CRD'")
    return _rearrange(node, split, perm, (n, depth, h * b, w * b))


@converter("SpaceToDepth")
def space_to_depth(node: Node) -> SSAValue:
    """nn.reshape, nn.transpose, nn.reshape."""
    n, c, h, w = node.rank_4(0)
    b = _blocksize(node)
    if h % b or w % b:
        raise node.error(f"H {h} and W {w} must divide by blocksize {b}")
    return _rearrange(node, (n, c, h // b, b, w // b, b), (0, 3, 5, 1, 2, 4),
                      (n, c * b * b, h // b, w // b))


@converter("Transpose")
def transpose(node: Node) -> SSAValue:
    """nn.transpose."""
    rank = len(node.shape(0))
    perm = node.attr_ints("perm", tuple(reversed(range(rank))))
    return node.make(nn.TransposeOp, node.input(0), axes=perm)


def _const_ints(node: Node, i: int, what: str) -> tuple[int, ...]:
    values = node.const(i, what)
    if values.dtype.kind not in "iu":
        raise node.error(f"{what} must be integers, got {values.dtype}")
    return tuple(int(v) for v in values.reshape(-1))


def _slice_op(node: Node, ranges: Sequence[range]) -> SSAValue:
    """``nn.slice`` of input 0 keeping ``ranges``; the input itself when they keep all."""
    shape = node.shape(0)
    if all(r == range(n) for r, n in zip(ranges, shape)):
        return node.input(0)
    return node.make(
        nn.SliceOp, node.input(0), begin=tuple(r.start for r in ranges),
        end=tuple(r.stop for r in ranges), strides=tuple(r.step for r in ranges),
    )


def _slice_range(extent: int, start: int, end: int, step: int) -> range:
    """ONNX Slice's indices along one axis: negative bounds count from the end, then
    both are clamped to the extent (going backward, start to extent - 1, end to -1)."""
    start += extent if start < 0 else 0
    end += extent if end < 0 else 0
    if step > 0:
        return range(min(max(start, 0), extent), min(max(end, 0), extent), step)
    return range(min(max(start, 0), extent - 1), min(max(end, -1), extent - 1), step)


@converter("Slice")
def slice_(node: Node) -> SSAValue:
    """nn.slice; constant starts, ends, axes, steps (negative steps too)."""
    shape = node.shape(0)
    # Opset 10 moved the bounds from attributes to inputs, and added steps.
    if node.opset < 10:
        starts, ends = node.attr_ints("starts"), node.attr_ints("ends")
        axes = node.attr_ints("axes", range(len(starts)))
        steps: tuple[int, ...] = (1,) * len(starts)
    else:
        starts, ends = _const_ints(node, 1, "starts"), _const_ints(node, 2, "ends")
        axes = _const_ints(node, 3, "axes") if node.has_input(3) else tuple(range(len(starts)))
        steps = _const_ints(node, 4, "steps") if node.has_input(4) else (1,) * len(starts)
    if not len(starts) == len(ends) == len(axes) == len(steps):
        raise node.error(f"starts {show(starts)}, ends {show(ends)}, axes {show(axes)} and "
                         f"steps {show(steps)} differ in length")
    ranges = [range(n) for n in shape]
    done: set[int] = set()
    for a, start, end, step in zip(axes, starts, ends, steps):
        axis = _axis(node, a, len(shape))
        if axis in done:
            raise node.error(f"axes {show(axes)} repeat axis {axis}")
        if step == 0:
            raise node.error(f"steps {show(steps)} hold a 0")
        done.add(axis)
        ranges[axis] = _slice_range(shape[axis], start, end, step)
        if not ranges[axis]:
            raise node.error(f"selects no element along axis {axis} (start {start}, end {end}, "
                             f"step {step}); empty tensors are not supported")
    return _slice_op(node, ranges)


def _split_sizes(node: Node, extent: int, outputs: int) -> tuple[int, ...]:
    # The sizes were an attribute before opset 13, an input since; opset 18 may give the
    # number of parts instead, the last one smaller when they do not divide evenly.
    if node.opset >= 13 and node.has_input(1):
        return _const_ints(node, 1, "split")
    if node.opset < 13 and node.has_attr("split"):
        return node.attr_ints("split")
    if node.opset >= 18 and node.has_attr("num_outputs"):
        parts = node.attr_int("num_outputs")
        if parts < 1 or parts > extent:
            raise node.error(f"num_outputs {parts} must be in [1, {extent}], the extent split")
        size = -(-extent // parts)
        return tuple(min(size, extent - i * size) for i in range(parts))
    if extent % outputs:
        raise node.error(f"{outputs} outputs do not split the extent {extent} evenly; give "
                         "split")
    return (extent // outputs,) * outputs


@converter("Split")
def split(node: Node) -> tuple[SSAValue, ...]:
    """one nn.slice per output; sizes from the attribute, the input or num_outputs."""
    shape = node.shape(0)
    axis = _axis(node, node.attr_int("axis", 0), len(shape))
    outputs = len(node.proto.output)
    sizes = _split_sizes(node, shape[axis], outputs)
    if len(sizes) != outputs or any(s < 1 for s in sizes) or sum(sizes) != shape[axis]:
        raise node.error(f"split sizes {show(sizes)} must be {outputs} positive extents that "
                         f"add up to {shape[axis]}, the extent of axis {axis}")
    results, start = [], 0
    for size in sizes:
        ranges = [range(n) for n in shape]
        ranges[axis] = range(start, start + size)
        results.append(_slice_op(node, ranges))
        start += size
    return tuple(results)


MAX_GATHER_RUNS = 64
"""Runs of evenly stepping indices a Gather may split into: one slice each, concatenated."""


def _runs(indices: npt.NDArray[np.int64]) -> list[range]:
    """``indices`` (in range, at least one) as maximal runs that step evenly (not by 0),
    from the first: [0, 1, 3] is range(0, 2) then range(3, 4)."""
    runs, i = [], 0
    while i < indices.size:
        j = i + 1
        step = int(indices[j] - indices[i]) if j < indices.size else 1
        if step == 0:
            step = 1
        else:
            while j < indices.size and indices[j] - indices[j - 1] == step:
                j += 1
        # The end just past the last index keeps it inside nn.slice's bounds.
        runs.append(range(int(indices[i]), int(indices[j - 1]) + (1 if step > 0 else -1), step))
        i = j
    return runs


@converter("Gather")
def gather(node: Node) -> SSAValue:
    """nn.slice per run of constant indices that step evenly (nn.concat of several), then nn.reshape."""
    # All-constant Gathers (shape arithmetic) never get here: they are evaluated at import.
    shape = node.shape(0)
    axis = _axis(node, node.attr_int("axis", 0), len(shape))
    indices = node.const(1, "indices")
    if indices.dtype not in (np.int32, np.int64):
        raise node.error(f"indices must be int32 or int64, got {indices.dtype}")
    if indices.size == 0:
        raise node.error("indices are empty; empty tensors are not supported")
    extent = shape[axis]
    flat = indices.reshape(-1).astype(np.int64)
    outside = flat[(flat < -extent) | (flat >= extent)]
    if outside.size:
        raise node.error(f"index {int(outside[0])} is out of range for axis {axis} of extent "
                         f"{extent}")
    runs = _runs(np.where(flat < 0, flat + extent, flat))
    if len(runs) > MAX_GATHER_RUNS:
        raise node.error(f"indices along axis {axis} make {len(runs)} runs that step evenly; "
                         f"at most {MAX_GATHER_RUNS} are supported")
    parts = []
    for run in runs:
        ranges = [range(n) for n in shape]
        ranges[axis] = run
        parts.append(_slice_op(node, ranges))
    y = parts[0] if len(parts) == 1 else node.make(nn.ConcatOp, *parts, axis=axis)
    out = shape[:axis] + indices.shape + shape[axis + 1:]
    return y if out == shape_of(y) else node.make(nn.ReshapeOp, y, newshape=out)


def _matrix_weight(node: Node, i: int, op: str) -> np.ndarray:
    if len(node.shape(0)) != 2:
        raise node.error(f"{op} is supported for a 2-D input only, got shape {show(node.shape(0))}")
    weight = node.const(i, "weight")
    if weight.ndim != 2:
        raise node.error(f"{op} needs a 2-D weight, got shape {show(weight.shape)}")
    return weight


@converter("Gemm")
def gemm(node: Node) -> SSAValue:
    """nn.dense (and nn.add); constant 2-D weight; alpha, beta, transA, transB."""
    b = _matrix_weight(node, 1, "Gemm")
    alpha, beta = node.attr_float("alpha", 1.0), node.attr_float("beta", 1.0)
    a = node.input(0)
    if node.attr_int("transA", 0):
        a = node.make(nn.TransposeOp, a, axes=(1, 0))
    # nn.dense wants the weight as [units, K]: Gemm's B already is when transB = 1.
    weight = b if node.attr_int("transB", 0) else b.T
    y = node.make(nn.DenseOp, a, node.constant(weight * np.float32(alpha), 1))
    if not node.has_input(2) or beta == 0:
        return y
    if node.is_const(2):
        bias = node.constant(node.const(2, "bias") * np.float32(beta), 2)
    else:
        bias = node.input(2)
        if beta != 1:
            bias = node.make(nn.MultiplyOp, bias, node.constant(np.float32(beta)))
    return node.make(nn.AddOp, y, bias)


@converter("MatMul")
def matmul(node: Node) -> SSAValue:
    """nn.dense; input of rank 2 or more, constant 2-D weight."""
    # An input of rank above 2 is a stack of rows (torch.nn.Linear on channels-last
    # activations, as in ConvNeXt): nn.dense takes it as it is.
    if len(node.shape(0)) < 2:
        raise node.error(f"MatMul needs an input of rank 2 or more, got shape "
                         f"{show(node.shape(0))}")
    weight = node.const(1, "weight")
    if weight.ndim != 2:
        raise node.error(f"MatMul needs a 2-D weight, got shape {show(weight.shape)}")
    return node.make(nn.DenseOp, node.input(0), node.constant(weight.T, 1))


@converter("Softmax", "LogSoftmax")
def softmax(node: Node) -> SSAValue:
    """nn.softmax, nn.log_softmax along one axis (before opset 13: rows with one axis longer than 1)."""
    shape = node.shape(0)
    default = -1 if node.opset >= 13 else 1
    axis = _axis(node, node.attr_int("axis", default), len(shape))
    # Before opset 13 both flatten to 2-D at `axis` and normalize whole rows: a one-axis
    # softmax over the row's only axis longer than 1 (C of SqueezeNet's [1,1000,1,1]).
    if node.opset < 13:
        longer = [a for a in range(axis, len(shape)) if shape[a] > 1]
        if len(longer) > 1:
            raise node.error(
                f"opset {node.opset} {node.op_type} normalizes over axes {axis}..{len(shape) - 1}"
                f" of shape {show(shape)} together; only rows with one axis longer than 1 are "
                "supported"
            )
        axis = longer[0] if longer else axis
    op = nn.LogSoftmaxOp if node.op_type == "LogSoftmax" else nn.SoftmaxOp
    return node.make(op, node.input(0), axis=axis)


@converter("LRN")
def lrn(node: Node) -> SSAValue:
    """nn.lrn across channels of a 4-D input."""
    node.rank_4(0)
    return node.make(
        nn.LRNOp, node.input(0), size=node.attr_int("size"),
        alpha=node.attr_float("alpha", 1e-4), beta=node.attr_float("beta", 0.75),
        bias=node.attr_float("bias", 1.0),
    )


def _pad_amounts(node: Node, rank: int) -> tuple[np.ndarray, float]:
    """ONNX pads ([begins..., ends...]) over all axes, and the pad value."""
    if node.opset < 11:
        return np.array(node.attr_ints("pads")), node.attr_float("value", 0.0)
    pads = node.const(1, "pads").reshape(-1).astype(np.int64)
    value = node.scalar(2, "constant_value", 0.0)
    if not node.has_input(3):
        return pads, value
    axes = [_axis(node, int(a), rank) for a in node.const(3, "axes").reshape(-1)]
    if len(set(axes)) != len(axes) or len(pads) != 2 * len(axes):
        raise node.error(f"pads {show(pads)} need 2 values for each of the distinct axes "
                         f"{show(axes)}")
    full = np.zeros(2 * rank, np.int64)
    full[axes] = pads[: len(axes)]
    full[[a + rank for a in axes]] = pads[len(axes):]
    return full, value


@converter("Pad")
def pad(node: Node) -> SSAValue:
    """nn.pad: constant, reflect, edge and wrap modes; no negative pads."""
    mode = node.attr_str("mode", "constant")
    if mode not in PAD_MODES:
        raise node.error(f"mode {quote(mode)} is not one of {', '.join(PAD_MODES)}")
    rank = len(node.shape(0))
    pads, value = _pad_amounts(node, rank)
    if len(pads) != 2 * rank:
        raise node.error(f"pads {show(pads)} need {2 * rank} values for rank {rank}")
    if pads.min(initial=0) < 0:
        raise node.error(f"negative pads {show(pads)} (cropping) are not supported")
    width = [int(p) for i in range(rank) for p in (pads[i], pads[i + rank])]
    return node.make(nn.PadOp, node.input(0), pad_width=width, mode=mode,
                     pad_value=value if mode == "constant" else None)


RESIZE_METHODS = {"nearest": "nearest", "linear": "bilinear", "cubic": "bicubic"}
ASPECT_POLICIES = ("stretch", "not_larger", "not_smaller")


class _Resample:
    """Output extent, coordinate scale and crop (tf_crop_and_resize's roi) of every
    axis, as ONNX derives them from scales or sizes."""

    def __init__(self, node: Node, shape: tuple[int, ...], axes: Sequence[int]) -> None:
        self.node, self.shape, self.axes = node, shape, list(axes)
        self.size, self.scales = list(shape), [1.0] * len(shape)
        self.roi = [(0.0, 1.0)] * len(shape)

    def _values(self, array: npt.ArrayLike, what: str, per_axis: int = 1) -> list[float]:
        values = [float(v) for v in np.asarray(array).reshape(-1)]
        if len(values) != per_axis * len(self.axes):
            raise self.node.error(f"{what} {show(values)} need {per_axis} value(s) for each "
                                  f"of the axes {show(self.axes)}")
        return values

    def from_scales(self, scales: npt.ArrayLike) -> None:
        factors = self._values(np.asarray(scales, np.float32), "scales")
        if not all(isfinite(s) and s > 0 for s in factors):
            raise self.node.error(f"scales {show(factors)} must be finite and positive")
        for a, s in zip(self.axes, factors):
            self.size[a], self.scales[a] = int(np.floor(self.shape[a] * s)), s

    def from_sizes(self, sizes: npt.ArrayLike, policy: str) -> None:
        wanted = [int(v) for v in self._values(sizes, "sizes")]
        if min(wanted) < 1:
            raise self.node.error(f"sizes {show(wanted)} must be >= 1")
        ratios = [o / self.shape[a] for a, o in zip(self.axes, wanted)]
        if policy == "stretch":
            for a, o, r in zip(self.axes, wanted, ratios):
                self.size[a], self.scales[a] = o, r
            return
        # One scale for all axes, which the sizes bound from above or below.
        s = min(ratios) if policy == "not_larger" else max(ratios)
        for a in self.axes:
            self.size[a], self.scales[a] = int(s * self.shape[a] + 0.5), s

    def crop(self, roi: npt.ArrayLike) -> None:
        values = self._values(roi, "roi", 2)
        if not all(isfinite(v) for v in values):
            raise self.node.error(f"roi {show(values)} must be finite")
        n = len(self.axes)
        for k, a in enumerate(self.axes):
            self.roi[a] = (values[k], values[k + n])

    def of_h_and_w(self) -> dict[str, object]:
        """nn.resize2d's size, scales and roi; N and C must stay as they are."""
        node, shape = self.node, self.shape
        check_size(self.size, f"{node.label}: the output")
        if min(self.size) < 1:
            raise node.error(f"the output extents {show(self.size)} must be >= 1")
        if self.size[:2] != list(shape[:2]) or self.scales[:2] != [1.0, 1.0] or \
                self.roi[:2] != [(0.0, 1.0)] * 2:
            raise node.error("resizing or cropping N or C is not supported; only H and W")
        scales = self.scales[2:]
        exact = all(s == o / d for s, o, d in zip(scales, self.size[2:], shape[2:]))
        roi = [v for pair in zip(*self.roi[2:]) for v in pair]
        return {
            "size": tuple(self.size[2:]),
            "scales": None if exact else DenseArrayBase.from_list(f64, scales),
            "roi": None if roi == [0.0, 0.0, 1.0, 1.0] else DenseArrayBase.from_list(f64, roi),
        }


def _legacy_resize(node: Node, shape: tuple[int, ...]) -> dict[str, object]:
    """Upsample and opset-10 Resize: asymmetric coordinates, scales only; ONNX Runtime
    floors nearest indices when upsampling and rounds them up when downsampling."""
    if node.has_attr("scales"):
        scales = np.array(node.attr_floats("scales"), np.float32)
    else:
        scales = node.const(1, "scales")
    axes = _Resample(node, shape, range(len(shape)))
    axes.from_scales(scales)
    props = axes.of_h_and_w()
    up = [o >= d for o, d in zip(axes.size[2:], shape[2:])]
    if len(set(up)) != 1:
        raise node.error("upsampling one axis while downsampling the other is not supported")
    return {**props, "coordinate_mode": "asymmetric", "nearest_mode": "floor" if up[0] else "ceil"}


def _modern_resize(node: Node, shape: tuple[int, ...]) -> dict[str, object]:
    mode = node.attr_str("coordinate_transformation_mode", "half_pixel")
    nearest = node.attr_str("nearest_mode", "round_prefer_floor")
    policy = node.attr_str("keep_aspect_ratio_policy", "stretch")
    for what, value, allowed in (("coordinate_transformation_mode", mode, COORDINATE_MODES),
                                 ("nearest_mode", nearest, NEAREST_MODES),
                                 ("keep_aspect_ratio_policy", policy, ASPECT_POLICIES)):
        if value not in allowed:
            raise node.error(f"{what} {quote(value)} is not supported")
    rank = len(shape)
    axes = [_axis(node, a, rank) for a in node.attr_ints("axes", range(rank))]
    if len(set(axes)) != len(axes):
        raise node.error(f"axes {show(axes)} name an axis twice")
    resample = _Resample(node, shape, axes)
    scales = node.const(2, "scales") if node.has_input(2) else None
    sizes = node.const(3, "sizes") if node.has_input(3) else None
    if sizes is not None and sizes.size:
        if scales is not None and scales.size:
            raise node.error("gives both scales and sizes; ONNX allows one")
        resample.from_sizes(sizes, policy)
    elif scales is not None and scales.size:
        resample.from_scales(scales)
    else:
        raise node.error("needs scales or sizes")
    if mode == "tf_crop_and_resize":
        if not node.has_input(1):
            raise node.error("coordinate_transformation_mode 'tf_crop_and_resize' needs roi")
        resample.crop(node.const(1, "roi"))
    return {
        **resample.of_h_and_w(), "coordinate_mode": mode, "nearest_mode": nearest,
        "cubic_coeff_a": node.attr_float("cubic_coeff_a", -0.75),
        "exclude_outside": bool(node.attr_int("exclude_outside", 0)),
        "antialias": bool(node.attr_int("antialias", 0)),
        "extrapolation_value": node.attr_float("extrapolation_value", 0.0),
    }


@converter("Resize", "Upsample")
def resize(node: Node) -> SSAValue:
    """nn.resize2d of H and W: nearest, linear, cubic; every attribute (no tf_half_pixel_for_nn).

    Every coordinate mode of opsets 11 to 19 (not opset 11's tf_half_pixel_for_nn),
    antialias, exclude_outside, cubic_coeff_a, axes, keep_aspect_ratio_policy, scales
    that give no whole extent, tf_crop_and_resize's roi and extrapolation_value; Upsample
    and opset-10 Resize too. N and C must keep their extents."""
    shape = node.rank_4(0)
    method = node.attr_str("mode", "nearest")
    legacy = node.op_type == "Upsample" or node.opset < 11
    if method not in RESIZE_METHODS or legacy and method == "cubic":
        raise node.error(f"mode {quote(method)} is not supported")
    props = (_legacy_resize if legacy else _modern_resize)(node, shape)
    return node.make(nn.Resize2DOp, node.input(0), method=RESIZE_METHODS[method], **props)


@converter("GridSample")
def grid_sample(node: Node) -> SSAValue:
    """nn.grid_sample of a 4-D input: nearest, linear, cubic; zeros, border, reflection; align_corners.

    The grid is an operand like any other (a model computes it). Opset 20 renamed the
    modes bilinear and bicubic to linear and cubic."""
    node.rank_4(0)
    renamed = node.opset >= 20
    methods = RESIZE_METHODS if renamed else {m: m for m in METHODS}
    mode = node.attr_str("mode", "linear" if renamed else "bilinear")
    padding = node.attr_str("padding_mode", "zeros")
    if mode not in methods:
        raise node.error(f"mode {quote(mode)} is not one of {', '.join(methods)} at opset "
                         f"{node.opset}")
    if padding not in PADDING_MODES:
        raise node.error(f"padding_mode {quote(padding)} is not one of "
                         f"{', '.join(PADDING_MODES)}")
    return node.make(nn.GridSampleOp, node.input(0), node.input(1), method=methods[mode],
                     padding_mode=padding, align_corners=bool(node.attr_int("align_corners", 0)))


@converter("ReduceMean")
def reduce_mean(node: Node) -> Result:
    """nn.mean over constant axes, keepdims or not."""
    rank = len(node.shape(0))
    # Opset 18 moved the axes from an attribute to an optional input.
    axes = _axes(node, rank, since=18)
    if not axes and node.opset >= 18 and node.attr_int("noop_with_empty_axes", 0):
        return node.input_or_const(0)
    axes = axes or tuple(range(rank))
    keepdims = bool(node.attr_int("keepdims", 1))
    return node.make(nn.MeanOp, node.input(0), axes=axes, keepdims=keepdims)


def _raw_axes(node: Node, since: int) -> tuple[int, ...] | None:
    """The `axes` of a Squeeze, Unsqueeze or reduction: an attribute before opset
    ``since``, then a constant input; None where absent."""
    if node.opset < since:
        return node.attr_ints("axes", ()) if node.has_attr("axes") else None
    if node.has_input(1):
        return tuple(int(a) for a in node.const(1, "axes").reshape(-1))
    return None


def _axes(node: Node, rank: int, since: int = 13) -> tuple[int, ...] | None:
    """`_raw_axes` made non-negative for ``rank`` and sorted; a repeated axis refused."""
    axes = _raw_axes(node, since)
    if axes is None:
        return None
    norm = sorted({_axis(node, a, rank) for a in axes})
    if len(norm) != len(axes):
        raise node.error(f"axes {show(axes)} repeat an axis")
    return tuple(norm)


@converter("Squeeze")
def squeeze(node: Node) -> Result:
    """nn.reshape dropping the unit axes named (all of them without axes)."""
    shape = node.shape(0)
    axes = _axes(node, len(shape))
    if axes is None:
        axes = tuple(i for i, e in enumerate(shape) if e == 1)
    if any(shape[a] != 1 for a in axes):
        raise node.error(f"axes {show(axes)} of shape {show(shape)} are not all 1")
    newshape = tuple(e for i, e in enumerate(shape) if i not in axes)
    return node.make(nn.ReshapeOp, node.input(0), newshape=newshape)


@converter("Unsqueeze")
def unsqueeze(node: Node) -> Result:
    """nn.reshape inserting unit axes at the positions named in the result."""
    shape = node.shape(0)
    rank = len(shape) + len(_raw_axes(node, 13) or ())
    axes = _axes(node, rank) or ()
    rest = iter(shape)
    newshape = tuple(1 if i in axes else next(rest) for i in range(rank))
    return node.make(nn.ReshapeOp, node.input(0), newshape=newshape)


@converter("ReduceSum")
def reduce_sum(node: Node) -> Result:
    """nn.mean over constant axes times their element count; keepdims or not."""
    shape = node.shape(0)
    axes = _axes(node, len(shape))
    if not axes and node.opset >= 13 and node.attr_int("noop_with_empty_axes", 0):
        return node.input_or_const(0)
    axes = axes or tuple(range(len(shape)))
    keepdims = bool(node.attr_int("keepdims", 1))
    mean = node.make(nn.MeanOp, node.input(0), axes=axes, keepdims=keepdims)
    count = np.float32(np.prod([shape[a] for a in axes]))
    return node.make(nn.MultiplyOp, mean, node.constant(np.array(count, np.float32)))


@converter("Cast")
def cast(node: Node) -> SSAValue:
    """no op: a computed tensor cast to float32 (a constant's cast is evaluated)."""
    # Computed tensors are all float32, so the one cast they may take is to float32,
    # which function bodies write to compute in the stash type.
    to = node.attr_int("to")
    if to != TensorProto.FLOAT:
        raise node.error(f"cast to {type_name(to)}: computed tensors must stay float32")
    return node.input(0)


@converter("Identity")
def identity(node: Node) -> Result:
    """no op: its input."""
    return node.input_or_const(0)


@converter("Dropout")
def dropout(node: Node) -> Result:
    """no op in inference: its input; the mask output may not be read."""
    if node.has_input(2) and node.const(2, "training_mode").reshape(()):
        raise node.error("training mode is not supported; inference Dropout is the identity")
    return node.input_or_const(0)


CONSTANT_ATTRS: dict[str, Callable[[Node, str], npt.ArrayLike]] = {
    "value": Node.attr_tensor,
    "value_float": lambda node, name: np.float32(node.attr_float(name)),
    "value_floats": lambda node, name: np.array(node.attr_floats(name), np.float32),
    "value_int": lambda node, name: np.int64(node.attr_int(name)),
    "value_ints": lambda node, name: np.array(node.attr_ints(name), np.int64),
}


@converter("Constant")
def constant(node: Node) -> np.ndarray:
    """a constant: a tensor, float(s) or int(s)."""
    for name, read in CONSTANT_ATTRS.items():
        if node.has_attr(name):
            return np.asarray(read(node, name))
    raise node.error("only tensor, float(s) and int(s) values are supported")
