"""`nn.layout_transform`: the one op that moves data between layouts."""

from __future__ import annotations

import numpy as np
from xdsl.dialects.builtin import DenseIntOrFPElementsAttr
from xdsl.interfaces import HasFolderInterface
from xdsl.irdl import operand_def, prop_def, result_def, traits_def
from xdsl.traits import ConstantLike, Pure

from relayout import layout as L
from relayout.dialects.nn.base import F32Tensor, NNOp, Shape, ShapeError, shape_of
from relayout.dialects.nn.constant import from_numpy, to_numpy
from relayout.dialects.nn.layout_attr import LayoutConstraint, layout_of
from relayout.dialects.nn.registry import nn_op


@nn_op
class LayoutTransformOp(NNOp, HasFolderInterface):
    name = "nn.layout_transform"

    x = operand_def(F32Tensor)
    output = result_def(F32Tensor)
    src_layout = prop_def(LayoutConstraint(label=False))
    dst_layout = prop_def(LayoutConstraint(label=False))

    traits = traits_def(Pure())
    irdl_options = ()
    assembly_format = (
        "$x $src_layout `to` $dst_layout attr-dict `:` type($x) `->` type($output)"
    )

    @property
    def src(self) -> L.Layout:
        return layout_of(self.src_layout)

    @property
    def dst(self) -> L.Layout:
        return layout_of(self.dst_layout)

    def infer_shape(self) -> Shape:
        src, dst = self.src, self.dst
        if not src.convertible(dst):
            raise ShapeError(f"cannot convert {src} to {dst}: their primal axes differ")
        return L.transform_shape(shape_of(self.x), src, dst)

    def reference(self, x: np.ndarray) -> np.ndarray:
        return L.transform(x, self.src, self.dst)

    def fold(self):
        if self.src_layout == self.dst_layout:
            return (self.x,)
        c = ConstantLike.get_constant_value(self.x)
        if isinstance(c, DenseIntOrFPElementsAttr):
            return (from_numpy(self.reference(to_numpy(c))),)
        return None
