"""`nn.layer_norm`: one block per row (a combination of the kept axes), its threads
striding over the normalized elements; the mean, then the variance of the centred
values (two passes, as the reference computes them), are sums reduced in shared memory.
In NHWC over C a row is contiguous, so the block's loads coalesce."""

from __future__ import annotations

from math import prod

from xdsl.ir import BlockArgument, SSAValue

from relayout.dialects.nn import FusedOp, LayerNormOp, NNOp
from relayout.dialects.nn.base import shape_of
from relayout.dialects.nn.elementwise import c_float
from relayout.lowering.cuda.index import offset, unravel
from relayout.lowering.cuda.kernel import Kernel, function, signature
from relayout.lowering.cuda.output import Output

MAX_THREADS = 256
MAX_BLOCKS = 1 << 16


def _arg(value: SSAValue) -> str:
    assert isinstance(value, BlockArgument)
    return f"in{value.index}"


def _block_sum(var: str, threads: int) -> list[str]:
    """``var`` summed over the block, in ``red[0]`` for every thread to read."""
    return [
        f"red[threadIdx.x] = {var};",
        "__syncthreads();",
        f"for (int k = {threads // 2}; k > 0; k >>= 1) {{",
        "  if (threadIdx.x < k) red[threadIdx.x] += red[threadIdx.x + k];",
        "  __syncthreads();",
        "}",
    ]


def lower(fused: FusedOp, name: str, out: Output) -> Kernel:
    (op,) = fused.ops
    assert isinstance(op, LayerNormOp)
    shape, axes = shape_of(op.x), op.normalized
    kept = [i for i in range(len(shape)) if i not in axes]
    rows, count = prod(shape[i] for i in kept), prod(shape[a] for a in axes)
    threads = min(MAX_THREADS, max(32, 1 << (count - 1).bit_length()))
    row_lines, row = unravel("r", [shape[i] for i in kept], "k")
    t_lines, t = unravel("t", [shape[a] for a in axes], "a")
    coords = [row[kept.index(i)] if i in kept else t[axes.index(i)] for i in range(len(shape))]
    x = f"{_arg(op.x)}[{offset(shape, coords)}]"

    def over_row(body: list[str]) -> list[str]:
        return [
            f"for (int t = threadIdx.x; t < {count}; t += {threads}) {{",
            *("  " + line for line in [*t_lines, *body]),
            "}",
        ]

    scale = f"{_arg(op.scale)}[{offset(shape_of(op.scale), coords)}]"
    bias = f"{_arg(op.bias)}[{offset(shape_of(op.bias), coords)}]"
    body = [
        f"__shared__ float red[{threads}];",
        f"for (int r = blockIdx.x; r < {rows}; r += gridDim.x) {{",
        *(
            "  " + line
            for line in [
                *row_lines,
                "float sum = 0.0f;",
                *over_row([f"sum += {x};"]),
                *_block_sum("sum", threads),
                f"const float mean = red[0] / {count}.0f;",
                "__syncthreads();",
                "float sq = 0.0f;",
                *over_row([f"const float d = {x} - mean;", "sq = fmaf(d, d, sq);"]),
                *_block_sum("sq", threads),
                (f"const float inv = 1.0f / sqrtf(red[0] / {count}.0f + "
                 f"{c_float(op.epsilon.value.data)});"),
                "__syncthreads();",
                *over_row([f"out[{out.at(coords)}] = ({x} - mean) * inv * {scale} + {bias};"]),
            ]
        ),
        "}",
    ]
    return Kernel(
        name, function(signature(fused, name, out), body), (min(rows, MAX_BLOCKS), 1, 1),
        (threads, 1, 1), barrier=True,
    )


def flops(op: NNOp) -> int:
    """Per element: an add for the mean, three (subtract, multiply, add) for the
    variance, and four to normalize, scale and shift."""
    assert isinstance(op, LayerNormOp)
    return 8 * prod(shape_of(op.output))
