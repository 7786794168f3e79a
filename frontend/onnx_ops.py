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
from xdsl.ir import SSAValue

from relayout.dialects import nn
from relayout.dialects.nn import elementwise
from relayout.dialects.nn.base import NNOp, ShapeError, norm_axis
from relayout.dialects.nn.registry import lookup, registered_ops, registry_version
from relayout.dialects.nn.resize import COORDINATE_MODES, NEAREST_MODES
from relayout.frontend.errors import quote, show
from relayout.frontend.onnx_node import Node, check_size

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
    """(top, left, bottom, right), which is also ONNX's `pads` order in 2-D."""
    auto = node.attr_str("auto_pad", "NOTSET")
    if auto == "NOTSET":
        return node.attr_ints("pads", (0, 0, 0, 0), length=4)
    if auto == "VALID":
        return (0, 0, 0, 0)
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


def _window(node: Node, kernel: tuple[int, ...]) -> dict[str, tuple[int, ...]]:
    strides = node.attr_ints("strides", (1, 1), length=2)
    dilation = node.attr_ints("dilations", (1, 1), length=2)
    padding = _window_pads(node, node.shape(0)[2:], kernel, strides, dilation)
    return {"strides": strides, "dilation": dilation, "padding": padding}


@converter("Conv")
def conv(node: Node) -> SSAValue:
    node.rank_4(0)
    w = node.shape(1)
    if len(w) != 4:
        raise node.error(f"only 2-D convolution is supported, the weight has shape {show(w)}")
    kernel = node.attr_ints("kernel_shape", w[2:], length=2)
    if kernel != w[2:]:
        raise node.error(f"kernel_shape {show(kernel)} disagrees with the weight shape {show(w)}")
    y = node.make(
        nn.Conv2DOp, node.input(0), node.input(1), groups=node.attr_int("group", 1),
        **_window(node, kernel),
    )
    if node.has_input(2):
        y = node.make(nn.BiasAddOp, y, node.input(2), axis=1)
    return y


@converter("MaxPool", "AveragePool")
def pool(node: Node) -> SSAValue:
    node.rank_4(0)
    kernel = node.attr_ints("kernel_shape", length=2)
    props = {**_window(node, kernel), "pool_size": kernel,
             "ceil_mode": bool(node.attr_int("ceil_mode", 0))}
    if node.op_type == "MaxPool":
        return node.make(nn.MaxPool2DOp, node.input(0), **props)
    include = bool(node.attr_int("count_include_pad", 0))
    return node.make(nn.AvgPool2DOp, node.input(0), count_include_pad=include, **props)


@converter("GlobalAveragePool", "GlobalMaxPool")
def global_pool(node: Node) -> SSAValue:
    node.rank_4(0)
    op = nn.GlobalAvgPool2DOp if node.op_type == "GlobalAveragePool" else nn.GlobalMaxPool2DOp
    return node.make(op, node.input(0))


@converter("BatchNormalization")
def batch_norm(node: Node) -> SSAValue:
    if node.attr_int("training_mode", 0):
        raise node.error("training_mode=1 is not supported; export the model in eval mode")
    params = [node.input(i) for i in range(5)]
    return node.make(nn.BatchNormOp, *params, axis=1, epsilon=node.attr_float("epsilon", 1e-5))


@converter("Clip")
def clip(node: Node) -> SSAValue:
    # Opset 11 moved the bounds from attributes to optional inputs.
    if node.opset < 11:
        lo, hi = node.attr_float("min", -inf), node.attr_float("max", inf)
    else:
        lo, hi = node.scalar(1, "min", -inf), node.scalar(2, "max", inf)
    return node.make(nn.ClipOp, node.input(0), min=lo, max=hi)


@converter("Gelu")
def gelu(node: Node) -> SSAValue:
    approximate = node.attr_str("approximate", "none")
    ops = {"none": elementwise.GeluOp, "tanh": elementwise.GeluTanhOp}
    if approximate not in ops:
        raise node.error(f"approximate {quote(approximate)} is not one of 'none', 'tanh'")
    return node.make(ops[approximate], node.input(0))


@converter("Concat")
def concat(node: Node) -> SSAValue:
    axis = node.attr_int("axis")
    inputs = [node.input(i) for i in range(len(node.proto.input))]
    return node.make(nn.ConcatOp, *inputs, axis=axis)


@converter("Flatten")
def flatten(node: Node) -> SSAValue:
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
    newshape = _resolve_shape(node, node.shape(0), node.const(1, "shape"))
    return node.make(nn.ReshapeOp, node.input(0), newshape=newshape)


@converter("Transpose")
def transpose(node: Node) -> SSAValue:
    rank = len(node.shape(0))
    perm = node.attr_ints("perm", tuple(reversed(range(rank))))
    return node.make(nn.TransposeOp, node.input(0), axes=perm)


def _matrix_weight(node: Node, i: int, op: str) -> np.ndarray:
    if len(node.shape(0)) != 2:
        raise node.error(f"{op} is supported for a 2-D input only, got shape {show(node.shape(0))}")
    weight = node.const(i, "weight")
    if weight.ndim != 2:
        raise node.error(f"{op} needs a 2-D weight, got shape {show(weight.shape)}")
    return weight


@converter("Gemm")
def gemm(node: Node) -> SSAValue:
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
    weight = _matrix_weight(node, 1, "MatMul")
    return node.make(nn.DenseOp, node.input(0), node.constant(weight.T, 1))


@converter("Softmax")
def softmax(node: Node) -> SSAValue:
    rank = len(node.shape(0))
    default = -1 if node.opset >= 13 else 1
    axis = _axis(node, node.attr_int("axis", default), rank)
    # Before opset 13 Softmax flattens to 2-D at `axis` and normalizes whole rows, which
    # is a one-axis softmax only when `axis` is the last axis.
    if node.opset < 13 and axis != rank - 1:
        raise node.error(
            f"opset {node.opset} Softmax normalizes over all axes from {axis} on; only the "
            f"last axis ({rank - 1}) is supported"
        )
    return node.make(nn.SoftmaxOp, node.input(0), axis=axis)


def _pad_amounts(node: Node, rank: int) -> tuple[np.ndarray, float]:
    """ONNX pads ([begins..., ends...]) over all axes, and the pad value."""
    if node.opset < 11:
        return np.array(node.attr_ints("pads")), node.attr_float("value", 0.0)
    pads = node.const(1, "pads").reshape(-1).astype(np.int64)
    value = node.scalar(2, "constant_value", 0.0)
    if not node.has_input(3):
        return pads, value
    axes = [_axis(node, int(a), rank) for a in node.const(3, "axes").reshape(-1)]
    full = np.zeros(2 * rank, np.int64)
    full[axes] = pads[: len(axes)]
    full[[a + rank for a in axes]] = pads[len(axes):]
    return full, value


@converter("Pad")
def pad(node: Node) -> SSAValue:
    mode = node.attr_str("mode", "constant")
    if mode != "constant":
        raise node.error(f"mode {quote(mode)} is not supported; only 'constant'")
    rank = len(node.shape(0))
    pads, value = _pad_amounts(node, rank)
    if len(pads) != 2 * rank:
        raise node.error(f"pads {show(pads)} need {2 * rank} values for rank {rank}")
    if pads.min(initial=0) < 0:
        raise node.error(f"negative pads {show(pads)} (cropping) are not supported")
    width = [int(p) for i in range(rank) for p in (pads[i], pads[i + rank])]
    return node.make(nn.PadOp, node.input(0), pad_width=width, pad_value=value)


RESIZE_METHODS = {"nearest": "nearest", "linear": "bilinear"}


def _resize_size(
    node: Node, shape: tuple[int, ...], scales: npt.ArrayLike | None, sizes: np.ndarray | None
) -> tuple[int, int]:
    if sizes is not None:
        out = tuple(int(s) for s in sizes.reshape(-1))
        if len(out) != 4 or out[:2] != shape[:2]:
            raise node.error(f"sizes {show(out)} must keep N and C of {show(shape)}")
        check_size(out, f"{node.label}: the output")
        return out[2], out[3]
    if scales is None:
        raise node.error("needs scales or sizes")
    factors = [float(s) for s in np.asarray(scales, np.float32).reshape(-1)]
    if len(factors) != 4 or factors[:2] != [1.0, 1.0]:
        raise node.error(f"scales {show(factors)} must be 4 values with 1 for N and C")
    if not all(isfinite(s) and s > 0 for s in factors):
        raise node.error(f"scales {show(factors)} must be finite and positive")
    h, w = (int(np.floor(d * s)) for d, s in zip(shape[2:], factors[2:]))
    check_size((*shape[:2], h, w), f"{node.label}: the output")
    # Coordinates follow the given scale; nn.resize2d derives it from the sizes, which
    # agrees only when the scaled extent is whole.
    for d, s, o in zip(shape[2:], factors[2:], (h, w)):
        if o < 1 or np.float32(o / d) != np.float32(s):
            raise node.error(f"scale {s} of an extent {d} does not give a whole output extent")
    return h, w


def _legacy_resize(node: Node, shape: tuple[int, ...]) -> tuple[tuple[int, int], str, str]:
    """Upsample and opset-10 Resize: asymmetric coordinates, scales only; ONNX Runtime
    floors nearest indices when upsampling and rounds them up when downsampling."""
    if node.has_attr("scales"):
        scales = np.array(node.attr_floats("scales"), np.float32)
    else:
        scales = node.const(1, "scales")
    size = _resize_size(node, shape, scales, None)
    up = [o >= d for o, d in zip(size, shape[2:])]
    if len(set(up)) != 1:
        raise node.error("upsampling one axis while downsampling the other is not supported")
    return size, "asymmetric", "floor" if up[0] else "ceil"


def _modern_resize(node: Node, shape: tuple[int, ...]) -> tuple[tuple[int, int], str, str]:
    for attr, ok in (("antialias", 0), ("exclude_outside", 0)):
        if node.attr_int(attr, ok) != ok:
            raise node.error(f"attribute {quote(attr)} is not supported")
    if node.attr_str("keep_aspect_ratio_policy", "stretch") != "stretch":
        raise node.error("keep_aspect_ratio_policy other than 'stretch' is not supported")
    if node.has_attr("axes"):
        raise node.error("attribute 'axes' is not supported; give scales for all 4 axes")
    scales = node.const(2, "scales") if node.has_input(2) else None
    if scales is not None and scales.size == 0:
        scales = None
    sizes = node.const(3, "sizes") if node.has_input(3) else None
    mode = node.attr_str("coordinate_transformation_mode", "half_pixel")
    nearest = node.attr_str("nearest_mode", "round_prefer_floor")
    if mode not in COORDINATE_MODES:
        raise node.error(f"coordinate_transformation_mode {quote(mode)} is not supported")
    if nearest not in NEAREST_MODES:
        raise node.error(f"nearest_mode {quote(nearest)} is not supported")
    return _resize_size(node, shape, scales, sizes), mode, nearest


@converter("Resize", "Upsample")
def resize(node: Node) -> SSAValue:
    shape = node.rank_4(0)
    method = node.attr_str("mode", "nearest")
    if method not in RESIZE_METHODS:
        raise node.error(f"mode {quote(method)} is not supported; only nearest and linear")
    legacy = node.op_type == "Upsample" or node.opset < 11
    size, mode, nearest = (_legacy_resize if legacy else _modern_resize)(node, shape)
    return node.make(
        nn.Resize2DOp, node.input(0), size=size, method=RESIZE_METHODS[method],
        coordinate_mode=mode, nearest_mode=nearest,
    )


@converter("ReduceMean")
def reduce_mean(node: Node) -> Result:
    rank = len(node.shape(0))
    # Opset 18 moved the axes from an attribute to an optional input.
    if node.opset < 18:
        axes = node.attr_ints("axes", ())
    else:
        axes = tuple(int(a) for a in node.const(1, "axes").reshape(-1)) if node.has_input(1) else ()
        if not axes and node.attr_int("noop_with_empty_axes", 0):
            return node.input_or_const(0)
    axes = tuple(_axis(node, a, rank) for a in axes) or tuple(range(rank))
    keepdims = bool(node.attr_int("keepdims", 1))
    return node.make(nn.MeanOp, node.input(0), axes=axes, keepdims=keepdims)


@converter("Identity")
def identity(node: Node) -> Result:
    return node.input_or_const(0)


@converter("Dropout")
def dropout(node: Node) -> Result:
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
    for name, read in CONSTANT_ATTRS.items():
        if node.has_attr(name):
            return np.asarray(read(node, name))
    raise node.error("only tensor, float(s) and int(s) values are supported")
