"""The `precision` option of the CUDA lowering, and the GEMM kernel it selects.

``fp32`` runs every GEMM (implicit-GEMM convs, dense) on the SIMT kernel; ``tf32`` runs
those the tensor-core kernel fits (see `tf32_gemm.fits`) on tensor cores, with inputs
rounded to TF32 (10 mantissa bits) and fp32 accumulation, and the rest on SIMT.
"""

from __future__ import annotations

from functools import partial

from relayout.dialects.nn import FusedOp
from relayout.lowering.cuda import gemm, tf32_gemm
from relayout.lowering.cuda.kernel import Kernel, signature
from relayout.lowering.cuda.output import Output

PRECISIONS = ("fp32", "tf32")


def check(precision: str) -> str:
    if precision not in PRECISIONS:
        raise ValueError(f"unknown precision {precision!r}: use {' or '.join(PRECISIONS)}")
    return precision


def lower_gemm(
    fused: FusedOp, name: str, out: Output, p: gemm.Problem, precision: str
) -> Kernel:
    if precision == "tf32" and tf32_gemm.fits(p):
        return tf32_gemm.lower(signature(fused, name, out), name, p)
    return gemm.lower(partial(signature, fused, name, out), name, p)
