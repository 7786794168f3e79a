"""One model of each torchvision family, as both PyTorch exporters write it
(test/frontend/zoo/, made by make_fixtures.py; no PyTorch needed here): it imports,
matches ONNX Runtime, and converts to NHWC keeping only the boundary transforms (the
input; and the output where it is spatial), none with io-layout NHWC, with the same
numbers. The fixtures' weights are refilled with seeded values (zoo/fixtures.py).

A model that cannot convert yet is an xfail naming its error, strict so that it fails
as soon as the missing piece lands and the mark must go.
"""

from __future__ import annotations

import numpy as np
import onnxruntime as ort
import pytest
from xdsl.dialects.builtin import ModuleOp

from relayout import api
from relayout import layout as L
from relayout.cli import transforms
from relayout.frontend.onnx_import import from_onnx
from relayout.interpreters.nn import interpret
from relayout.test.frontend.zoo.fixtures import (
    EXPORTERS,
    SPATIAL_OUTPUT,
    fixtures,
    inputs,
    load,
)

XFAIL: dict[tuple[str, str], str] = {}
"""(model, exporter) -> the error that stops it today."""

SLOW = {(m, e) for m in ("vgg11", "alexnet", "wide_resnet50_2") for e in EXPORTERS}
"""The longest checks (20-35 s each on 2 cores: 60-130M weights to refill, import and
fold); ResNet-50 variants, and plain conv, pool and dense stacks, are covered by the
other models."""


def _params() -> list:
    params = []
    for model, exporter in fixtures():
        marks = []
        if (model, exporter) in XFAIL:
            marks.append(pytest.mark.xfail(strict=True, reason=XFAIL[model, exporter]))
        if (model, exporter) in SLOW:
            marks.append(pytest.mark.slow)
        params.append(pytest.param(model, exporter, marks=marks, id=f"{model}-{exporter}"))
    return params


def _optimized(module: ModuleOp, io_layout: str | None) -> ModuleOp:
    return api.optimize(module.clone(), ("NHWC", "default"), io_layout)


@pytest.mark.parametrize("model, exporter", _params())
def test_converts_to_nhwc(model: str, exporter: str, close_to_magnitude) -> None:
    proto = load(model, exporter)
    feeds = inputs(proto)
    session = ort.InferenceSession(proto.SerializeToString(),
                                   providers=["CPUExecutionProvider"])
    (want,) = session.run(None, feeds)
    assert np.abs(want).max() > 1e-2, "the refilled weights let the signal die out"
    x = list(feeds.values())
    module = from_onnx(proto)
    (got,) = interpret(module, x)
    close_to_magnitude(got, want)

    nhwc = _optimized(module, None)
    kept = 2 if model in SPATIAL_OUTPUT else 1
    assert len(transforms(nhwc)) <= kept, [str(e) for e in api.explain(nhwc)]
    (got,) = interpret(nhwc, x)
    close_to_magnitude(got, want)

    io = _optimized(module, "NHWC")
    assert transforms(io) == [], [str(e) for e in api.explain(io)]
    (got,) = interpret(io, [L.transform(a, "NCHW", "NHWC") for a in x])
    if got.ndim == 4:
        got = L.transform(got, "NHWC", "NCHW")
    close_to_magnitude(got, want)


EMULATED = [("resnet18", "dynamo"), ("mobilenet_v3_small", "torchscript"),
            ("shufflenet_v2_x0_5", "dynamo"), ("squeezenet1_1", "torchscript"),
            ("convnext_tiny", "dynamo")]
"""Models whose NHWC CUDA C is run whole at the fixture's input size: 3-15 s each on 2
cores with a cold compile cache (import, g++ and the emulated run), 31 s together;
bench/torchvision_zoo.py's emulate column covers the rest (bench/results/)."""


@pytest.mark.parametrize("model, exporter", EMULATED,
                         ids=[f"{m}-{e}" for m, e in EMULATED])
def test_nhwc_cuda_c_computes_as_the_interpreter(model: str, exporter: str, backend: str,
                                                   close_to_magnitude) -> None:
    proto = load(model, exporter)
    x = list(inputs(proto).values())
    nhwc = _optimized(from_onnx(proto), None)
    (got,) = api.run(nhwc, x, backend)
    (want,) = interpret(nhwc, x)
    close_to_magnitude(got, want)
