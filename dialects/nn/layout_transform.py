"""`nn.layout_transform`: the one op that moves data between layouts."""

from __future__ import annotations

import numpy as np
from xdsl.dialects.builtin import DenseIntOrFPElementsAttr, StringAttr
from xdsl.interfaces import HasCanonicalizationPatternsInterface, HasFolderInterface
from xdsl.irdl import irdl_op_definition, operand_def, prop_def, result_def, traits_def
from xdsl.traits import ConstantLike, Pure

from relayout import layout as L
from relayout.dialects.nn.base import F32Tensor, NNOp, Shape, ShapeError, shape_of
from relayout.dialects.nn.constant import from_numpy, to_numpy


@irdl_op_definition
class LayoutTransformOp(NNOp, HasFolderInterface, HasCanonicalizationPatternsInterface):
    name = "nn.layout_transform"

    x = operand_def(F32Tensor)
    output = result_def(F32Tensor)
    src_layout = prop_def(StringAttr)
    dst_layout = prop_def(StringAttr)

    traits = traits_def(Pure())
    irdl_options = ()
    assembly_format = (
        "$x $src_layout `to` $dst_layout attr-dict `:` type($x) `->` type($output)"
    )

    @property
    def src(self) -> L.Layout:
        return L.parse(self.src_layout.data)

    @property
    def dst(self) -> L.Layout:
        return L.parse(self.dst_layout.data)

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

    @classmethod
    def get_canonicalization_patterns(cls):
        from relayout.passes.simplify_layout_transforms import PATTERNS

        return PATTERNS
