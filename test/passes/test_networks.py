"""Whole networks (built with the frontend's model builders) through optimize-layout:
the transforms kept are exactly those that must move data, none on weights, and the
numbers do not change."""

import numpy as np
import pytest

from relayout import layout as L
from relayout.dialects.nn import Conv2DOp, LayoutTransformOp
from relayout.frontend import models
from relayout.frontend.onnx_import import from_onnx
from relayout.interpreters.nn import interpret
from relayout.passes.explain_layout import explain
from relayout.passes.pipeline import run_pipeline

SIZE = 32


def _net(name):
    return from_onnx(models.EXAMPLES[name](size=SIZE))


def _input(module):
    (arg,) = next(iter(module.body.block.ops)).args
    return np.random.default_rng(1).random(arg.type.get_shape(), dtype=np.float32)


def _transforms(module):
    return [op for op in module.walk() if isinstance(op, LayoutTransformOp)]


CLASSIFIERS = ["resnet18", "resnet50", "mobilenet_v2", "squeezenet", "gemm_softmax"]


@pytest.mark.parametrize(
    "name, kept", [(n, 1) for n in CLASSIFIERS] + [("unet", 2)]
)
def test_nhwc_keeps_only_boundary_transforms(name, kept):
    module = _net(name)
    x = _input(module)
    expected = interpret(module, [x])
    run_pipeline(module, "optimize-layout{conv2d=NHWC,default}")
    transforms = _transforms(module)
    assert len(transforms) == kept
    assert all("function boundary" in e.reason for e in explain(module))
    assert all(op.data_layout.data == "NHWC" for op in module.walk() if isinstance(op, Conv2DOp))
    for a, e in zip(interpret(module, [x]), expected, strict=True):
        np.testing.assert_allclose(a, e, rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("name", CLASSIFIERS + ["unet"])
def test_io_layout_leaves_no_transform(name):
    module = _net(name)
    x = _input(module)
    expected = interpret(module, [x])
    run_pipeline(module, "optimize-layout{conv2d=NHWC,default io-layout=NHWC}")
    assert _transforms(module) == []
    actual = interpret(module, [L.transform(x, "NCHW", "NHWC")])
    for a, e in zip(actual, expected, strict=True):
        a = L.transform(a, "NHWC", "NCHW") if a.ndim == 4 else a
        np.testing.assert_allclose(a, e, rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("name", ["resnet18", "mobilenet_v2", "squeezenet", "unet"])
def test_blocked_layout_keeps_meaning(name):
    module = _net(name)
    x = _input(module)
    expected = interpret(module, [x])
    run_pipeline(module, "optimize-layout{conv2d=NCHW16c,default}")
    blocked = [op for op in module.walk() if isinstance(op, Conv2DOp)
               and op.data_layout.data == "NCHW16c"]
    assert blocked
    weights = [op for op in _transforms(module) if op.src_layout.data.startswith("O")]
    assert weights == []
    for a, e in zip(interpret(module, [x]), expected, strict=True):
        np.testing.assert_allclose(a, e, rtol=1e-4, atol=1e-5)


def test_resnet18_blocked_stem_reads_nchw_and_nothing_moves():
    module = _net("resnet18")
    run_pipeline(module, "optimize-layout{conv2d=NCHW16c,default}")
    convs = [op for op in module.walk() if isinstance(op, Conv2DOp)]
    # 3 input channels do not block by 16: the stem reads them in NCHW, writes NCHW16c.
    assert convs[0].data_layout.data == "NCHW" and convs[0].out_layout.data == "NCHW16c"
    assert all(op.data_layout.data == "NCHW16c" for op in convs[1:])
    assert _transforms(module) == []


def test_nhwc_network_converts_back_to_nchw():
    module = _net("resnet18")
    x = _input(module)
    expected = interpret(module, [x])
    run_pipeline(module, "optimize-layout{conv2d=NHWC,default io-layout=NHWC}")
    run_pipeline(module, "optimize-layout{conv2d=NCHW,default io-layout=NCHW}")
    assert _transforms(module) == []
    assert all(op.kernel_layout.data == "OIHW" for op in module.walk() if isinstance(op, Conv2DOp))
    for a, e in zip(interpret(module, [x]), expected, strict=True):
        np.testing.assert_allclose(a, e, rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("name", ["resnet18", "mobilenet_v2", "squeezenet", "unet", "gemm_softmax"])
def test_converted_network_matches_onnxruntime(name):
    ort = pytest.importorskip("onnxruntime")
    model = models.EXAMPLES[name](size=SIZE)
    module = from_onnx(model)
    x = _input(module)
    session = ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])
    expected = session.run(None, {session.get_inputs()[0].name: x})
    run_pipeline(module, "optimize-layout{conv2d=NHWC,default}")
    for a, e in zip(interpret(module, [x]), expected, strict=True):
        np.testing.assert_allclose(a, e, rtol=1e-4, atol=1e-5)
