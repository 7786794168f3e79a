"""`nn.dense`: ``y[..., u] = sum_k x[..., k] * weight[u, k]`` (a fully connected layer;
an x of rank above 2 is a stack of rows, as ONNX MatMul and torch.nn.Linear take it)."""

from __future__ import annotations

from typing import ClassVar

import numpy as np
from xdsl.irdl import operand_def, result_def, traits_def
from xdsl.traits import Pure

from relayout.dialects.nn.base import F32Tensor, NNOp, Shape, ShapeError, shape_of
from relayout.dialects.nn.registry import nn_op


@nn_op
class DenseOp(NNOp):
    name = "nn.dense"
    TVM_NAME: ClassVar = "nn_dense"
    x = operand_def(F32Tensor)
    weight = operand_def(F32Tensor)
    output = result_def(F32Tensor)
    traits = traits_def(Pure())
    assembly_format = "$x `,` $weight attr-dict `:` functional-type(operands, results)"

    def infer_shape(self) -> Shape:
        x, w = shape_of(self.x), shape_of(self.weight)
        if len(x) < 2 or len(w) != 2 or x[-1] != w[1]:
            raise ShapeError(
                f"needs x [..., K] (rank >= 2) and weight [units, K], got {list(x)} and {list(w)}"
            )
        return (*x[:-1], w[0])

    def reference(self, x: np.ndarray, weight: np.ndarray) -> np.ndarray:
        return (x @ weight.T).astype(np.float32)
