"""The torchvision zoo fixtures (``*.onnx`` beside this file, written by
``make_fixtures.py``) and how their stripped weights are put back.

A fixture keeps the graph, every integer tensor and every float tensor under
``STRIP_MIN`` elements; larger float tensors (weights) keep name, dims and data type but
no data. ``refill`` gives them seeded values that keep activations of order one, chosen
by the first node that reads them (uniform draws, four times faster than normal ones on
the 68M weights of Wide ResNet-50, with the variance given):

- Conv weight: mean 0, variance 1/fan_in, fan_in = input channels per group x kernel
  area; Gemm and MatMul weights: mean 0, variance 1/fan_in over the reduced axis;
- BatchNormalization: scale U(0.8, 1.2), bias and running mean mean 0 and standard
  deviation 0.1, running variance U(0.5, 1.5); LayerNormalization: scale U(0.8, 1.2),
  bias as BatchNormalization's;
- a factor (Mul, Div: ConvNeXt's layer scale): U(0.8, 1.2); anything else (biases,
  added constants): mean 0, standard deviation 0.1.

Each tensor's generator is seeded by the seed and the tensor's name, so values do not
depend on the order of the graph.
"""

from __future__ import annotations

import json
import math
import zlib
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import onnx
from onnx import GraphProto, ModelProto, TensorProto, numpy_helper

ZOO = Path(__file__).resolve().parent

EXPORTERS = ("torchscript", "dynamo")
"""``torch.onnx.export(dynamo=False, opset_version=17)`` and the default exporter."""

STRIP_MIN = 16
"""Float tensors of at least this many elements are stored without data."""

FLOAT_TYPES = (TensorProto.FLOAT, TensorProto.FLOAT16, TensorProto.DOUBLE,
               TensorProto.BFLOAT16)

SPATIAL_OUTPUT = frozenset({"fcn_resnet50", "deeplabv3_mobilenet_v3_large",
                            "lraspp_mobilenet_v3_large"})
"""Segmentation models: their NCHW output is a second boundary transform."""


def manifest() -> dict[str, dict[str, str | int]]:
    """model -> input size and, per exporter, "ok" or why the export failed."""
    result: dict[str, dict[str, str | int]] = json.loads((ZOO / "manifest.json").read_text())
    return result


def fixtures() -> list[tuple[str, str]]:
    """(model, exporter) of every fixture file, in the manifest's order."""
    return [(model, exporter) for model in manifest() for exporter in EXPORTERS
            if (ZOO / f"{model}.{exporter}.onnx").exists()]


def float_tensors(graph: GraphProto) -> Iterator[tuple[str, TensorProto]]:
    """The float initializers and Constant node values of ``graph``, with the name of
    the value each defines."""
    yield from ((t.name, t) for t in graph.initializer if t.data_type in FLOAT_TYPES)
    for node in graph.node:
        if node.op_type == "Constant":
            for attr in node.attribute:
                if attr.name == "value" and attr.t.data_type in FLOAT_TYPES:
                    yield node.output[0], attr.t


def is_stripped(tensor: TensorProto) -> bool:
    return math.prod(tensor.dims) > 0 and not any(
        tensor.HasField(f) if f == "raw_data" else len(getattr(tensor, f))
        for f in ("raw_data", "float_data", "double_data", "int32_data", "external_data"))


def load(model: str, exporter: str, seed: int = 0) -> ModelProto:
    """The fixture with its weights refilled."""
    return refill(onnx.load(str(ZOO / f"{model}.{exporter}.onnx")), seed)


def refill(proto: ModelProto, seed: int = 0) -> ModelProto:
    """``proto`` with every stripped tensor given values (see the module), in place."""
    readers: dict[str, tuple[onnx.NodeProto, int]] = {}
    for node in proto.graph.node:
        for i, name in enumerate(node.input):
            readers.setdefault(name, (node, i))
    for name, tensor in float_tensors(proto.graph):
        if not is_stripped(tensor):
            continue
        rng = np.random.default_rng([seed, zlib.crc32(name.encode())])
        shape = tuple(tensor.dims)
        values = _values(rng, shape, readers.get(name))
        dtype = onnx.helper.tensor_dtype_to_np_dtype(tensor.data_type)
        tensor.CopyFrom(numpy_helper.from_array(values.astype(dtype), tensor.name))
    return proto


def _values(rng: np.random.Generator, shape: tuple[int, ...],
            reader: tuple[onnx.NodeProto, int] | None) -> np.ndarray:
    node, index = reader if reader else (None, -1)
    op = node.op_type if node else ""
    fan_in = 0
    if op == "Conv" and index == 1:
        fan_in = math.prod(shape[1:])
    elif op == "Gemm" and index == 1:
        trans_b = any(a.name == "transB" and a.i for a in node.attribute) if node else False
        fan_in = shape[1] if trans_b else shape[0]
    elif op == "MatMul" and index == 1:
        fan_in = shape[-2] if len(shape) > 1 else shape[0]
    if op == "BatchNormalization" and index == 4:
        low, high = 0.5, 1.5
    elif (op in ("BatchNormalization", "LayerNormalization") and index == 1) or op in (
            "Mul", "Div"):
        low, high = 0.8, 1.2
    else:
        # U(-a, a) has variance a^2 / 3.
        a = math.sqrt(3 / fan_in) if fan_in else math.sqrt(3) * 0.1
        low, high = -a, a
    values = rng.random(shape, dtype=np.float32)
    values *= high - low
    values += low
    return values


def inputs(proto: ModelProto, seed: int = 0) -> dict[str, np.ndarray]:
    """N(0, 1) values for the graph's inputs (those that are not initializers)."""
    rng = np.random.default_rng(seed)
    initializers = {t.name for t in proto.graph.initializer}
    feeds = {}
    for value in proto.graph.input:
        if value.name in initializers:
            continue
        shape = [d.dim_value for d in value.type.tensor_type.shape.dim]
        feeds[value.name] = rng.standard_normal(shape).astype(np.float32)
    return feeds
