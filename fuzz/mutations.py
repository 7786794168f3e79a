"""Hypothesis strategies for bad input: valid textual IR and ONNX models, each mutated by
one class of damage a user's file may carry.

`IR_MUTATIONS` and `ONNX_MUTATIONS` map a mutation class to a mutator, and
`SURROUNDINGS` (in `surroundings.py`) the classes whose damage lies in the files around
the model; `cases(kind)` draws a `Case` of any class. A mutator gets hypothesis' ``draw`` and a seed and returns
the damaged input; the hostile-name classes keep the model valid, so the oracle also
demands that they succeed.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache

import numpy as np
import onnx
from hypothesis import strategies as st
from onnx import AttributeProto, ModelProto, TensorProto, helper, numpy_helper

from relayout.fuzz.case import EXAMPLE, Case, Draw, pick
from relayout.fuzz.surroundings import SURROUNDINGS

# Text a user may put in a name that would break C, a C comment, MLIR or a shell line if
# pasted unchecked; each is distinctive enough that finding it in generated C is a leak.
HOSTILE = (
    '"); evil(); //',
    "*/ evil(); /*",
    "\n#include <evil.h>\n",
    "// HOSTILE",
    "# HOSTILE",
    "back\\slash\\",
    "it's \"quoted\"",
    "naïve—名前✓",
    "tab\there\r\n",
)

HUGE_DIMS = (100000, 1 << 31, 10**12)
# Small values keep some mutants valid but unusual (stride 3, axis 2), which reach the
# lowering; the rest must be refused.
BAD_INTS = (-(1 << 63), -(10**9), -2, -1, 0, 1, 2, 3, 7, 1 << 31, 10**12, (1 << 63) - 1)
BAD_FLOATS = (float("nan"), float("inf"), float("-inf"), -1.0, 0.0, 3.4e38, 1e-45)


# --- textual IR ---------------------------------------------------------------------------
@cache
def ir_seeds() -> tuple[str, ...]:
    """The shipped example as written and fused, and small imported networks."""
    from relayout import api
    from relayout.dialects.context import make_context
    from relayout.frontend.models import gemm_softmax_head, unet
    from relayout.frontend.onnx_import import from_onnx
    from relayout.passes.fuse_ops import FuseOpsPass

    example = EXAMPLE.read_text()
    fused = api.optimize(api.parse_module(example), "NHWC")
    FuseOpsPass().apply(make_context(), fused)
    nets = [from_onnx(gemm_softmax_head(size=8)), from_onnx(unet(size=8, width=2))]
    return (example, str(fused), *map(str, nets))


def replace_one(draw: Draw, text: str, pattern: str, new: Callable[[str], str]) -> str:
    """``text`` with one match of ``pattern`` (drawn) replaced by ``new(match)``."""
    matches = list(re.finditer(pattern, text))
    if not matches:
        return text
    m = pick(draw, matches)
    return text[: m.start()] + new(m.group()) + text[m.end():]


def mlir_string(text: str) -> str:
    """``text`` as an MLIR string literal, so the hostile text itself reaches the IR."""
    escaped = "".join(c if c.isprintable() and c not in '"\\' else f"\\{ord(c):02X}"
                      for c in text)
    return f'"{escaped}"'


def ir_truncate(draw: Draw, text: str) -> str:
    return text[: draw(st.integers(0, len(text) - 1))]


def ir_wrong_type(draw: Draw, text: str) -> str:
    other = draw(st.sampled_from(["i32", "f64", "f16", "i1", "index", "complex<f32>"]))
    if draw(st.booleans()):
        return replace_one(draw, text, r"\bf32\b", lambda _: other)
    shapes = ["tensor<?x3xf32>", "tensor<*xf32>", "memref<4xf32>", "tensor<4xf32>", "f32",
              "tensor<1x3x16x16xf32>", "tensor<f32>", "vector<4xf32>", "none"]
    return replace_one(draw, text, r"tensor<[^<>]*>", lambda _: draw(st.sampled_from(shapes)))


def ir_unknown_op(draw: Draw, text: str) -> str:
    names = ["nn.frobnicate", "nn.relu2", "foo.bar", "nn", "nn.", "func.call", "nn.yield",
             "nn.fused", "nn.constant", "builtin.module", "test.op"]
    return replace_one(draw, text, r"\b(nn|func)\.[a-z_0-9]+\b",
                       lambda _: draw(st.sampled_from(names)))


def ir_bad_layout(draw: Draw, text: str) -> str:
    bad = ["NHWQ", "", "NCHW16c", "NC", "nchw", "NNHW", "NCHW0c", "NCHW-4c", "NHWC4c",
           "NCHW99999999999999999999c", "OIHW", "HWIO", "NCHW16c16c", "N C H W"]
    return replace_one(draw, text, r'"[NCHWOIhwco0-9]+"',
                       lambda _: f'"{draw(st.sampled_from(bad))}"')


def ir_negative_size(draw: Draw, text: str) -> str:
    size = draw(st.sampled_from(["-1", "-3", "0", "-0", "?"]))
    return replace_one(draw, text, r"(?<=[<x])\d+(?=x)", lambda _: size)


def ir_huge_shape(draw: Draw, text: str) -> str:
    if draw(st.booleans()):
        dim = str(draw(st.sampled_from(HUGE_DIMS)))
        return replace_one(draw, text, r"(?<=[<x])\d+(?=x)", lambda _: dim)
    # Every occurrence, so the module still verifies and the size check must catch it.
    old = pick(draw, re.findall(r"tensor<[0-9x]+f32>", text) or ["tensor<f32>"])
    return text.replace(old, "tensor<100000x100000x100000xf32>")


def ir_bad_attr(draw: Draw, text: str) -> str:
    value = str(draw(st.sampled_from(BAD_INTS)))
    if draw(st.booleans()):
        return replace_one(draw, text, r"(?<=array<i64: )[-0-9, ]*(?=>)",
                           lambda old: ", ".join([value] * len(old.split(","))))
    return replace_one(draw, text, r"-?\d+(?= : i64)", lambda _: value)


def ir_hostile_string(draw: Draw, text: str) -> str:
    hostile = mlir_string(draw(st.sampled_from(HOSTILE)))
    return replace_one(draw, text, r'"(?:[^"\\]|\\.)*"', lambda _: hostile)


def ir_noise(draw: Draw, text: str) -> str:
    """Byte-level damage: a span deleted, duplicated or overwritten with junk."""
    start = draw(st.integers(0, len(text) - 1))
    end = min(len(text), start + draw(st.integers(1, 40)))
    junk = draw(st.sampled_from(["", text[start:end] * 2, "}", "{", ")", "%", "^bb0:", "<<",
                                 "\x00", "\\", '"', "dense<", "0x"]))
    return text[:start] + junk + text[end:]


DEPTHS = (50, 300, 3000, 5000)


def ir_deep_nesting(draw: Draw, text: str) -> str:
    """Arrays, dictionaries, function types or modules nested thousands deep, which
    recursive-descent parsing turns into a RecursionError."""
    depth = draw(st.sampled_from(DEPTHS))
    kind = draw(st.sampled_from(["array", "dict", "type", "module"]))
    if kind == "module":
        return "builtin.module {\n" * depth + text + "}\n" * depth
    if kind == "type":
        nested = "(" * depth + "f32" + ") -> f32" * depth
        return f"func.func private @t() -> ({nested})\n{text}"
    nested = "[" * depth + "1" + "]" * depth if kind == "array" \
        else "{a = " * depth + "1" + "}" * depth
    return replace_one(draw, text, r"\{(?=padding|pool_size)", lambda _: f"{{deep = {nested}, ")


CALL_MAIN = (
    "func.func @main(%x: tensor<1x4xf32>) -> tensor<1x4xf32> {{\n"
    "  %y = func.call @{callee}(%x) : (tensor<1x4xf32>) -> tensor<1x4xf32>\n"
    "  func.return %y : tensor<1x4xf32>\n}}\n"
)
HELPER = (
    "func.func @{name}(%x: tensor<1x4xf32>) -> tensor<1x4xf32> {{\n"
    "  {body}\n"
    "  func.return %y : tensor<1x4xf32>\n}}\n"
)
CALLS = (
    # Recursion, direct and mutual.
    CALL_MAIN.format(callee="main"),
    HELPER.format(name="f", body="%y = func.call @main(%x) : (tensor<1x4xf32>) -> "
                  "tensor<1x4xf32>") + CALL_MAIN.format(callee="f"),
    # A helper, an undefined callee, an external @main, no @main.
    HELPER.format(name="helper", body="%y = nn.relu %x : tensor<1x4xf32>")
    + CALL_MAIN.format(callee="helper"),
    CALL_MAIN.format(callee="nowhere"),
    "func.func private @main(tensor<1x4xf32>) -> tensor<1x4xf32>\n",
    HELPER.format(name="other", body="%y = nn.relu %x : tensor<1x4xf32>"),
)


def ir_calls(draw: Draw, text: str) -> str:
    """Call graphs: recursion, helpers, missing or external callees, no @main."""
    return draw(st.sampled_from(CALLS))


# Sizes past what 32-bit index math or memory can hold, and around the edges of both.
EXTENTS = (0, 1 << 16, (1 << 31) - 1, 1 << 31, 1 << 40, (1 << 63) - 1)


def ir_extreme_extents(draw: Draw, text: str) -> str:
    """A window, stride, dilation or padding far past the image."""
    value = str(draw(st.sampled_from(EXTENTS)))
    def widen(attr: str) -> str:
        name, values = attr.split("array<i64: ")
        return f"{name}array<i64: {', '.join([value] * len(values.split(',')))}"

    return replace_one(draw, text, r"(?:padding|pool_size|strides|dilations) = array<i64: "
                       r"[-0-9, ]*(?=>)", widen)


IR_MUTATIONS: dict[str, Callable[[Draw, str], str]] = {
    "ir/truncate": ir_truncate,
    "ir/wrong_type": ir_wrong_type,
    "ir/unknown_op": ir_unknown_op,
    "ir/bad_layout": ir_bad_layout,
    "ir/negative_size": ir_negative_size,
    "ir/huge_shape": ir_huge_shape,
    "ir/bad_attr": ir_bad_attr,
    "ir/hostile_string": ir_hostile_string,
    "ir/noise": ir_noise,
    "ir/deep_nesting": ir_deep_nesting,
    "ir/calls": ir_calls,
    "ir/extreme_extents": ir_extreme_extents,
}


# --- ONNX ---------------------------------------------------------------------------------
def _elementwise_seed() -> ModelProto:
    """Clip with Constant bounds, Pad with a value, AveragePool, Mul by an initializer,
    Transpose, Reshape and Softmax: the float attributes and constant inputs."""
    def const(name: str, array: np.ndarray) -> onnx.NodeProto:
        return helper.make_node("Constant", [], [name], name=f"{name}_node",
                                value=numpy_helper.from_array(array, f"{name}_value"))

    nodes = [
        const("lo", np.array(0, np.float32)), const("hi", np.array(6, np.float32)),
        helper.make_node("Clip", ["x", "lo", "hi"], ["c"], name="clip"),
        const("pads", np.array([0, 0, 1, 1, 0, 0, 1, 1], np.int64)),
        const("pad_value", np.array(0.5, np.float32)),
        helper.make_node("Pad", ["c", "pads", "pad_value"], ["p"], name="pad"),
        helper.make_node("AveragePool", ["p"], ["a"], name="pool", kernel_shape=[2, 2],
                         strides=[2, 2], count_include_pad=1),
        helper.make_node("Mul", ["a", "scale"], ["m"], name="mul"),
        helper.make_node("Transpose", ["m"], ["t"], name="transpose", perm=[0, 2, 3, 1]),
        const("shape", np.array([1, -1], np.int64)),
        helper.make_node("Reshape", ["t", "shape"], ["r"], name="reshape"),
        helper.make_node("Softmax", ["r"], ["y"], name="softmax", axis=-1),
    ]
    scale = numpy_helper.from_array(np.full((1, 4, 1, 1), 0.5, np.float32), "scale")
    graph = helper.make_graph(
        nodes, "elementwise", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 4, 6, 6])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 64])], [scale],
    )
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], ir_version=8)


@cache
def onnx_seeds() -> tuple[bytes, ...]:
    from relayout.frontend.models import gemm_softmax_head, unet

    models = [gemm_softmax_head(size=8), unet(size=8, width=2), _elementwise_seed()]
    return tuple(m.SerializeToString() for m in models)


def onnx_truncate(draw: Draw, data: bytes) -> bytes:
    return data[: draw(st.integers(0, len(data) - 1))]


def onnx_corrupt(draw: Draw, data: bytes) -> bytes:
    flips = draw(st.lists(st.tuples(st.integers(0, len(data) - 1), st.integers(1, 255)),
                          min_size=1, max_size=8))
    out = bytearray(data)
    for at, mask in flips:
        out[at] ^= mask
    return bytes(out)


def _attributes(model: ModelProto) -> list[tuple[onnx.NodeProto, int]]:
    return [(n, i) for n in model.graph.node for i in range(len(n.attribute))]


def onnx_wrong_attr_type(draw: Draw, model: ModelProto) -> None:
    node, i = pick(draw, _attributes(model))
    name = node.attribute[i].name
    value = draw(st.sampled_from([1, 2.5, "NOTSET", b"\xff\xfe", [1, 2], [0.5], ["a", "b"],
                                  numpy_helper.from_array(np.zeros(2, np.float32))]))
    node.attribute[i].CopyFrom(helper.make_attribute(name, value))


def onnx_bad_attr_value(draw: Draw, model: ModelProto) -> None:
    node, i = pick(draw, _attributes(model))
    attr = node.attribute[i]
    if attr.type == AttributeProto.FLOAT:
        attr.f = draw(st.sampled_from(BAD_FLOATS))
    elif attr.type in (AttributeProto.INT, AttributeProto.INTS):
        value = draw(st.sampled_from(BAD_INTS))
        attr.i = value
        attr.ints[:] = [value] * len(attr.ints)
    elif attr.type == AttributeProto.STRING:
        attr.s = draw(st.sampled_from(HOSTILE)).encode()
    else:
        _bad_tensor_values(draw, attr.t)


def _bad_tensor_values(draw: Draw, proto: TensorProto) -> None:
    array = numpy_helper.to_array(proto)
    bad = BAD_FLOATS if array.dtype.kind == "f" else BAD_INTS
    filled = np.full(array.shape, draw(st.sampled_from(bad))).astype(array.dtype)
    proto.CopyFrom(numpy_helper.from_array(filled, proto.name))


def onnx_bad_constant_value(draw: Draw, model: ModelProto) -> None:
    """NaN, infinite, negative or huge values in an initializer or Constant."""
    tensors = [*model.graph.initializer,
               *(a.t for n in model.graph.node for a in n.attribute
                 if a.type == AttributeProto.TENSOR)]
    _bad_tensor_values(draw, pick(draw, tensors))


def onnx_missing_initializer(draw: Draw, model: ModelProto) -> None:
    graph = model.graph
    constants = [n for n in graph.node if n.op_type == "Constant"]
    if constants and bool(draw(st.booleans())):
        graph.node.remove(pick(draw, constants))
    else:
        del graph.initializer[draw(st.integers(0, len(graph.initializer) - 1))]


def onnx_unsupported_op(draw: Draw, model: ModelProto) -> None:
    node = pick(draw, list(model.graph.node))
    if draw(st.booleans()):
        node.domain = draw(st.sampled_from(["com.microsoft", "ai.onnx.ml", "custom"]))
    else:
        node.op_type = draw(st.sampled_from(
            ["LpNormalization", "ConvTranspose", "Loop", "If", "Frobnicate", "", "Conv",
             "Relu", "Gemm", "Resize", "Concat", "Constant"]))


def onnx_hostile_names(draw: Draw, model: ModelProto) -> None:
    """Renames every node, the graph and every tensor (consistently) to hostile text:
    still a valid model."""
    rename: dict[str, str] = {}

    def hostile(old: str) -> str:
        if old and old not in rename:
            rename[old] = f"{draw(st.sampled_from(HOSTILE))}{len(rename)}"
        return rename.get(old, old)

    graph = model.graph
    graph.name = draw(st.sampled_from(HOSTILE))
    graph.doc_string = draw(st.sampled_from(HOSTILE))
    for i, node in enumerate(graph.node):
        # Numbered: node names must be distinct (the importer refuses duplicates).
        node.name = f"{draw(st.sampled_from(HOSTILE))}{i}"
        node.input[:] = [hostile(n) for n in node.input]
        node.output[:] = [hostile(n) for n in node.output]
    for value in (*graph.input, *graph.output, *graph.value_info, *graph.initializer):
        value.name = hostile(value.name)


def _tensor_types(model: ModelProto) -> list[onnx.TypeProto.Tensor]:
    graph = model.graph
    return [v.type.tensor_type for v in (*graph.input, *graph.output)]


def onnx_huge_dims(draw: Draw, model: ModelProto) -> None:
    """A graph input, initializer or Constant claiming far more elements than exist."""
    dims = draw(st.lists(st.sampled_from(HUGE_DIMS), min_size=2, max_size=4))
    tensors = [*model.graph.initializer,
               *(a.t for n in model.graph.node for a in n.attribute
                 if a.type == AttributeProto.TENSOR)]
    if draw(st.booleans()):
        shape = pick(draw, _tensor_types(model)).shape
        shape.ClearField("dim")
        for d in dims:
            shape.dim.add().dim_value = d
    else:
        pick(draw, tensors).dims[:] = dims


def onnx_negative_dims(draw: Draw, model: ModelProto) -> None:
    value = draw(st.sampled_from([-1, -4, 0]))
    if draw(st.booleans()):
        dims = pick(draw, _tensor_types(model)).shape.dim
        pick(draw, list(dims)).dim_value = value
    else:
        t = pick(draw, list(model.graph.initializer))
        t.dims[draw(st.integers(0, len(t.dims) - 1))] = value


def onnx_wrong_types(draw: Draw, model: ModelProto) -> None:
    kind = draw(st.sampled_from([TensorProto.DOUBLE, TensorProto.INT64, TensorProto.FLOAT16,
                                 TensorProto.STRING, TensorProto.BOOL, 0, 999]))
    if draw(st.booleans()):
        pick(draw, _tensor_types(model)).elem_type = kind
    else:
        pick(draw, list(model.graph.initializer)).data_type = kind


WINDOW_ATTRS = ("kernel_shape", "pads", "strides", "dilations")
SCALES = (float("inf"), float("nan"), -2.0, 0.0, 1e-30, 1e30, 65536.0)


def onnx_extreme_extents(draw: Draw, model: ModelProto) -> None:
    """A pool or conv window, padding, stride or dilation far past the image, or
    Resize scales that are not finite, not positive, or enormous."""
    graph = model.graph
    resizes = [n for n in graph.node if n.op_type == "Resize"]
    if resizes and bool(draw(st.booleans())):
        scales = pick(draw, resizes).input[2]
        constant = next(n for n in graph.node if scales in n.output)
        constant.attribute[0].t.CopyFrom(numpy_helper.from_array(
            np.array([1, 1, draw(st.sampled_from(SCALES)), 2], np.float32), scales))
        return
    windows = [(n, a) for n in graph.node for a in n.attribute if a.name in WINDOW_ATTRS]
    _, attr = pick(draw, windows)
    attr.ints[:] = [draw(st.sampled_from(EXTENTS))] * len(attr.ints)


ONNX_MUTATIONS: dict[str, Callable[[Draw, ModelProto], None]] = {
    "onnx/wrong_attr_type": onnx_wrong_attr_type,
    "onnx/bad_attr_value": onnx_bad_attr_value,
    "onnx/bad_constant_value": onnx_bad_constant_value,
    "onnx/missing_initializer": onnx_missing_initializer,
    "onnx/unsupported_op": onnx_unsupported_op,
    "onnx/hostile_names": onnx_hostile_names,
    "onnx/huge_dims": onnx_huge_dims,
    "onnx/negative_dims": onnx_negative_dims,
    "onnx/wrong_types": onnx_wrong_types,
    "onnx/extreme_extents": onnx_extreme_extents,
}
ONNX_BYTE_MUTATIONS: dict[str, Callable[[Draw, bytes], bytes]] = {
    "onnx/truncate": onnx_truncate,
    "onnx/corrupt": onnx_corrupt,
}
VALID = {"onnx/hostile_names"}

# Extents that still verify must also compute the right numbers in the generated C.
EMULATED = ("--device", "emulate", "--check")

KINDS = (*IR_MUTATIONS, *ONNX_MUTATIONS, *ONNX_BYTE_MUTATIONS, *SURROUNDINGS)


@st.composite
def cases(draw: Draw, kind: str) -> Case:
    if kind in SURROUNDINGS:
        return SURROUNDINGS[kind](draw)
    run_args = EMULATED if kind in ("ir/extreme_extents", "onnx/extreme_extents") else ()
    if kind in IR_MUTATIONS:
        text = IR_MUTATIONS[kind](draw, draw(st.sampled_from(ir_seeds())))
        return Case(kind, ".mlir", text.encode(), run_args=run_args)
    data = draw(st.sampled_from(onnx_seeds()))
    if kind in ONNX_BYTE_MUTATIONS:
        return Case(kind, ".onnx", ONNX_BYTE_MUTATIONS[kind](draw, data))
    model = onnx.load_model_from_string(data)
    ONNX_MUTATIONS[kind](draw, model)
    return Case(kind, ".onnx", model.SerializeToString(), kind in VALID, run_args=run_args)
