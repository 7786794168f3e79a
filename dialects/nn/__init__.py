"""The `nn` dialect: a tensor dialect for convolutional networks, layout-aware.

Each op's file holds its definition, shape rule and numpy reference implementation.
"""

from xdsl.dialect_interfaces.constant_materialization import ConstantMaterializationInterface
from xdsl.dialects.builtin import DenseIntOrFPElementsAttr, DenseResourceAttr
from xdsl.ir import Dialect

from relayout.dialects.nn.base import NNOp, ShapeError
from relayout.dialects.nn.constant import ConstantOp, from_numpy, to_numpy
from relayout.dialects.nn.conv2d import Conv2DOp
from relayout.dialects.nn.dense import DenseOp
from relayout.dialects.nn.elementwise import (
    ELEMENTWISE,
    AddOp,
    BinaryOp,
    ClipOp,
    DivideOp,
    MaximumOp,
    MinimumOp,
    MultiplyOp,
    ReluOp,
    SigmoidOp,
    SubtractOp,
    TanhOp,
    UnaryOp,
)
from relayout.dialects.nn.fused import FusedOp, YieldOp
from relayout.dialects.nn.layout_transform import LayoutTransformOp
from relayout.dialects.nn.normalization import BatchNormOp, BiasAddOp, ChannelOp
from relayout.dialects.nn.pool import (
    AvgPool2DOp,
    GlobalAvgPool2DOp,
    GlobalMaxPool2DOp,
    GlobalPool2DOp,
    LayoutOp,
    MaxPool2DOp,
    Pool2DOp,
)
from relayout.dialects.nn.reduce import MeanOp, SoftmaxOp
from relayout.dialects.nn.resize import Resize2DOp
from relayout.dialects.nn.shape_ops import BatchFlattenOp, ConcatOp, PadOp, ReshapeOp, TransposeOp


class NNMaterializer(ConstantMaterializationInterface):
    """Lets folds that return dense values become `nn.constant` ops."""

    def materialize_constant(self, value, type):
        if isinstance(value, DenseIntOrFPElementsAttr | DenseResourceAttr):
            return ConstantOp(value)
        return None


OPS = (
    ConstantOp, LayoutTransformOp, Conv2DOp, BiasAddOp, BatchNormOp, *ELEMENTWISE,
    MaxPool2DOp, AvgPool2DOp, GlobalAvgPool2DOp, GlobalMaxPool2DOp, ConcatOp, DenseOp,
    BatchFlattenOp, ReshapeOp, TransposeOp, SoftmaxOp, PadOp, Resize2DOp, MeanOp,
)

NN = Dialect("nn", [*OPS, FusedOp, YieldOp], [], [NNMaterializer()])

__all__ = [
    "ELEMENTWISE",
    "NN",
    "OPS",
    "AddOp",
    "AvgPool2DOp",
    "BatchFlattenOp",
    "BatchNormOp",
    "BiasAddOp",
    "BinaryOp",
    "ChannelOp",
    "ClipOp",
    "ConcatOp",
    "ConstantOp",
    "Conv2DOp",
    "DenseOp",
    "DivideOp",
    "FusedOp",
    "GlobalAvgPool2DOp",
    "GlobalMaxPool2DOp",
    "GlobalPool2DOp",
    "LayoutOp",
    "LayoutTransformOp",
    "MaxPool2DOp",
    "MaximumOp",
    "MeanOp",
    "MinimumOp",
    "MultiplyOp",
    "NNOp",
    "PadOp",
    "Pool2DOp",
    "ReluOp",
    "ReshapeOp",
    "Resize2DOp",
    "ShapeError",
    "SigmoidOp",
    "SoftmaxOp",
    "SubtractOp",
    "TanhOp",
    "TransposeOp",
    "UnaryOp",
    "YieldOp",
    "from_numpy",
    "to_numpy",
]
