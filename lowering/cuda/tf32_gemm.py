"""The TF32 tensor-core GEMM (`nvcuda::wmma`, m16n16k8 fragments, sm_80 and later)
that conv2d and dense run with ``precision=tf32``, solving the same `gemm.Problem` as
the SIMT kernel: implicit GEMM with the caller's index math and fused epilogue.

Design (not yet timed on a GPU):

- A block computes a BM x BN output tile in BK = 32 deep slices: 128 x 64 with 8 warps
  when that still gives two waves of blocks, else 64 x 64 with 4 warps. Each warp owns
  a 32 x 32 warp tile, 2 x 2 accumulator fragments of 16 x 16, so each A and B fragment
  read from shared memory feeds two `mma_sync`.
- Operands move global -> registers -> shared memory. Where a row of an operand is
  contiguous in runs of four along a GEMM axis (NHWC data with C % 4 == 0 along kk;
  OHWI weights along kk, HWIO weights along o; dense rows with K % 4 == 0), a thread
  moves float4 runs: 128-bit global loads and shared stores. Otherwise it moves
  scalars, consecutive threads taking consecutive rows or columns (coalesced for NCHW
  data and HWIO weights). The shared tile is laid out along the run axis, and the wmma
  fragment layout (row_major or col_major) follows it, so nothing is transposed.
- Loads are predicated and zero-fill outside the image (padding), past M, N and K,
  so the tensor cores see whole tiles and the epilogue alone checks the edges.
- While the warps multiply one slice, the next is already loading into registers
  (register double buffering with a single shared buffer).
- Values are rounded to TF32 (`__float_to_tf32`, round to nearest) once, on their way
  into shared memory, rather than by every warp that loads the fragment.
- Shared rows are padded by 4 floats: wmma wants ldm % 4 == 0 and 32-byte aligned
  fragment pointers, and the skew spreads a fragment's rows over the banks.
- The accumulators go through shared memory (reusing the operand tiles) to the fused
  epilogue, which threads apply to elements walked along N, so NHWC writes coalesce.
"""

from __future__ import annotations

from dataclasses import dataclass

from relayout.lowering.cuda.gemm import Problem, choose_tiling
from relayout.lowering.cuda.kernel import Kernel, ceil_div, function
from relayout.lowering.cuda.operand import (
    Operand,
    load_a,
    load_b,
    operands,
    per_slot,
    row_setup,
)

FRAG = 16
"""The m and n of a fragment; k is 8."""
KSTEP = 8
PAD = 4
WARP = 32
FRAGMENT = "wmma::fragment<wmma::{use}, 16, 16, 8, {type}{layout}>"
TF32 = "wmma::precision::tf32"


@dataclass(frozen=True)
class Tiling:
    bm: int
    bn: int
    bk: int
    wm: int
    wn: int

    @property
    def threads(self) -> int:
        return WARP * (self.bm // self.wm) * (self.bn // self.wn)


LARGE = Tiling(128, 64, 32, 32, 32)
SMALL = Tiling(64, 64, 32, 32, 32)


def fits(p: Problem) -> bool:
    """Grouped GEMMs stay on the SIMT kernel, as do GEMMs narrower than a fragment
    (n < 16): per group they are narrow enough that most of each 16 x 16 x 8 mma would
    multiply padding, while SIMT threads waste nothing."""
    return p.groups == 1 and p.n >= FRAG


@dataclass(frozen=True)
class Staging(Operand):
    """An operand's shared tile laid out along its runs: tile[row][k] when they go
    along k, else tile[k][row], so registers go to shared memory untransposed."""

    @property
    def ld(self) -> int:
        return (self.bk if self.along_k else self.rows) + PAD

    @property
    def size(self) -> int:
        return (self.rows if self.along_k else self.bk) * self.ld

    def at(self, row: str, k: str) -> str:
        """Offset into the shared tile."""
        return f"({row}) * {self.ld} + {k}" if self.along_k else f"({k}) * {self.ld} + {row}"

    def fragment_layout(self, use: str) -> str:
        """A row_major matrix_a and a col_major matrix_b both read tile[row][k]."""
        return "row_major" if self.along_k == (use == "matrix_a") else "col_major"

    def store(self) -> list[str]:
        """Registers to the shared tile, rounded to TF32."""
        row, k = self.coords()
        where = f"{self.tile}[{self.at(row, k)}]"
        if self.width == 4:
            parts = ", ".join(f"wmma::__float_to_tf32({self.reg}[j].{c})" for c in "xyzw")
            line = f"*reinterpret_cast<float4*>(&{where}) = make_float4({parts});"
        else:
            line = f"{where} = wmma::__float_to_tf32({self.reg}[j]);"
        return per_slot(self, [line])


def _multiply(t: Tiling, a: Staging, b: Staging) -> list[str]:
    fm, fn = t.wm // FRAG, t.wn // FRAG
    frag_a = FRAGMENT.format(use="matrix_a", type=TF32, layout=f", wmma::{a.fragment_layout('matrix_a')}")
    frag_b = FRAGMENT.format(use="matrix_b", type=TF32, layout=f", wmma::{b.fragment_layout('matrix_b')}")
    return [
        "#pragma unroll",
        f"for (int ks = 0; ks < {t.bk}; ks += {KSTEP}) {{",
        f"  {frag_a} fa[{fm}];",
        f"  {frag_b} fb[{fn}];",
        f"  for (int i = 0; i < {fm}; ++i)",
        f"    wmma::load_matrix_sync(fa[i], As + {a.at(f'wm + i * {FRAG}', 'ks')}, {a.ld});",
        f"  for (int j = 0; j < {fn}; ++j)",
        f"    wmma::load_matrix_sync(fb[j], Bs + {b.at(f'wn + j * {FRAG}', 'ks')}, {b.ld});",
        f"  for (int i = 0; i < {fm}; ++i)",
        f"    for (int j = 0; j < {fn}; ++j) wmma::mma_sync(acc[i][j], fa[i], fb[j], acc[i][j]);",
        "}",
    ]


def _epilogue(p: Problem, t: Tiling) -> list[str]:
    """Accumulators through shared memory to the fused epilogue, walked along N."""
    fm, fn, ldc = t.wm // FRAG, t.wn // FRAG, t.bn + PAD
    return [
        "float* const Cs = smem;",
        f"for (int i = 0; i < {fm}; ++i)",
        f"  for (int j = 0; j < {fn}; ++j)",
        (f"    wmma::store_matrix_sync(Cs + (wm + i * {FRAG}) * {ldc} + wn + j * {FRAG}, "
        f"acc[i][j], {ldc}, wmma::mem_row_major);"),
        "__syncthreads();",
        f"for (int e = tid; e < {t.bm * t.bn}; e += {t.threads}) {{",
        f"  const int m = m0 + e / {t.bn}, o = n0 + e % {t.bn};",
        f"  if (m >= {p.m} || o >= {p.n}) continue;",
        f"  const float sum = Cs[e / {t.bn} * {ldc} + e % {t.bn}];",
        *("  " + line for line in p.store("sum", "m", "o")),
        "}",
    ]


def lower(head: str, name: str, p: Problem, t: Tiling | None = None) -> Kernel:
    assert fits(p)
    t = t or choose_tiling(p, LARGE, SMALL)
    a, b = operands(p, t, Staging)
    rows, index = row_setup(p, a)
    fm, fn = t.wm // FRAG, t.wn // FRAG
    shared = max(a.size + b.size, t.bm * (t.bn + PAD))
    frag_c = FRAGMENT.format(use="accumulator", type="float", layout="")
    body = [
        "namespace wmma = nvcuda::wmma;",
        f"__shared__ __align__(32) float smem[{shared}];",
        "float* const As = smem;",
        f"float* const Bs = smem + {a.size};",
        "const int tid = threadIdx.x, g = blockIdx.z;",
        f"const int m0 = blockIdx.x * {t.bm}, n0 = blockIdx.y * {t.bn};",
        (f"const int wm = tid / {WARP} / {t.bn // t.wn} * {t.wm}, "
        f"wn = tid / {WARP} % {t.bn // t.wn} * {t.wn};"),
        *rows,
        a.declare(),
        b.declare(),
        f"{frag_c} acc[{fm}][{fn}];",
        f"for (int i = 0; i < {fm}; ++i)",
        f"  for (int j = 0; j < {fn}; ++j) wmma::fill_fragment(acc[i][j], 0.0f);",
        *load_a(p, a, index, "0"),
        *load_b(p, b, "0"),
        f"for (int k0 = 0; k0 < {p.k}; k0 += {t.bk}) {{",
        *("  " + line for line in [*a.store(), *b.store(), "__syncthreads();"]),
        f"  if (k0 + {t.bk} < {p.k}) {{",
        *("    " + line for line in [*load_a(p, a, index, f"k0 + {t.bk}"),
                                     *load_b(p, b, f"k0 + {t.bk}")]),
        "  }",
        *("  " + line for line in _multiply(t, a, b)),
        "  __syncthreads();",
        "}",
        *_epilogue(p, t),
    ]
    grid = (ceil_div(p.m, t.bm), ceil_div(p.n, t.bn), 1)
    return Kernel(name, function(head, body), grid, (t.threads, 1, 1), True, ("mma.h",))
