"""`nn.layer_norm`: normalize over a set of axes, then scale and shift.

``y = (x - mean) / sqrt(var + epsilon) * scale + bias`` with the mean and the (biased)
variance taken over ``axes``. ONNX LayerNormalization normalizes the axes from its
``axis`` to the last; the op takes any set, so that a LayerNorm over C names C wherever
a layout puts it (axis 1 in NCHW, axis 3 in NHWC, axes 1 and 4 in NCHW16c). ``scale``
and ``bias`` have the rank of ``x`` and broadcast against it, so the layout rule moves
them as it moves any broadcasting operand (passes/layout_rules/layer_norm.py).
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np
from xdsl.dialects.builtin import DenseArrayBase, FloatAttr, f32, i64
from xdsl.irdl import operand_def, prop_def, result_def, traits_def
from xdsl.traits import Pure

from relayout.dialects.nn.base import F32Tensor, NNOp, Shape, ShapeError, ints, norm_axis, shape_of
from relayout.dialects.nn.registry import nn_op


@nn_op
class LayerNormOp(NNOp):
    name = "nn.layer_norm"
    TVM_NAME: ClassVar = "nn_layer_norm"
    x = operand_def(F32Tensor)
    scale = operand_def(F32Tensor)
    bias = operand_def(F32Tensor)
    output = result_def(F32Tensor)
    axes = prop_def(DenseArrayBase.constr(i64))
    epsilon = prop_def(FloatAttr.constr(f32), default_value=FloatAttr(1e-5, f32))
    traits = traits_def(Pure())
    assembly_format = "operands attr-dict `:` functional-type(operands, results)"

    @property
    def normalized(self) -> tuple[int, ...]:
        """The normalized axes, sorted and >= 0."""
        rank = len(shape_of(self.x))
        axes = tuple(sorted(norm_axis(a, rank, self.name) for a in ints(self.axes)))
        if not axes or len(set(axes)) != len(axes):
            raise ShapeError(f"axes {list(ints(self.axes))} must name distinct axes, at least one")
        return axes

    def infer_shape(self) -> Shape:
        shape = shape_of(self.x)
        self.normalized  # noqa: B018 -- the axes check raises ShapeError
        eps = self.epsilon.value.data
        if not eps >= 0:  # also refuses NaN
            raise ShapeError(f"epsilon {eps} must be >= 0")
        for what, p in (("scale", self.scale), ("bias", self.bias)):
            ps = shape_of(p)
            if len(ps) != len(shape) or any(a not in (1, b) for a, b in zip(ps, shape)):
                raise ShapeError(
                    f"{what} of shape {list(ps)} must have the rank of x {list(shape)} and "
                    "broadcast against it"
                )
        return shape

    def reference(self, x: np.ndarray, scale: np.ndarray, bias: np.ndarray) -> np.ndarray:
        axes = self.normalized
        centered = x - x.mean(axis=axes, keepdims=True, dtype=np.float32)
        var = (centered * centered).mean(axis=axes, keepdims=True, dtype=np.float32)
        inv = np.float32(1) / np.sqrt(var + np.float32(self.epsilon.value.data))
        return (centered * inv * scale + bias).astype(np.float32)
