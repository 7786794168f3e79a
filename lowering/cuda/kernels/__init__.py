"""Kernel templates, one module per nn dialect file; `lower` picks the template for a
fused group from its first op (the anchor, or the head of an elementwise chain). The
GEMM templates also take the precision, which picks SIMT or tensor-core kernels."""

from __future__ import annotations

from relayout.dialects.nn import (
    BatchFlattenOp,
    ConcatOp,
    Conv2DOp,
    DenseOp,
    FusedOp,
    GlobalPool2DOp,
    LayoutTransformOp,
    MeanOp,
    PadOp,
    Pool2DOp,
    ReshapeOp,
    Resize2DOp,
    SoftmaxOp,
    TransposeOp,
)
from relayout.lowering.cuda.kernel import Kernel
from relayout.lowering.cuda.kernels import (
    concat,
    conv2d,
    dense,
    elementwise,
    layout_transform,
    pool,
    reduce,
    resize,
    shape_ops,
)

GEMM_TEMPLATES = {Conv2DOp: conv2d.lower, DenseOp: dense.lower}

TEMPLATES = {
    LayoutTransformOp: layout_transform.lower,
    Pool2DOp: pool.lower,
    GlobalPool2DOp: pool.lower_global,
    ConcatOp: concat.lower,
    ReshapeOp: shape_ops.lower_copy,
    BatchFlattenOp: shape_ops.lower_copy,
    TransposeOp: shape_ops.lower_transpose,
    PadOp: shape_ops.lower_pad,
    MeanOp: reduce.lower_mean,
    SoftmaxOp: reduce.lower_softmax,
    Resize2DOp: resize.lower,
}


def lower(fused: FusedOp, name: str, precision: str) -> Kernel:
    head = fused.ops[0]
    for op_type, template in GEMM_TEMPLATES.items():
        if isinstance(head, op_type):
            return template(fused, name, precision)
    for op_type, template in TEMPLATES.items():
        if isinstance(head, op_type):
            return template(fused, name)
    return elementwise.lower(fused, name)
