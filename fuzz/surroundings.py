"""Bad input that lies around the model rather than in it: ONNX external data files and
`--input` arrays. Each strategy returns a `Case` whose `extras` the oracle lays beside
the model before running the commands.
"""

from __future__ import annotations

import io
import pickle
from collections.abc import Callable
from functools import cache

import numpy as np
import onnx
from hypothesis import strategies as st
from onnx import ModelProto, TensorProto, numpy_helper

from relayout.fuzz.case import CACHE, EXAMPLE, Case, Draw, Extra

WEIGHTS = "w.bin"


# --- ONNX external data -------------------------------------------------------------------
@cache
def _external_seed() -> bytes:
    from relayout.frontend.models import gemm_softmax_head

    return gemm_softmax_head(size=8).SerializeToString()


def _raw(proto: TensorProto) -> bytes:
    return numpy_helper.to_array(proto).tobytes()


def _externalize(proto: TensorProto, location: str, offset: int = 0,
                 length: int | None = None) -> None:
    proto.ClearField("raw_data")
    proto.ClearField("float_data")
    proto.data_location = TensorProto.EXTERNAL
    del proto.external_data[:]
    entries = {"location": location, "offset": str(offset)}
    if length is not None:
        entries["length"] = str(length)
    for key, value in entries.items():
        proto.external_data.add(key=key, value=value)


def _target(draw: Draw, model: ModelProto) -> TensorProto:
    """A used initializer, a Constant node's tensor, or an initializer nothing reads."""
    graph = model.graph
    where = draw(st.sampled_from(["initializer", "constant", "unused"]))
    if where == "constant":
        scale = numpy_helper.from_array(np.full((1, 10), 0.5, np.float32), "scale_value")
        logits = graph.node[-1].input[0]
        graph.node.insert(len(graph.node) - 1, onnx.helper.make_node(
            "Constant", [], ["scale"], name="scale", value=scale))
        graph.node.insert(len(graph.node) - 1, onnx.helper.make_node(
            "Mul", [logits, "scale"], ["scaled"], name="mul"))
        graph.node[-1].input[0] = "scaled"
        return graph.node[-3].attribute[0].t
    if where == "unused":
        graph.initializer.append(numpy_helper.from_array(np.ones(68, np.float32), "unused"))
        return graph.initializer[-1]
    return max(graph.initializer, key=lambda t: len(t.raw_data))


def external_data(draw: Draw) -> Case:
    """A tensor whose data lives in a file beside the model, at a location that escapes
    the model's folder, is not a regular file, or holds the wrong number of bytes."""
    model = onnx.load_model_from_string(_external_seed())
    proto = _target(draw, model)
    data = _raw(proto)
    damage = draw(st.sampled_from([
        "none", "parent", "absolute", "symlink_out", "symlink_in", "missing", "fifo",
        "directory", "empty", "nul", "short", "long_length", "offset_past_end", "sparse",
    ]))
    extras = [Extra(WEIGHTS, data)]
    location, offset, length = WEIGHTS, 0, None
    match damage:
        case "parent":
            location = f"../{WEIGHTS}"
        case "absolute":
            location = "/etc/hostname"
        case "symlink_out" | "symlink_in":
            location = "link.bin"
            target = "/etc/hostname" if damage == "symlink_out" else WEIGHTS
            extras.append(Extra(location, target.encode(), "symlink"))
        case "missing":
            location = "missing.bin"
        case "fifo" | "directory":
            location = f"{damage}.bin"
            extras.append(Extra(location, b"", "fifo" if damage == "fifo" else "dir"))
        case "empty":
            location = ""
        case "nul":
            location = f"{WEIGHTS}\x00.txt"
        case "short":
            extras[0] = Extra(WEIGHTS, data[: len(data) // 2])
        case "long_length":
            length = len(data) * 1000
        case "offset_past_end":
            offset = 1 << 40
        case "sparse":
            # A 2 GiB hole where a few hundred bytes belong.
            extras[0] = Extra(WEIGHTS, b"", "sparse")
            length = 1 << 31
    _externalize(proto, location, offset, length)
    return Case("onnx/external_data", ".onnx", model.SerializeToString(),
                valid=damage == "none",
                extras=tuple(extras))


# --- --input arrays -----------------------------------------------------------------------
INPUT_SHAPE = (1, 3, 16, 16)
"""The argument of `EXAMPLE`'s @main."""


def _npy(array: np.ndarray) -> bytes:
    out = io.BytesIO()
    np.save(out, array, allow_pickle=True)
    return out.getvalue()


def _huge_header() -> bytes:
    """A header claiming 2^40 floats, followed by 16 bytes."""
    header = io.BytesIO()
    np.lib.format.write_array_header_1_0(
        header, {"descr": "<f4", "fortran_order": False, "shape": (1 << 40,)})
    return header.getvalue() + bytes(16)


def _npz() -> bytes:
    out = io.BytesIO()
    np.savez(out, x=np.zeros(INPUT_SHAPE, np.float32))
    return out.getvalue()


class _Evil:
    def __reduce__(self) -> tuple[Callable[..., object], tuple[str]]:
        return (print, ("pickle ran",))


INPUT_FILES: dict[str, Callable[[], bytes]] = {
    "float32": lambda: _npy(np.ones(INPUT_SHAPE, np.float32)),
    "float64_exact": lambda: _npy(np.full(INPUT_SHAPE, 0.5)),
    "int_small": lambda: _npy(np.arange(768).reshape(INPUT_SHAPE)),
    "bool": lambda: _npy(np.ones(INPUT_SHAPE, bool)),
    "float64_inexact": lambda: _npy(np.full(INPUT_SHAPE, 0.1)),
    "int_lossy": lambda: _npy(np.full(INPUT_SHAPE, (1 << 25) + 1, np.int64)),
    "complex": lambda: _npy(np.full(INPUT_SHAPE, 1 + 2j)),
    "datetime": lambda: _npy(np.zeros(INPUT_SHAPE, "datetime64[s]")),
    "structured": lambda: _npy(np.zeros(INPUT_SHAPE, [("a", "f4"), ("b", "i4")])),
    "strings": lambda: _npy(np.full(INPUT_SHAPE, "x")),
    "object": lambda: _npy(np.array([_Evil()] * 768, object).reshape(INPUT_SHAPE)),
    "pickle": lambda: pickle.dumps(_Evil()),
    "wrong_shape": lambda: _npy(np.ones((1, 16, 16, 3), np.float32)),
    "huge_header": _huge_header,
    "truncated": lambda: _npy(np.ones(INPUT_SHAPE, np.float32))[:-100],
    "npz": _npz,
    "text": lambda: b"1 2 3\n",
    "empty": lambda: b"",
}
VALID_INPUTS = {"float32", "float64_exact", "int_small", "bool"}


def input_file(draw: Draw) -> Case:
    """`relayout run` of a valid model with an `--input` file of any kind."""
    kind = draw(st.sampled_from(sorted(INPUT_FILES)))
    check = ("--check",) if draw(st.booleans()) else ()
    return Case("cli/input", ".mlir", EXAMPLE.read_bytes(), valid=kind in VALID_INPUTS,
                extras=(Extra("in.npy", INPUT_FILES[kind]()),),
                run_args=("--input", "@in.npy", *check))


# --- the emulator's compile cache -----------------------------------------------------------
TINY = b"""func.func @main(%x: tensor<1x4xf32>) -> tensor<1x4xf32> {
  %y = nn.relu %x : tensor<1x4xf32>
  func.return %y : tensor<1x4xf32>
}
"""


@cache
def _tiny_key() -> str:
    """The cache name of the library `relayout run --device emulate` builds for TINY."""
    from relayout.dialects.context import parse_module
    from relayout.lowering.cuda.plan import build_plan
    from relayout.runtime.emulate import host_source, library_key

    plan = build_plan(parse_module(TINY.decode()))
    return library_key(plan.source + host_source(plan))


def cache_tamper(draw: Draw) -> Case:
    """Files planted where the emulator caches the library it is about to build: none
    may be loaded, and nothing may be written through them."""
    folder = f"{CACHE}/relayout/emulate/{_tiny_key()}"
    junk = b"\x7fELF not a library"
    plants = {
        "world_writable": (Extra(f"{folder}.so", junk, mode=0o666),),
        "foreign": (Extra(f"{folder}.so", junk, foreign=True),),
        "so_symlink": (Extra("junk.so", junk), Extra(f"{folder}.so", b"../../../junk.so",
                                                          "symlink")),
        "cpp_symlink": (Extra("victim.txt", b"keep me"),
                        Extra(f"{folder}.cpp", b"../../../victim.txt", "symlink")),
    }
    return Case("cli/cache_tamper", ".mlir", TINY, valid=True,
                extras=plants[draw(st.sampled_from(sorted(plants)))],
                run_args=("--device", "emulate"))


SURROUNDINGS: dict[str, Callable[[Draw], Case]] = {
    "onnx/external_data": external_data,
    "cli/input": input_file,
    "cli/cache_tamper": cache_tamper,
}
