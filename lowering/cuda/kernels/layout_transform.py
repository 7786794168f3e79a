"""`nn.layout_transform`: a shared-memory tiled transpose for permutations that move the
innermost axis, a gather by the layout algebra otherwise (blocked layouts, permutations
that keep the innermost axis, where reads already coalesce, and transposes of a narrow
axis such as an image's 3 channels)."""

from __future__ import annotations

from collections.abc import Sequence
from math import prod

from relayout import layout as L
from relayout.dialects.nn import FusedOp, LayoutTransformOp
from relayout.dialects.nn.base import shape_of
from relayout.lowering.cuda.index import logical, offset, physical, strides, unravel
from relayout.lowering.cuda.kernel import (
    MAX_GRID_YZ,
    Kernel,
    ceil_div,
    function,
    per_element,
    signature,
)
from relayout.lowering.cuda.output import Output

TILE = 32
ROWS = 8
NARROW = 8
"""A tiled axis shorter than this leaves most of a tile's lanes idle on one side (3 of
32 writing, for C=3), while the gather's writes stay coalesced and its reads touch
only that many segments per warp."""


def lower(fused: FusedOp, name: str, out: Output) -> Kernel:
    (op,) = fused.ops
    assert isinstance(op, LayoutTransformOp)
    perm = L.permutation(op.src, op.dst)
    src_shape = shape_of(op.x)
    if (perm is None or perm[-1] == len(perm) - 1
            or min(src_shape[-1], src_shape[perm[-1]]) < NARROW):
        return gather(fused, name, out, op)
    return tiled_transpose(fused, name, out, src_shape, perm)


def gather(fused: FusedOp, name: str, out: Output, op: LayoutTransformOp) -> Kernel:
    src_shape = shape_of(op.x)

    def compute(coords: Sequence[str]) -> tuple[list[str], str]:
        src = physical(op.src, logical(op.dst, coords))
        return [], f"in0[{offset(src_shape, src)}]"

    return per_element(fused, name, out, compute)


def tiled_transpose(
    fused: FusedOp, name: str, out: Output, shape: tuple[int, ...], perm: tuple[int, ...]
) -> Kernel:
    """Tile the plane of the source's innermost axis ``a`` and the axis ``b`` that is
    innermost in the destination: reads run along ``a``, writes along ``b``, both
    coalesced; the 33-float rows keep the column reads free of bank conflicts. The other
    axes are the batch, walked by blockIdx.z."""
    rank = len(shape)
    a, b = rank - 1, perm[-1]
    src_stride = strides(shape)
    # ``out``'s steps, by source axis; along ``b``, 8 or more wide, it is the last of a
    # row-major buffer's (`Output`), so 1.
    dst_stride = {p: s for p, s in zip(perm, out.result.steps)}
    assert dst_stride[b] == 1
    rest = [i for i in range(rank) if i not in (a, b)]
    rest_shape = [shape[i] for i in rest]
    batch = prod(rest_shape)
    z_lines, z = unravel("z", rest_shape, "r")
    src_base = " + ".join(f"{c} * {src_stride[i]}" for c, i in zip(z, rest)) or "0"
    dst_base = offset(rest_shape, z, [dst_stride[i] for i in rest], out.result.base)
    body = [
        f"__shared__ float tile[{TILE}][{TILE + 1}];",
        f"const int a0 = blockIdx.x * {TILE}, b0 = blockIdx.y * {TILE};",
        f"for (int z = blockIdx.z; z < {batch}; z += gridDim.z) {{",
        *("  " + line for line in z_lines),
        f"  const int src = {src_base}, dst = {dst_base};",
        f"  for (int j = threadIdx.y; j < {TILE}; j += {ROWS}) {{",
        "    const int a = a0 + threadIdx.x, b = b0 + j;",
        (f"    if (a < {shape[a]} && b < {shape[b]}) "
        f"tile[j][threadIdx.x] = in0[src + b * {src_stride[b]} + a];"),
        "  }",
        "  __syncthreads();",
        f"  for (int j = threadIdx.y; j < {TILE}; j += {ROWS}) {{",
        "    const int b = b0 + threadIdx.x, a = a0 + j;",
        (f"    if (a < {shape[a]} && b < {shape[b]}) "
        f"out[dst + a * {dst_stride[a]} + b] = tile[threadIdx.x][j];"),
        "  }",
        "  __syncthreads();",
        "}",
    ]
    grid = (ceil_div(shape[a], TILE), ceil_div(shape[b], TILE), min(batch, MAX_GRID_YZ))
    return Kernel(name, function(signature(fused, name, out), body), grid, (TILE, ROWS, 1),
                  True)
