"""Split-K for the SIMT GEMM: when a GEMM's output tiles fill less than a wave of SMs
but its reduction is long (ResNet-50 at batch 1: 8 to 16 tiles of 64 x 64 over up to
4608), the reduction is cut into S ranges and every (tile, range) pair gets a block,
blockIdx.z = group * S + range.

Each block writes its fp32 partial tile to the ``partials`` workspace. The last of a
tile's S blocks to arrive adds the S partials in range order, so the sum does not
depend on which block came last (runs are bit-identical), and applies the fused
epilogue; the others exit.

Arrival is counted per tile by ``atomicInc(counter, S - 1)``, which wraps to zero on the
last arrival: the kernel leaves its counters at zero for the next launch or graph
replay without a reset (see `Workspace`). A block's threads `__threadfence()` before it
counts, so its partials are visible to whichever block reads them; that block reads
them with ``__ldcg`` (from L2: L1 does not see other SMs' writes).

The partials are laid out [tile][range][run][thread], a run being 4 accumulators of one
row, so every store and load of the block moves consecutive float4.
"""

from __future__ import annotations

from dataclasses import dataclass

from relayout.lowering.cuda.kernel import SMS, VEC, Workspace, ceil_div

MIN_DEPTH = 256
"""Reduction length below which a range's prologue and partial-sum traffic would cost
more than the parallelism it adds."""


@dataclass(frozen=True)
class SplitK:
    splits: int
    depth: int
    """Reduction length of a range, a multiple of BK so no slice straddles two."""
    k: int

    def prologue(self) -> list[str]:
        """The block's group ``g`` and reduction range [k_begin, k_end)."""
        if self.splits == 1:
            return [f"const int g = blockIdx.z, k_begin = 0, k_end = {self.k};"]
        return [
            f"const int g = blockIdx.z / {self.splits}, split = blockIdx.z % {self.splits};",
            (f"const int k_begin = split * {self.depth}, "
            f"k_end = min(k_begin + {self.depth}, {self.k});"),
        ]

    def workspace(self, tiles: int, tile_floats: int) -> Workspace | None:
        if self.splits == 1:
            return None
        return Workspace(tiles * self.splits * tile_floats, tiles)

    def reduce(self, threads: int, tm: int, tn: int) -> list[str]:
        """Statements after which, in the last block of a tile only, ``acc[tm][tn]`` holds
        the sum over all ranges."""
        if self.splits == 1:
            return []
        runs, s = tm * tn // VEC, self.splits
        acc = [f"acc[i][c * {VEC} + {e}]" for e in range(VEC)]
        at = f"(i * {tn // VEC} + c) * {threads}"
        return [
            "const int tile = (g * gridDim.y + blockIdx.y) * gridDim.x + blockIdx.x;",
            (f"float4* const part = reinterpret_cast<float4*>(partials) + "
            f"tile * {s * runs * threads} + tid;"),
            *_runs(tm, tn, [
                f"part[split * {runs * threads} + {at}] = make_float4({', '.join(acc)});"
            ]),
            "__threadfence();",
            "__syncthreads();",
            "__shared__ unsigned arrived;",
            f"if (tid == 0) arrived = atomicInc(&counters[tile], {s - 1});",
            "__syncthreads();",
            f"if (arrived != {s - 1}) return;",
            *_runs(tm, tn, [
                f"float4 sum = __ldcg(&part[{at}]);",
                f"for (int s = 1; s < {s}; ++s) {{",
                f"  const float4 v = __ldcg(&part[s * {runs * threads} + {at}]);",
                "  sum.x += v.x; sum.y += v.y; sum.z += v.z; sum.w += v.w;",
                "}",
                *(f"{a} = sum.{c};" for a, c in zip(acc, "xyzw")),
            ]),
        ]


def _runs(tm: int, tn: int, body: list[str]) -> list[str]:
    return [
        "#pragma unroll",
        f"for (int i = 0; i < {tm}; ++i) {{",
        "  #pragma unroll",
        f"  for (int c = 0; c < {tn // VEC}; ++c) {{",
        *("    " + line for line in body),
        "  }",
        "}",
    ]


def choose(tiles: int, k: int, bk: int) -> SplitK:
    """Enough ranges for about a wave of blocks, none shorter than `MIN_DEPTH`; one
    range where the tiles fill a wave already or the reduction is short."""
    wanted = max(1, min(ceil_div(SMS, tiles), k // MIN_DEPTH))
    depth = ceil_div(ceil_div(k, wanted), bk) * bk
    return SplitK(ceil_div(k, depth), depth, k)
