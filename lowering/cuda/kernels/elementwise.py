"""Elementwise chains (unary, binary with broadcasting, bias_add, batch_norm), one
thread per output element."""

from __future__ import annotations

from relayout.dialects.nn import FusedOp
from relayout.lowering.cuda.epilogue import tail
from relayout.lowering.cuda.kernel import Kernel, per_element
from relayout.lowering.cuda.output import Output


def lower(fused: FusedOp, name: str, out: Output) -> Kernel:
    return per_element(fused, name, out, lambda coords: tail(fused, out, fused.ops, {}, coords))
