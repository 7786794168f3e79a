// CUDA built-ins for running generated kernels on the CPU (relayout's emulator).
//
// A block's threads run as cooperative fibers (ucontext): __syncthreads switches back
// to the scheduler, which resumes every other thread of the block before any thread
// passes the barrier, so shared-memory code behaves as on a GPU. __shared__ variables
// are function statics: blocks run one after another, so one copy per kernel suffices.
#pragma once
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <ucontext.h>

#include <algorithm>
#include <chrono>
#include <functional>
#include <vector>

using std::max;
using std::min;

struct dim3 {
  unsigned x = 1, y = 1, z = 1;
};

// Not static: the kernels must reload them after every barrier, which only holds if
// the compiler cannot prove that the scheduler's context switch leaves them alone.
dim3 threadIdx, blockIdx, blockDim, gridDim;

#define __global__
#define __device__
#define __host__
#define __forceinline__ inline
#define __launch_bounds__(...)
#define __shared__ static

static inline float __int_as_float(int i) {
  float f;
  memcpy(&f, &i, sizeof f);
  return f;
}
static inline float rsqrtf(float x) { return 1.0f / sqrtf(x); }
// g++ contracts no float expression in ISO C++ mode, so a plain product rounds as nvcc's.
static inline float __fmul_rn(float a, float b) { return a * b; }

namespace emu {

const size_t kStack = 64 * 1024;

struct Block {
  ucontext_t scheduler;
  std::vector<ucontext_t> threads;
  std::vector<char> done;
  std::vector<char> stacks;
  int current = 0;
  bool in_fiber = false;
  const std::function<void()>* kernel = nullptr;
};

Block block;

inline void set_thread(int t) {
  threadIdx.x = t % blockDim.x;
  threadIdx.y = (t / blockDim.x) % blockDim.y;
  threadIdx.z = t / (blockDim.x * blockDim.y);
}

inline void fiber_main() {
  (*block.kernel)();
  block.done[block.current] = 1;
}

inline void run_fibers(int n) {
  block.threads.resize(n);
  block.done.assign(n, 0);
  if (block.stacks.size() < n * kStack) block.stacks.resize(n * kStack);
  for (int t = 0; t < n; ++t) {
    ucontext_t& c = block.threads[t];
    getcontext(&c);
    c.uc_stack.ss_sp = block.stacks.data() + t * kStack;
    c.uc_stack.ss_size = kStack;
    c.uc_link = &block.scheduler;
    makecontext(&c, fiber_main, 0);
  }
  for (int remaining = n; remaining > 0;) {
    for (int t = 0; t < n; ++t) {
      if (block.done[t]) continue;
      block.current = t;
      set_thread(t);
      block.in_fiber = true;
      swapcontext(&block.scheduler, &block.threads[t]);
      block.in_fiber = false;
      if (block.done[t]) --remaining;
    }
  }
}

// Runs a whole grid; returns the wall time in milliseconds.
inline double launch(dim3 grid, dim3 threads, bool barrier, const std::function<void()>& kernel) {
  auto start = std::chrono::steady_clock::now();
  gridDim = grid;
  blockDim = threads;
  block.kernel = &kernel;
  const int n = threads.x * threads.y * threads.z;
  for (unsigned z = 0; z < grid.z; ++z)
    for (unsigned y = 0; y < grid.y; ++y)
      for (unsigned x = 0; x < grid.x; ++x) {
        blockIdx.x = x;
        blockIdx.y = y;
        blockIdx.z = z;
        if (barrier) {
          run_fibers(n);
        } else {
          for (int t = 0; t < n; ++t) {
            set_thread(t);
            kernel();
          }
        }
      }
  std::chrono::duration<double, std::milli> took = std::chrono::steady_clock::now() - start;
  return took.count();
}

}  // namespace emu

static inline void __syncthreads() {
  if (emu::block.in_fiber) swapcontext(&emu::block.threads[emu::block.current], &emu::block.scheduler);
}

#define __align__(n) __attribute__((aligned(n)))

struct __align__(16) float4 {
  float x, y, z, w;
};
static inline float4 make_float4(float x, float y, float z, float w) { return {x, y, z, w}; }

// Blocks run one after another and a block's threads take turns, so memory is
// always coherent and an atomic is a plain read-modify-write.
static inline void __threadfence() {}
static inline unsigned atomicInc(unsigned* address, unsigned val) {
  const unsigned old = *address;
  *address = old >= val ? 0 : old + 1;
  return old;
}
template <typename T>
static inline T __ldcg(const T* p) { return *p; }

// nvcuda::wmma for the TF32 m16n16k8 shape. Every lane of a warp passes the same
// pointers, so each emulated thread loads the whole tile into its fragment. As on the
// GPU, an accumulator's elements are spread over the 32 lanes: mma_sync computes, and
// store_matrix_sync writes, only the lane's own elements (index % 32 == lane), so the
// warp does the work once between its lanes. Kernels may therefore only touch
// fragment elements all together (x[i] for every i < num_elements), and every lane of
// the warp must take part in each call, as wmma requires anyway.
namespace nvcuda {
namespace wmma {

struct matrix_a {};
struct matrix_b {};
struct accumulator {};
struct row_major {};
struct col_major {};
namespace precision {
struct tf32 {};
}
enum layout_t { mem_row_major, mem_col_major };

template <typename Use, int M, int N, int K>
struct shape;
template <int M, int N, int K>
struct shape<matrix_a, M, N, K> {
  static const int rows = M, cols = K;
};
template <int M, int N, int K>
struct shape<matrix_b, M, N, K> {
  static const int rows = K, cols = N;
};
template <int M, int N, int K>
struct shape<accumulator, M, N, K> {
  static const int rows = M, cols = N;
};

template <typename Use, int M, int N, int K, typename T, typename Layout = void>
struct fragment {
  static const int rows = shape<Use, M, N, K>::rows, cols = shape<Use, M, N, K>::cols;
  static const int num_elements = rows * cols;
  float x[num_elements];  // row-major, whatever the memory layout it was loaded from
  float& at(int i, int j) { return x[i * cols + j]; }
  float at(int i, int j) const { return x[i * cols + j]; }
};

// cvt.rna.tf32.f32: keep 10 mantissa bits, rounding to nearest with ties away from
// zero (adding half an ulp to the magnitude); NaN and infinity pass unchanged.
static inline float __float_to_tf32(float f) {
  unsigned u;
  memcpy(&u, &f, sizeof u);
  if ((u & 0x7f800000u) != 0x7f800000u) u = (u + 0x1000u) & ~0x1fffu;
  memcpy(&f, &u, sizeof f);
  return f;
}

// The tensor core reads only the tf32 bits of an operand: the low 13 are ignored.
static inline float tf32_operand(float f) {
  unsigned u;
  memcpy(&u, &f, sizeof u);
  u &= ~0x1fffu;
  memcpy(&f, &u, sizeof f);
  return f;
}

template <typename Use, int M, int N, int K, typename T, typename Layout>
void fill_fragment(fragment<Use, M, N, K, T, Layout>& f, float v) {
  for (int i = 0; i < f.num_elements; ++i) f.x[i] = v;
}

template <typename F>
void load_tile(F& f, const float* p, unsigned ldm, bool row) {
  for (int i = 0; i < F::rows; ++i)
    for (int j = 0; j < F::cols; ++j) f.at(i, j) = row ? p[i * ldm + j] : p[j * ldm + i];
}

template <typename Use, int M, int N, int K, typename T>
void load_matrix_sync(fragment<Use, M, N, K, T, row_major>& f, const float* p, unsigned ldm) {
  load_tile(f, p, ldm, true);
}
template <typename Use, int M, int N, int K, typename T>
void load_matrix_sync(fragment<Use, M, N, K, T, col_major>& f, const float* p, unsigned ldm) {
  load_tile(f, p, ldm, false);
}
template <int M, int N, int K>
void load_matrix_sync(fragment<accumulator, M, N, K, float>& f, const float* p, unsigned ldm,
                      layout_t layout) {
  load_tile(f, p, ldm, layout == mem_row_major);
}

const int kWarp = 32;

inline int lane() {
  return (threadIdx.x + blockDim.x * (threadIdx.y + blockDim.y * threadIdx.z)) % kWarp;
}

template <int M, int N, int K>
void store_matrix_sync(float* p, const fragment<accumulator, M, N, K, float>& f, unsigned ldm,
                       layout_t layout) {
  for (int e = lane(); e < f.num_elements; e += kWarp) {
    const int i = e / N, j = e % N;
    (layout == mem_row_major ? p[i * ldm + j] : p[j * ldm + i]) = f.x[e];
  }
}

// d = a * b + c in fp32 from the operands' tf32 bits, for the lane's elements; d may be c.
template <int M, int N, int K, typename LA, typename LB>
void mma_sync(fragment<accumulator, M, N, K, float>& d,
              const fragment<matrix_a, M, N, K, precision::tf32, LA>& a,
              const fragment<matrix_b, M, N, K, precision::tf32, LB>& b,
              const fragment<accumulator, M, N, K, float>& c) {
  for (int e = lane(); e < d.num_elements; e += kWarp) {
    const int i = e / N, j = e % N;
    float acc = c.x[e];
    for (int k = 0; k < K; ++k) acc = fmaf(tf32_operand(a.at(i, k)), tf32_operand(b.at(k, j)), acc);
    d.x[e] = acc;
  }
}

}  // namespace wmma
}  // namespace nvcuda
