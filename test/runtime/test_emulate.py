"""The emulator itself: barriers order shared-memory traffic across a block's threads,
libraries are cached by source hash, results returned unchanged still come back, and
the emulated wmma rounds and multiplies as the tensor cores do."""

import ctypes

import numpy as np

from relayout.dialects.context import parse_module
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


def run_source(source: str, x: np.ndarray, out_size: int) -> np.ndarray:
    """Run the `relayout_run` of ``source`` on buffers ``x`` and a fresh output."""
    lib = ctypes.CDLL(str(emulate.compile_library(source)))
    y = np.zeros(out_size, np.float32)
    ptrs = (ctypes.c_void_p * 2)(x.ctypes.data, y.ctypes.data)
    lib.relayout_run(ptrs, (ctypes.c_double * 1)())
    return y


def test_barrier_makes_shared_writes_visible():
    x = np.arange(192, dtype=np.float32)
    expected = np.roll(x.reshape(3, 64) * 2, -1, axis=1).reshape(-1)
    np.testing.assert_array_equal(run_source(ROTATE, x, 192), expected)


TO_TF32 = """
extern "C" __global__ void to_tf32(const float* __restrict__ in0, float* __restrict__ out) {
  out[threadIdx.x] = nvcuda::wmma::__float_to_tf32(in0[threadIdx.x]);
}
extern "C" void relayout_run(float* const* buf, double* ms) {
  ms[0] = emu::launch(dim3{1u, 1u, 1u}, dim3{8u, 1u, 1u}, false, [&] { to_tf32(buf[0], buf[1]); });
}
"""


def test_float_to_tf32_rounds_to_nearest_ties_away():
    ulp = 2.0**-10
    x = np.array([1 + ulp / 2, 1 + ulp / 4, 1 + 3 * ulp / 4, -(1 + ulp / 2), 1 + 1.5 * ulp,
                  np.inf, -np.inf, np.nan], np.float32)
    want = np.array([1 + ulp, 1, 1 + ulp, -(1 + ulp), 1 + 2 * ulp, np.inf, -np.inf, np.nan],
                    np.float32)
    np.testing.assert_array_equal(run_source(TO_TF32, x, 8), want)


# One warp: D = A (16x8, row-major) * B (8x16, stored column-major), D row-major.
MMA = """
extern "C" __global__ void mma(const float* __restrict__ in0, float* __restrict__ out) {
  namespace wmma = nvcuda::wmma;
  wmma::fragment<wmma::matrix_a, 16, 16, 8, wmma::precision::tf32, wmma::row_major> a;
  wmma::fragment<wmma::matrix_b, 16, 16, 8, wmma::precision::tf32, wmma::col_major> b;
  wmma::fragment<wmma::accumulator, 16, 16, 8, float> d;
  wmma::load_matrix_sync(a, in0, 8);
  wmma::load_matrix_sync(b, in0 + 128, 8);
  wmma::fill_fragment(d, 1.0f);
  wmma::mma_sync(d, a, b, d);
  wmma::store_matrix_sync(out, d, 16, wmma::mem_row_major);
}
extern "C" void relayout_run(float* const* buf, double* ms) {
  ms[0] = emu::launch(dim3{1u, 1u, 1u}, dim3{32u, 1u, 1u}, true, [&] { mma(buf[0], buf[1]); });
}
"""


def test_mma_reads_tf32_bits_of_operands():
    """The tensor core ignores the low 13 mantissa bits of unrounded operands; the
    warp's lanes together write the whole tile."""
    x = np.random.default_rng(0).standard_normal(256).astype(np.float32)
    a, bt = x[:128].reshape(16, 8), x[128:].reshape(16, 8)
    truncated = (x.view(np.uint32) & np.uint32(0xFFFFE000)).view(np.float32)
    ta, tbt = truncated[:128].reshape(16, 8), truncated[128:].reshape(16, 8)
    got = run_source(MMA, x, 256).reshape(16, 16)
    np.testing.assert_allclose(got, 1 + ta.astype(np.float64) @ tbt.T, rtol=1e-6, atol=1e-6)
    assert not np.allclose(got, 1 + a.astype(np.float64) @ bt.T, rtol=1e-6, atol=1e-6)


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


def test_returned_scalar_input_and_constant_stay_rank_0():
    # Found by the meaning fuzzer: ascontiguousarray made 0-d inputs and weights 1-d.
    module = parse_module("""
func.func @main(%s: tensor<f32>, %x: tensor<2xf32>) -> (tensor<2xf32>, tensor<f32>, tensor<f32>) {
  %c = nn.constant dense<2.0> : tensor<f32>
  %y = nn.add %x, %c : (tensor<2xf32>, tensor<f32>) -> tensor<2xf32>
  func.return %y, %c, %s : tensor<2xf32>, tensor<f32>, tensor<f32>
}
""")
    y, c, s = load(build_plan(module)).run(np.float32(1), np.ones(2, np.float32))
    np.testing.assert_array_equal(y, [3, 3])
    assert (np.shape(c), np.shape(s)) == ((), ())
    assert (c, s) == (2, 1)
