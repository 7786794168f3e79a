"""Whole networks from the frontend, converted to NHWC, run by the emulator (and on a
GPU where there is one) and compared with the reference interpreter; the plan launches a layout_transform kernel
exactly for the transforms the optimized module keeps, and none for weights."""

import numpy as np
import pytest

from relayout.dialects.context import make_context
from relayout.dialects.nn import ConstantOp, LayoutTransformOp
from relayout.interpreters.nn import interpret
from relayout.lowering.cuda.plan import build_plan
from relayout.runtime.cuda import unavailable_reason
from relayout.runtime.driver import load

models = pytest.importorskip("relayout.frontend.models")
onnx_import = pytest.importorskip("relayout.frontend.onnx_import")
optimize_layout = pytest.importorskip("relayout.passes.optimize_layout")


def _nhwc(name: str, **kwargs):
    module = onnx_import.from_onnx(getattr(models, name)(**kwargs))
    optimize_layout.OptimizeLayoutPass(conv2d=("NHWC", "default")).apply(make_context(), module)
    return module


@pytest.mark.parametrize("name", ["squeezenet", "mobilenet_v2", "resnet18"])
def test_nhwc_network_runs(name, backend):
    module = _nhwc(name, size=32, classes=10)
    transforms = [op for op in module.walk() if isinstance(op, LayoutTransformOp)]
    assert not any(isinstance(t.x.owner, ConstantOp) for t in transforms)

    plan = build_plan(module)
    launched = [k for k in (launch.kernel for launch in plan.launches) if "layout_transform" in k]
    assert len(launched) == len(transforms)
    assert plan.arena_bytes < plan.activation_bytes

    x = np.random.default_rng(0).standard_normal(plan.buffers[plan.inputs[0]].shape)
    x = x.astype(np.float32)
    driver = load(plan, backend)
    (got,) = driver.run(x)
    (expected,) = interpret(module, [x])
    np.testing.assert_allclose(got, expected, rtol=1e-4, atol=1e-4)
    assert [e.kernel for e in driver.trace] == [launch.kernel for launch in plan.launches]


def test_resnet18_tf32_runs(backend):
    """Every conv on TF32 tensor cores (the 10-class dense is too narrow, so SIMT);
    twenty layers deep, the logits stay within 1e-2 of their magnitude."""
    module = _nhwc("resnet18", size=32, classes=10)
    plan = build_plan(module, precision="tf32")
    tensor_core = {n for n, k in plan.kernels.items() if "mma.h" in k.headers}
    assert tensor_core == {n for n in plan.kernels if "conv2d" in n}
    x = np.random.default_rng(0).standard_normal((1, 3, 32, 32)).astype(np.float32)
    (got,) = load(plan, backend).run(x)
    (expected,) = interpret(module, [x])
    np.testing.assert_allclose(got, expected, rtol=1e-2, atol=1e-2 * np.abs(expected).max())


@pytest.mark.gpu
def test_resnet50_trace_launches_only_the_kept_transforms():
    """The seed question's check at full size, too slow to emulate: the weights'
    transforms were folded, so the trace shows at most the input's and the output's
    layout_transform kernels."""
    if why := unavailable_reason():
        pytest.skip(why)
    module = _nhwc("resnet50", size=224)
    plan = build_plan(module)
    x = np.random.default_rng(0).standard_normal(plan.buffers[plan.inputs[0]].shape)
    x = x.astype(np.float32)
    driver = load(plan, "cuda")
    (got,) = driver.run(x)
    transforms = [e for e in driver.trace if "layout_transform" in e.kernel]
    kept = [op for op in module.walk() if isinstance(op, LayoutTransformOp)]
    assert len(transforms) == len(kept) <= 2
    (expected,) = interpret(module, [x])
    np.testing.assert_allclose(got, expected, rtol=1e-3, atol=1e-3)
