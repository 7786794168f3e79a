"""The pycuda driver on a real GPU: the same plan gives the emulator's results, a trace
with one timed entry per launch, and the same results when enqueued untimed or replayed
as a CUDA graph. Skipped without pycuda or a GPU."""

import numpy as np
import pytest

from relayout.dialects.context import parse_module
from relayout.lowering.cuda.plan import build_plan
from relayout.runtime.cuda import unavailable_reason
from relayout.runtime.driver import load

pytestmark = pytest.mark.gpu

MODULE = """
func.func @main(%x: tensor<1x3x9x9xf32>) -> tensor<1x9x9x4xf32> {
  %w = nn.constant dense<0.25> : tensor<4x3x3x3xf32>
  %t = nn.layout_transform %x "NCHW" to "NHWC" : tensor<1x3x9x9xf32> -> tensor<1x9x9x3xf32>
  %c = nn.conv2d %t, %w {padding = array<i64: 1, 1, 1, 1>, data_layout = "NHWC", kernel_layout = "OHWI"} : (tensor<1x9x9x3xf32>, tensor<4x3x3x3xf32>) -> tensor<1x9x9x4xf32>
  %r = nn.relu %c : tensor<1x9x9x4xf32>
  func.return %r : tensor<1x9x9x4xf32>
}
"""


@pytest.fixture(scope="module")
def plan():
    if why := unavailable_reason():
        pytest.skip(why)
    return build_plan(parse_module(MODULE))


@pytest.fixture(scope="module")
def x():
    return np.random.default_rng(0).standard_normal((1, 3, 9, 9)).astype(np.float32)


def test_cuda_matches_emulator(plan, x):
    (expected,) = load(plan, "emulate").run(x)
    driver = load(plan, "cuda")
    (got,) = driver.run(x)
    np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-5)
    assert [e.kernel for e in driver.trace] == [launch.kernel for launch in plan.launches]
    assert all(e.ms > 0 for e in driver.trace)


def test_enqueue_and_graph_replay_match_run(plan, x):
    import pycuda.driver as cuda

    driver = load(plan, "cuda")
    (expected,) = driver.run(x)
    stream = cuda.Stream()
    driver.set_inputs(x)
    driver.enqueue(stream)
    stream.synchronize()
    np.testing.assert_array_equal(driver.get_outputs((x,))[0], expected)

    pytest.importorskip("cuda.bindings")
    from relayout.runtime.cuda_graph import CudaGraph

    graph = CudaGraph(driver, stream)
    driver.set_inputs(np.zeros_like(x))
    driver.enqueue(stream)
    stream.synchronize()
    driver.set_inputs(x)
    graph.launch()
    stream.synchronize()
    np.testing.assert_array_equal(driver.get_outputs((x,))[0], expected)
