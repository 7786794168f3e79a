"""The emulator itself: barriers order shared-memory traffic across a block's threads,
libraries are cached by source hash, and results returned unchanged still come back."""

import numpy as np

from relayout.context import parse_module
from relayout.lowering.cuda.plan import build_plan
from relayout.runtime import emulate
from relayout.runtime.driver import load

# Each thread writes its slot, then reads its neighbour's after the barrier: without
# cooperative threads the neighbour's slot would still be unwritten.
ROTATE = """
extern "C" __global__ void rotate(const float* __restrict__ in0, float* __restrict__ out) {
  __shared__ float slots[64];
  const int t = threadIdx.x;
  slots[t] = in0[blockIdx.x * 64 + t] * 2.0f;
  __syncthreads();
  out[blockIdx.x * 64 + t] = slots[(t + 1) % 64];
}
extern "C" void relayout_run(float* const* buf, double* ms) {
  ms[0] = emu::launch(dim3{3u, 1u, 1u}, dim3{64u, 1u, 1u}, true, [&] { rotate(buf[0], buf[1]); });
}
"""


def test_barrier_makes_shared_writes_visible():
    import ctypes

    lib = ctypes.CDLL(str(emulate.compile_library(ROTATE)))
    x = np.arange(192, dtype=np.float32)
    y = np.zeros_like(x)
    ptrs = (ctypes.c_void_p * 2)(x.ctypes.data, y.ctypes.data)
    lib.relayout_run(ptrs, (ctypes.c_double * 1)())
    expected = np.roll(x.reshape(3, 64) * 2, -1, axis=1).reshape(-1)
    np.testing.assert_array_equal(y, expected)


def test_library_cache_is_keyed_by_source():
    assert emulate.compile_library(ROTATE) == emulate.compile_library(ROTATE)
    assert emulate.compile_library(ROTATE) != emulate.compile_library(ROTATE + "\n// other")


def test_returned_input_and_trace():
    module = parse_module("""
func.func @main(%x: tensor<3x5xf32>) -> (tensor<3x5xf32>, tensor<3x5xf32>) {
  %a = nn.sigmoid %x : tensor<3x5xf32>
  func.return %a, %x : tensor<3x5xf32>, tensor<3x5xf32>
}
""")
    driver = load(build_plan(module))
    x = np.linspace(-2, 2, 15, dtype=np.float32).reshape(3, 5)
    a, same = driver.run(x)
    np.testing.assert_allclose(a, 1 / (1 + np.exp(-x)), rtol=1e-6)
    np.testing.assert_array_equal(same, x)
    assert [(e.kernel, e.grid) for e in driver.trace] == [("fused_sigmoid", (1, 1, 1))]
    assert driver.trace[0].ms >= 0
