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
