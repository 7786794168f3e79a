"""Kernel templates, one module per nn dialect file; `lower` picks the template for a
fused group from its first op (the anchor, or the head of an elementwise chain). Every
template reads and writes where an `Output` says (buffers of their own, or slices of a
concat's); the GEMM templates also take the precision, which picks SIMT or tensor-core
kernels."""

from __future__ import annotations

import re
from collections.abc import Callable

from xdsl.ir import BlockArgument, SSAValue

from relayout.dialects.nn import (
    BatchFlattenOp,
    ChannelShuffleOp,
    ConcatOp,
    Conv2DOp,
    Conv2DTransposeOp,
    DeformConv2DOp,
    DenseOp,
    FusedOp,
    GlobalPool2DOp,
    GridSampleOp,
    LayerNormOp,
    LayoutTransformOp,
    LRNOp,
    MeanOp,
    PadOp,
    Pool2DOp,
    ReshapeOp,
    Resize2DOp,
    SliceOp,
    SoftmaxBaseOp,
    TransposeOp,
)
from relayout.dialects.nn.base import NNOp, ShapeError, check_tensor, shape_of
from relayout.dialects.nn.registry import lookup
from relayout.dialects.nn.windows import INT_LIMIT
from relayout.layout import LayoutError
from relayout.lowering.cuda.epilogue import loads_only
from relayout.lowering.cuda.kernel import Kernel
from relayout.lowering.cuda.kernels import (
    concat,
    conv2d,
    conv2d_transpose,
    deform_conv2d,
    dense,
    elementwise,
    grid_sample,
    layer_norm,
    layout_transform,
    lrn,
    pool,
    reduce,
    resize,
    shape_ops,
    slicing,
)
from relayout.lowering.cuda.output import Output
from relayout.lowering.cuda.prologue import parts
from relayout.lowering.cuda.store_transform import (
    permuted_output,
    store_transform,
    without_store_transform,
)

Template = Callable[[FusedOp, str, Output], Kernel]
"""A kernel template: the kernel of a fused group, given the kernel's name and where
it reads and writes."""
GemmTemplate = Callable[[FusedOp, str, Output, str], Kernel]
"""A GEMM template, which also takes the precision."""

GEMM_TEMPLATES: dict[type[NNOp], GemmTemplate] = {Conv2DOp: conv2d.lower, DenseOp: dense.lower}

TEMPLATES: dict[type[NNOp], Template] = {
    LayoutTransformOp: layout_transform.lower,
    Conv2DTransposeOp: conv2d_transpose.lower,
    DeformConv2DOp: deform_conv2d.lower,
    LayerNormOp: layer_norm.lower,
    Pool2DOp: pool.lower,
    GlobalPool2DOp: pool.lower_global,
    ConcatOp: concat.lower,
    TransposeOp: shape_ops.lower_transpose,
    PadOp: shape_ops.lower_pad,
    SliceOp: slicing.lower_slice,
    ChannelShuffleOp: slicing.lower_channel_shuffle,
    MeanOp: reduce.lower_mean,
    SoftmaxBaseOp: reduce.lower_softmax,
    Resize2DOp: resize.lower,
    LRNOp: lrn.lower,
    GridSampleOp: grid_sample.lower,
}

Flops = Callable[[NNOp], int]
"""An op's floating-point operations, for the data-movement report (`report.py`)."""
Reads = Callable[[NNOp, SSAValue], int]
"""How many elements of an operand an op must read, where it need not read them all."""


def moves_only(op: NNOp) -> int:
    """The FLOPs of an op that only moves or selects elements."""
    return 0


FLOPS: dict[type[NNOp], Flops] = {
    Conv2DOp: conv2d.flops,
    DenseOp: dense.flops,
    Conv2DTransposeOp: conv2d_transpose.flops,
    DeformConv2DOp: deform_conv2d.flops,
    LayerNormOp: layer_norm.flops,
    Pool2DOp: pool.flops,
    GlobalPool2DOp: pool.flops_global,
    MeanOp: reduce.flops_mean,
    SoftmaxBaseOp: reduce.flops_softmax,
    LRNOp: lrn.flops,
    Resize2DOp: resize.flops,
    GridSampleOp: grid_sample.flops,
    **dict.fromkeys((LayoutTransformOp, ConcatOp, TransposeOp, PadOp, SliceOp,
                     ChannelShuffleOp, ReshapeOp, BatchFlattenOp), moves_only),
}
"""By op class or base class; an op without one (the elementwise ops) counts one per
element of its result."""

READS: dict[type[NNOp], Reads] = {SliceOp: slicing.reads_slice}
"""By op class or base class; an op without one reads every element of its operands."""


class IndexRangeError(ValueError):
    """A kernel's index math would not be exact in 32-bit C `int`."""


# An integer literal of the C source: not part of a name, a float or a hex number.
_INT_LITERAL = re.compile(r"(?<![\w.])\d+(?![\w.])")


def lower(fused: FusedOp, name: str, out: Output, precision: str) -> Kernel:
    """The kernel of ``fused``; IndexRangeError where its index math would not be exact."""
    check_index_range(fused)
    if (store := store_transform(fused)) is not None:
        with without_store_transform(fused, store) as inner:
            kernel = _template(inner, name, permuted_output(out, store), precision)
    else:
        kernel = _template(fused, name, out, precision)
    # Every integer the source uses, and the workspace it indexes, must be a C `int`.
    numbers = [int(n) for n in _INT_LITERAL.findall(kernel.source)]
    for n in [*numbers, kernel.workspace.partials if kernel.workspace else 0]:
        if n >= INT_LIMIT:
            raise IndexRangeError(f"{fused.ops[0].name}: kernel {name} would index with "
                                  f"{n}, beyond the 32-bit int of its index math")
    return kernel


def check_index_range(fused: FusedOp) -> None:
    """The backstop behind the shape rules, for IR that was never verified: templates
    index in C `int`, exact while every tensor keeps within MAX_ELEMENTS (2^28, which
    leaves room for tile rounding) and every op's window properties and padded extents
    pass its shape rule (see `windows.INT_LIMIT`)."""
    for op in fused.ops:
        if not isinstance(op, NNOp):
            continue
        try:
            op.check_operands()
            op.infer_shape()
            check_tensor(shape_of(op.result), "result")
        except (ShapeError, LayoutError) as e:
            raise IndexRangeError(f"{op.name}: cannot lower: {e}") from None


def reads_in_place(fused: FusedOp, arg: BlockArgument) -> bool:
    """Whether the kernel of ``fused`` reads operand ``arg`` wherever the plan puts it,
    a slice of a larger buffer too (`Output.views`): a concat's copies do, and so do the
    loads of the elementwise ops of a chain or an epilogue (`epilogue.tail`), and the
    pools' window loads. The other templates' own loads (GEMM operands, some as float4)
    take a buffer of the operand's own."""
    group = parts(fused)
    if isinstance(group.anchor, ConcatOp):
        return True
    if isinstance(group.anchor, Pool2DOp | GlobalPool2DOp):
        return all(use.operation is group.anchor for use in arg.uses)
    head = type(group.anchor)
    templated = lookup(GEMM_TEMPLATES, head) is not None or lookup(TEMPLATES, head) is not None
    return loads_only(group.epilogue if templated else fused.ops, arg)


def _template(fused: FusedOp, name: str, out: Output, precision: str) -> Kernel:
    """The template of the group's head op's class (after a fused layout transform, see
    `prologue.py`) or its nearest base class; any other group is an elementwise chain,
    whose ops give their own C (`UnaryOp.c_expr`, ...)."""
    head = type(parts(fused).anchor)
    if (gemm_template := lookup(GEMM_TEMPLATES, head)) is not None:
        return gemm_template(fused, name, out, precision)
    if (template := lookup(TEMPLATES, head)) is not None:
        return template(fused, name, out)
    return elementwise.lower(fused, name, out)
