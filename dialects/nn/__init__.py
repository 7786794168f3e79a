"""The `nn` dialect: a tensor dialect for convolutional networks, layout-aware.

Each op's file holds its definition, shape rule, numpy reference implementation and the
class variables other stages read (see `NNOp`); ops are defined with ``@nn_op``, which
registers them (`registry.py`). The dialect is built from the registry: `nn_dialect()`
at call time (`relayout.dialects.context.make_context` uses it, so ops registered later
with `extra_ops` are known to the contexts it makes), `NN` once at import (for
xdsl-opt's universe).
"""

from xdsl.dialect_interfaces.constant_materialization import ConstantMaterializationInterface
from xdsl.dialects.builtin import DenseIntOrFPElementsAttr, DenseResourceAttr
from xdsl.ir import Attribute, Dialect, Operation

from relayout.dialects.nn.base import NNOp as NNOp
from relayout.dialects.nn.base import ShapeError as ShapeError
from relayout.dialects.nn.base import tvm_name as tvm_name
from relayout.dialects.nn.constant import ConstantOp as ConstantOp
from relayout.dialects.nn.constant import from_numpy as from_numpy
from relayout.dialects.nn.constant import to_numpy as to_numpy
from relayout.dialects.nn.conv2d import Conv2DOp as Conv2DOp
from relayout.dialects.nn.conv2d_transpose import Conv2DTransposeOp as Conv2DTransposeOp
from relayout.dialects.nn.deform_conv2d import DeformConv2DOp as DeformConv2DOp
from relayout.dialects.nn.dense import DenseOp as DenseOp
from relayout.dialects.nn.elementwise import ELEMENTWISE as ELEMENTWISE
from relayout.dialects.nn.elementwise import AddOp as AddOp
from relayout.dialects.nn.elementwise import BinaryOp as BinaryOp
from relayout.dialects.nn.elementwise import ClipOp as ClipOp
from relayout.dialects.nn.elementwise import DivideOp as DivideOp
from relayout.dialects.nn.elementwise import MaximumOp as MaximumOp
from relayout.dialects.nn.elementwise import MinimumOp as MinimumOp
from relayout.dialects.nn.elementwise import MultiplyOp as MultiplyOp
from relayout.dialects.nn.elementwise import ReluOp as ReluOp
from relayout.dialects.nn.elementwise import SigmoidOp as SigmoidOp
from relayout.dialects.nn.elementwise import SubtractOp as SubtractOp
from relayout.dialects.nn.elementwise import TanhOp as TanhOp
from relayout.dialects.nn.elementwise import UnaryOp as UnaryOp
from relayout.dialects.nn.fused import FusedOp as FusedOp
from relayout.dialects.nn.fused import YieldOp as YieldOp
from relayout.dialects.nn.grid_sample import GridSampleOp as GridSampleOp
from relayout.dialects.nn.layer_norm import LayerNormOp as LayerNormOp
from relayout.dialects.nn.layout_attr import LayoutAttr as LayoutAttr
from relayout.dialects.nn.layout_transform import LayoutTransformOp as LayoutTransformOp
from relayout.dialects.nn.lrn import LRNOp as LRNOp
from relayout.dialects.nn.normalization import BatchNormOp as BatchNormOp
from relayout.dialects.nn.normalization import BiasAddOp as BiasAddOp
from relayout.dialects.nn.normalization import ChannelOp as ChannelOp
from relayout.dialects.nn.pool import AvgPool2DOp as AvgPool2DOp
from relayout.dialects.nn.pool import GlobalAvgPool2DOp as GlobalAvgPool2DOp
from relayout.dialects.nn.pool import GlobalMaxPool2DOp as GlobalMaxPool2DOp
from relayout.dialects.nn.pool import GlobalPool2DOp as GlobalPool2DOp
from relayout.dialects.nn.pool import LayoutOp as LayoutOp
from relayout.dialects.nn.pool import LpPool2DOp as LpPool2DOp
from relayout.dialects.nn.pool import MaxPool2DOp as MaxPool2DOp
from relayout.dialects.nn.pool import Pool2DOp as Pool2DOp
from relayout.dialects.nn.reduce import LogSoftmaxOp as LogSoftmaxOp
from relayout.dialects.nn.reduce import MeanOp as MeanOp
from relayout.dialects.nn.reduce import SoftmaxBaseOp as SoftmaxBaseOp
from relayout.dialects.nn.reduce import SoftmaxOp as SoftmaxOp
from relayout.dialects.nn.registry import extra_ops as extra_ops
from relayout.dialects.nn.registry import lookup as lookup
from relayout.dialects.nn.registry import nn_op as nn_op
from relayout.dialects.nn.registry import registered_ops as registered_ops
from relayout.dialects.nn.resize import Resize2DOp as Resize2DOp
from relayout.dialects.nn.shape_ops import BatchFlattenOp as BatchFlattenOp
from relayout.dialects.nn.shape_ops import ConcatOp as ConcatOp
from relayout.dialects.nn.shape_ops import PadOp as PadOp
from relayout.dialects.nn.shape_ops import ReshapeOp as ReshapeOp
from relayout.dialects.nn.shape_ops import TransposeOp as TransposeOp
from relayout.dialects.nn.slicing import ChannelShuffleOp as ChannelShuffleOp
from relayout.dialects.nn.slicing import SliceOp as SliceOp


class NNMaterializer(ConstantMaterializationInterface):
    """Lets folds that return dense values become `nn.constant` ops."""

    def materialize_constant(self, value: Attribute, type: Attribute) -> Operation | None:
        if isinstance(value, DenseIntOrFPElementsAttr | DenseResourceAttr):
            return ConstantOp(value)
        return None


def all_ops() -> tuple[type[Operation], ...]:
    """Every op of the dialect now: `nn.constant`, the registered ops, `nn.fused` and
    `nn.yield`."""
    return (ConstantOp, *registered_ops(), FusedOp, YieldOp)


def nn_dialect() -> Dialect:
    """The `nn` dialect with the ops registered now (those of `extra_ops` included)."""
    return Dialect("nn", list(all_ops()), [LayoutAttr], [NNMaterializer()])


OPS: tuple[type[Operation], ...] = (ConstantOp, *registered_ops())
"""`nn.constant` and the ops registered at import (a snapshot; see `registered_ops`)."""

NN = nn_dialect()
"""The dialect as registered at import (xdsl-opt's universe loads it)."""
