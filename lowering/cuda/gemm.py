"""The tiled SIMT GEMM that conv2d (as implicit GEMM) and dense share.

``C[m, o] = sum_kk A[m, kk] * B[kk, o]`` per group (blockIdx.z). A block computes a
BM x BN tile through BK-deep slices staged in shared memory; each thread keeps a
TM x TN register block, with its rows and columns strided by the thread grid so that
neighbouring threads touch neighbouring columns (conflict-free shared reads,
coalesced NHWC writes). The caller supplies the index math: how a row of A and a
column of B are found in memory, and the epilogue that stores an element.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol, TypeVar

from relayout.lowering.cuda.kernel import MAX_GRID_YZ, Kernel, ceil_div, function


@dataclass(frozen=True)
class Tiling:
    bm: int
    bn: int
    bk: int
    tm: int
    tn: int

    @property
    def threads(self) -> int:
        return (self.bm // self.tm) * (self.bn // self.tn)


LARGE = Tiling(64, 64, 8, 4, 4)
SMALL = Tiling(32, 32, 8, 4, 4)
SMS = 132
"""H100 SMs: below two waves of large tiles, smaller tiles give more parallelism."""


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
    bm: int
    bn: int


T = TypeVar("T", bound=TileShape)


def choose_tiling(p: Problem, large: T, small: T) -> T:
    """Large tiles unless they would leave the GPU less than two waves of blocks or
    their extra width would be all padding."""
    tiles = ceil_div(p.m, large.bm) * ceil_div(p.n, large.bn) * p.groups
    narrow = small.bn < large.bn and p.n <= small.bn
    return small if narrow or tiles < 2 * SMS else large


def lower(head: str, name: str, p: Problem, t: Tiling | None = None) -> Kernel:
    t = t or choose_tiling(p, LARGE, SMALL)
    nt = t.threads
    assert nt % t.bk == 0 and nt % t.bn == 0
    a_rows, b_rows = t.bm * t.bk // nt, t.bk * t.bn // nt
    a_step, b_step = nt // t.bk, nt // t.bn
    cols = t.bn // t.tn
    rows_per = t.bm // t.tm
    setup = p.row_setup("mm")
    row_vars = {v: f"{v}[j]" for v, _ in setup}
    cond, a_off = p.a_element(row_vars)
    body = [
        f"__shared__ float As[{t.bk}][{t.bm}];",
        f"__shared__ float Bs[{t.bk}][{t.bn}];",
        "const int tid = threadIdx.x, g = blockIdx.z;",
        f"const int m0 = blockIdx.x * {t.bm}, n0 = blockIdx.y * {t.bn};",
        f"const int acol = tid % {t.bk}, brow = tid / {t.bn}, bcol = tid % {t.bn};",
        f"const int ty = tid / {cols}, tx = tid % {cols};",
        f"bool valid[{a_rows}];",
        *(f"int {v}[{a_rows}];" for v, _ in setup),
        f"for (int j = 0; j < {a_rows}; ++j) {{",
        f"  const int m = m0 + tid / {t.bk} + j * {a_step};",
        f"  valid[j] = m < {p.m};",
        f"  const int mm = valid[j] ? m : 0;",
        *(f"  {v}[j] = {e};" for v, e in setup),
        "}",
        f"float acc[{t.tm}][{t.tn}];",
        f"for (int i = 0; i < {t.tm}; ++i)",
        f"  for (int j = 0; j < {t.tn}; ++j) acc[i][j] = 0.0f;",
        f"for (int k0 = 0; k0 < {p.k}; k0 += {t.bk}) {{",
        "  {",
        "    const int kk = k0 + acol;",
        *("    " + line for line in p.k_split("kk")),
        f"    for (int j = 0; j < {a_rows}; ++j)",
        f"      As[acol][tid / {t.bk} + j * {a_step}] = "
        f"(kk < {p.k} && valid[j] && {cond}) ? in0[{a_off}] : 0.0f;",
        "  }",
        f"  for (int j = 0; j < {b_rows}; ++j) {{",
        f"    const int kk = k0 + brow + j * {b_step}, o = n0 + bcol;",
        *("    " + line for line in p.k_split("kk")),
        f"    Bs[brow + j * {b_step}][bcol] = "
        f"(kk < {p.k} && o < {p.n}) ? in1[{p.b_offset('o')}] : 0.0f;",
        "  }",
        "  __syncthreads();",
        "  #pragma unroll",
        f"  for (int t = 0; t < {t.bk}; ++t) {{",
        f"    float a[{t.tm}], b[{t.tn}];",
        f"    for (int i = 0; i < {t.tm}; ++i) a[i] = As[t][ty + i * {rows_per}];",
        f"    for (int j = 0; j < {t.tn}; ++j) b[j] = Bs[t][tx + j * {cols}];",
        f"    for (int i = 0; i < {t.tm}; ++i)",
        f"      for (int j = 0; j < {t.tn}; ++j) acc[i][j] = fmaf(a[i], b[j], acc[i][j]);",
        "  }",
        "  __syncthreads();",
        "}",
        f"for (int i = 0; i < {t.tm}; ++i) {{",
        f"  const int m = m0 + ty + i * {rows_per};",
        f"  if (m >= {p.m}) continue;",
        f"  for (int j = 0; j < {t.tn}; ++j) {{",
        f"    const int o = n0 + tx + j * {cols};",
        f"    if (o >= {p.n}) continue;",
        *("    " + line for line in p.store("acc[i][j]", "m", "o")),
        "  }",
        "}",
    ]
    assert p.groups <= MAX_GRID_YZ
    grid = (ceil_div(p.m, t.bm), ceil_div(p.n, t.bn), p.groups)
    return Kernel(name, function(head, body), grid, (nt, 1, 1), True)
