"""Whole networks from the frontend, converted to NHWC, run by the emulator and
compared with the reference interpreter; the plan launches a layout_transform kernel
exactly for the transforms the optimized module keeps, and none for weights."""

import numpy as np
import pytest

from relayout.context import make_context
from relayout.dialects.nn import ConstantOp, LayoutTransformOp
from relayout.interpreters.nn import interpret
from relayout.lowering.cuda.plan import build_plan
from relayout.runtime.driver import load

models = pytest.importorskip("relayout.frontend.models")
onnx_import = pytest.importorskip("relayout.frontend.onnx_import")
optimize_layout = pytest.importorskip("relayout.passes.optimize_layout")


@pytest.mark.parametrize("name", ["squeezenet", "mobilenet_v2", "resnet18"])
def test_nhwc_network_emulates(name):
    module = onnx_import.from_onnx(getattr(models, name)(size=32, classes=10))
    optimize_layout.OptimizeLayoutPass(conv2d=("NHWC", "default")).apply(make_context(), module)
    transforms = [op for op in module.walk() if isinstance(op, LayoutTransformOp)]
    assert not any(isinstance(t.x.owner, ConstantOp) for t in transforms)

    plan = build_plan(module)
    launched = [k for k in (launch.kernel for launch in plan.launches) if "layout_transform" in k]
    assert len(launched) == len(transforms)
    assert plan.arena_bytes < plan.activation_bytes

    x = np.random.default_rng(0).standard_normal(plan.buffers[plan.inputs[0]].shape)
    x = x.astype(np.float32)
    driver = load(plan)
    (got,) = driver.run(x)
    (expected,) = interpret(module, [x])
    np.testing.assert_allclose(got, expected, rtol=1e-4, atol=1e-4)
    assert [e.kernel for e in driver.trace] == [launch.kernel for launch in plan.launches]
