"""The tiled SIMT GEMM that conv2d (as implicit GEMM) and dense share.

``C[m, o] = sum_kk A[m, kk] * B[kk, o]`` per group. A block computes a BM x BN tile
through BK-deep slices of A and B staged in shared memory, after the SGEMM ladder of
siboehm's worklog (2D block tiling, vectorised shared reads, double buffering):

- Each thread keeps a TM x TN register block. Its rows are TM / 4 runs of 4
  consecutive rows, BM / (TM / 4) apart, and likewise its columns, so every shared read
  is a float4: the 8 threads of a quarter warp read 8 consecutive float4 of Bs (all 32
  banks) and one float4 of As (a broadcast).
- Both shared tiles are k-major (As[k][m], Bs[k][n]) so that those runs are
  contiguous. Their rows are padded by 4 floats, so float4 runs loaded along k and
  stored transposed (4 scalar stores) from threads 4 k apart land in different banks.
- Operands come from global memory as `operand.py` does it: float4 runs where the
  layout has them, else scalars coalesced along M or N, zero-filled at every edge.
- Double buffering through registers: while the block multiplies one slice out of one
  shared buffer, the next slice is loaded into registers and then stored to the other
  buffer, so each slice costs one barrier and its global latency hides behind math.
- Tilings, largest first (`schedule`): HUGE 128 x 128 (8 x 8 per thread, 256 threads)
  where it still gives two waves of blocks, LARGE 64 x 64 (4 x 4, 256 threads), SMALL
  32 x 32 (4 x 4, 64 threads); below two waves, long reductions are split over
  several blocks (`split_k.py`).

The caller supplies the index math: how a row of A and a column of B are found in
memory, and the epilogue that stores an element.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Protocol, TypeVar

from relayout.lowering.cuda import split_k
from relayout.lowering.cuda.kernel import (
    MAX_GRID_YZ,
    SMS,
    VEC,
    WORKSPACE_PARAMS,
    Kernel,
    ceil_div,
    function,
)
from relayout.lowering.cuda.operand import Operand, load_a, load_b, operands, per_slot, row_setup

PAD = 4


@dataclass(frozen=True)
class Tiling:
    bm: int
    bn: int
    bk: int
    tm: int
    tn: int
    min_blocks: int = 0
    """Blocks an SM must be able to hold (`__launch_bounds__`), which caps the
    registers a thread gets at 65536 / (threads * min_blocks); 0 leaves them to nvcc,
    which spills under a cap when it would rather hoist loads (ptxas 13, sm_90)."""

    @property
    def threads(self) -> int:
        return (self.bm // self.tm) * (self.bn // self.tn)


HUGE = Tiling(128, 128, 8, 8, 8, 2)
"""Two blocks per SM: unbounded, the 64 accumulators take 131 registers, just too
many for two blocks of 256 threads; 128 fit them without spills."""
LARGE = Tiling(64, 64, 16, 4, 4)
SMALL = Tiling(32, 32, 8, 4, 4)


@dataclass(frozen=True)
class Problem:
    m: int
    n: int
    k: int
    groups: int
    row_setup: Callable[[str], list[tuple[str, str]]]
    """Per-row ints of A that do not change along kk, from the row index."""
    k_split: Callable[[str], list[str]]
    """Statements naming the parts of a reduction index (e.g. r, s, c)."""
    a_element: Callable[[dict[str, str]], tuple[str, str]]
    """(in-bounds condition, offset into in0) from the row ints (indexed by [j])."""
    b_offset: Callable[[str], str]
    """Offset into in1 of column ``o`` at the current reduction index parts."""
    store: Callable[[str, str, str], list[str]]
    """Statements writing accumulator ``acc`` of row ``m``, group column ``o``."""
    a_width: int = 1
    """4 when the four kk from any multiple of 4 are adjacent floats of a row of A, the
    first 16-byte aligned (so one float4 load reads them); else 1."""
    b_width: int = 1
    """The same for B, along kk or along o as ``b_along_k`` says."""
    b_along_k: bool = True


class TileShape(Protocol):
    @property
    def bm(self) -> int: ...
    @property
    def bn(self) -> int: ...


T = TypeVar("T", bound=TileShape)

Head = Callable[[Sequence[str], Sequence[int]], str]
"""The kernel's signature, given parameters to add after ``out`` and launch bounds."""


def tiles(p: Problem, t: TileShape) -> int:
    return ceil_div(p.m, t.bm) * ceil_div(p.n, t.bn) * p.groups


def fitting(p: Problem, tilings: Sequence[T]) -> list[T]:
    """``tilings`` (largest first) but those that the problem's M or N fits within the
    next one's: over half of such a tile would be padding."""
    return [
        t for t, smaller in pairwise(tilings)
        if not (p.m <= smaller.bm < t.bm or p.n <= smaller.bn < t.bn)
    ] + [tilings[-1]]


def choose_tiling(p: Problem, *tilings: T) -> T:
    """The largest of ``tilings`` (largest first) that gives the GPU two waves of
    blocks without being mostly padding; else the smallest."""
    fit = fitting(p, tilings)
    return next((t for t in fit if tiles(p, t) >= 2 * SMS), fit[-1])


def schedule(p: Problem) -> tuple[Tiling, split_k.SplitK]:
    """The tiling and the reduction's split. Below two waves of tiles, the first of
    LARGE and SMALL (those that fit) that fills a wave of blocks, splitting a long
    reduction, else the one with the most blocks: LARGE keeps 8 warps per block and
    twice the operand reuse, SMALL gives more blocks where K is too short to split."""
    t = choose_tiling(p, HUGE, LARGE, SMALL)
    if tiles(p, t) >= 2 * SMS:
        return t, split_k.SplitK(1, p.k, p.k)
    options = [(w, split_k.choose(tiles(p, w), p.k, w.bk)) for w in fitting(p, (LARGE, SMALL))]

    def blocks(option: tuple[Tiling, split_k.SplitK]) -> int:
        return tiles(p, option[0]) * option[1].splits

    return next((o for o in options if blocks(o) >= SMS), max(options, key=blocks))


def _gap(count: int, extent: int) -> int:
    """How far apart in the tile a thread's runs of rows (or columns) start."""
    return extent // (count // VEC)


def _spread(index: str, count: int, extent: int, thread: str) -> str:
    """Tile coordinate of a thread's row (or column) ``index`` of ``count``."""
    return f"{index} / {VEC} * {_gap(count, extent)} + {thread} * {VEC} + {index} % {VEC}"


def _stash(s: Operand, buf: str) -> list[str]:
    """A thread's registers to shared buffer ``buf`` of the operand's k-major tile."""
    row, k = s.coords()
    if s.width == 1:
        lines = [f"{s.tile}[{buf}][{k}][{row}] = {s.reg}[j];"]
    elif s.along_k:
        lines = [f"{s.tile}[{buf}][{k} + {e}][{row}] = {s.reg}[j].{c};"
                 for e, c in enumerate("xyzw")]
    else:
        lines = [f"*reinterpret_cast<float4*>(&{s.tile}[{buf}][{k}][{row}]) = {s.reg}[j];"]
    return per_slot(s, lines)


def _fragment(tile: str, reg: str, count: int, extent: int, thread: str) -> list[str]:
    """A thread's ``count`` rows (or columns) of slice ``kt`` into ``reg``."""
    return [
        "#pragma unroll",
        f"for (int c = 0; c < {count // VEC}; ++c) {{",
        (f"  const float4 v = *reinterpret_cast<const float4*>("
        f"&{tile}[buf][kt][c * {_gap(count, extent)} + {thread} * {VEC}]);"),
        *(f"  {reg}[c * {VEC} + {e}] = v.{c};" for e, c in enumerate("xyzw")),
        "}",
    ]


def _multiply(t: Tiling) -> list[str]:
    return [
        "#pragma unroll",
        f"for (int kt = 0; kt < {t.bk}; ++kt) {{",
        f"  float a[{t.tm}], b[{t.tn}];",
        *("  " + line for line in _fragment("As", "a", t.tm, t.bm, "ty")),
        *("  " + line for line in _fragment("Bs", "b", t.tn, t.bn, "tx")),
        "  #pragma unroll",
        f"  for (int i = 0; i < {t.tm}; ++i)",
        "    #pragma unroll",
        f"    for (int j = 0; j < {t.tn}; ++j) acc[i][j] = fmaf(a[i], b[j], acc[i][j]);",
        "}",
    ]


def _epilogue(p: Problem, t: Tiling) -> list[str]:
    return [
        "#pragma unroll",
        f"for (int i = 0; i < {t.tm}; ++i) {{",
        f"  const int m = m0 + {_spread('i', t.tm, t.bm, 'ty')};",
        f"  if (m >= {p.m}) continue;",
        "  #pragma unroll",
        f"  for (int j = 0; j < {t.tn}; ++j) {{",
        f"    const int o = n0 + {_spread('j', t.tn, t.bn, 'tx')};",
        f"    if (o >= {p.n}) continue;",
        *("    " + line for line in p.store("acc[i][j]", "m", "o")),
        "  }",
        "}",
    ]


def lower(head: Head, name: str, p: Problem) -> Kernel:
    t, split = schedule(p)
    a, b = operands(p, t, Operand)
    rows, index = row_setup(p, a)
    after = f"k0 + {t.bk}"
    body = [
        f"__shared__ __align__(16) float As[2][{t.bk}][{t.bm + PAD}];",
        f"__shared__ __align__(16) float Bs[2][{t.bk}][{t.bn + PAD}];",
        "const int tid = threadIdx.x;",
        *split.prologue(),
        f"const int m0 = blockIdx.x * {t.bm}, n0 = blockIdx.y * {t.bn};",
        f"const int ty = tid / {t.bn // t.tn}, tx = tid % {t.bn // t.tn};",
        *rows,
        a.declare(),
        b.declare(),
        f"float acc[{t.tm}][{t.tn}];",
        "#pragma unroll",
        f"for (int i = 0; i < {t.tm}; ++i)",
        "  #pragma unroll",
        f"  for (int j = 0; j < {t.tn}; ++j) acc[i][j] = 0.0f;",
        *load_a(p, a, index, "k_begin"),
        *load_b(p, b, "k_begin"),
        *_stash(a, "0"),
        *_stash(b, "0"),
        "__syncthreads();",
        "int buf = 0;",
        f"for (int k0 = k_begin; k0 < k_end; k0 += {t.bk}) {{",
        f"  const bool more = {after} < k_end;",
        "  if (more) {",
        *("    " + line for line in [*load_a(p, a, index, after), *load_b(p, b, after)]),
        "  }",
        *("  " + line for line in _multiply(t)),
        "  if (more) {",
        *("    " + line for line in [*_stash(a, "buf ^ 1"), *_stash(b, "buf ^ 1")]),
        "  }",
        "  __syncthreads();",
        "  buf ^= 1;",
        "}",
        *split.reduce(t.threads, t.tm, t.tn),
        *_epilogue(p, t),
    ]
    assert p.groups * split.splits <= MAX_GRID_YZ
    grid = (ceil_div(p.m, t.bm), ceil_div(p.n, t.bn), p.groups * split.splits)
    workspace = split.workspace(tiles(p, t), t.bm * t.bn)
    params = WORKSPACE_PARAMS if workspace else ()
    bounds = (t.threads, t.min_blocks) if t.min_blocks else ()
    return Kernel(name, function(head(params, bounds), body), grid, (t.threads, 1, 1), True,
                  workspace=workspace)
