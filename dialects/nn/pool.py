"""Pooling: windowed `nn.max_pool2d`/`nn.avg_pool2d` and the global pools, in any
layout with N, C, H and W (blocked ones included) named by their `layout`."""

from __future__ import annotations

from typing import ClassVar

import numpy as np
from xdsl.dialects.builtin import BoolAttr, DenseArrayBase, IntegerAttr, StringAttr, i1, i64
from xdsl.irdl import irdl_op_definition, operand_def, prop_def, result_def, traits_def
from xdsl.traits import Pure

from relayout import layout as L
from relayout.dialects.nn.base import F32Tensor, NNOp, Shape, ShapeError, ints, layout_prop, shape_of
from relayout.dialects.nn.windows import out_extent, windows

_FALSE = IntegerAttr(0, i1)


class LayoutOp(NNOp):
    """An op over NCHW-like data whose axes its `layout` property names."""

    @property
    def data_layout(self) -> L.Layout:
        return layout_prop(self.layout.data, "NCHW", len(shape_of(self.x)))

    def extents(self) -> dict[str, int]:
        return self.data_layout.logical_extents(shape_of(self.x))


class Pool2DOp(LayoutOp):
    x = operand_def(F32Tensor)
    output = result_def(F32Tensor)
    pool_size = prop_def(DenseArrayBase.constr(i64))
    strides = prop_def(DenseArrayBase.constr(i64), default_value=DenseArrayBase.from_list(i64, [1, 1]))
    dilation = prop_def(DenseArrayBase.constr(i64), default_value=DenseArrayBase.from_list(i64, [1, 1]))
    padding = prop_def(
        DenseArrayBase.constr(i64), default_value=DenseArrayBase.from_list(i64, [0, 0, 0, 0])
    )
    layout = prop_def(StringAttr, default_value=StringAttr("NCHW"))
    ceil_mode = prop_def(BoolAttr, default_value=_FALSE)
    traits = traits_def(Pure())
    assembly_format = "$x attr-dict `:` functional-type(operands, results)"

    def spatial(self) -> tuple[int, int]:
        e = self.extents()
        (kh, kw), (sh, sw), (dh, dw), p = (
            ints(self.pool_size), ints(self.strides), ints(self.dilation), ints(self.padding),
        )
        ceil = bool(self.ceil_mode.value.data)
        return (
            out_extent(e["H"], kh, sh, dh, p[0], p[2], ceil),
            out_extent(e["W"], kw, sw, dw, p[1], p[3], ceil),
        )

    def infer_shape(self) -> Shape:
        if len(ints(self.pool_size)) != 2 or min(ints(self.pool_size)) < 1:
            raise ShapeError("pool_size needs two values >= 1")
        if len(ints(self.padding)) != 4 or min(ints(self.padding)) < 0:
            raise ShapeError("padding needs 4 values >= 0")
        if min(ints(self.strides) + ints(self.dilation)) < 1:
            raise ShapeError("strides and dilation must be >= 1")
        oh, ow = self.spatial()
        return self.data_layout.shape_for({**self.extents(), "H": oh, "W": ow})

    def _windows(self, x: np.ndarray, fill: float, padding: tuple[int, ...] | None = None):
        """NCHW windows, trimmed to the output extent (ceil mode pads the tail further)."""
        oh, ow = self.spatial()
        k, s, d = ints(self.pool_size), ints(self.strides), ints(self.dilation)
        p = ints(self.padding) if padding is None else padding
        need = [(o - 1) * st + dl * (kk - 1) + 1 for o, st, dl, kk in zip((oh, ow), s, d, k)]
        have = [x.shape[2] + p[0] + p[2], x.shape[3] + p[1] + p[3]]
        extra = [max(0, n - h) for n, h in zip(need, have)]
        return windows(x, k, s, d, p, fill, extra)[:, :, :oh, :ow]

    def reference(self, data: np.ndarray) -> np.ndarray:
        x = L.transform(data, self.data_layout, "NCHW")
        y = self.pool(x)
        return L.transform(y.astype(np.float32), "NCHW", self.data_layout)


@irdl_op_definition
class MaxPool2DOp(Pool2DOp):
    name = "nn.max_pool2d"

    def pool(self, x: np.ndarray) -> np.ndarray:
        # A window that holds only padding gives the lowest float, not -inf, as in
        # ONNX Runtime.
        return self._windows(x, np.finfo(np.float32).min).max(axis=(-2, -1))


@irdl_op_definition
class AvgPool2DOp(Pool2DOp):
    name = "nn.avg_pool2d"
    count_include_pad = prop_def(BoolAttr, default_value=_FALSE)

    def pool(self, x: np.ndarray) -> np.ndarray:
        total = self._windows(x, 0.0).sum(axis=(-2, -1))
        # Padding that the user asked for counts when count_include_pad; the extra tail
        # of a ceil-mode window never does (PyTorch and ONNX Runtime agree).
        p = ints(self.padding)
        inside = np.ones((1, 1, x.shape[2], x.shape[3]), np.float32)
        if self.count_include_pad.value.data:
            inside = np.pad(inside, ((0, 0), (0, 0), (p[0], p[2]), (p[1], p[3])), constant_values=1)
            counted = self._windows(inside, 0.0, (0, 0, 0, 0))
        else:
            counted = self._windows(inside, 0.0)
        # A window of only padding that does not count gives 0, as in ONNX Runtime.
        return total / np.maximum(counted.sum(axis=(-2, -1)), 1)


class GlobalPool2DOp(LayoutOp):
    x = operand_def(F32Tensor)
    output = result_def(F32Tensor)
    layout = prop_def(StringAttr, default_value=StringAttr("NCHW"))
    traits = traits_def(Pure())
    assembly_format = "$x attr-dict `:` functional-type(operands, results)"

    def infer_shape(self) -> Shape:
        return self.data_layout.shape_for({**self.extents(), "H": 1, "W": 1})

    def reference(self, data: np.ndarray) -> np.ndarray:
        x = L.transform(data, self.data_layout, "NCHW")
        y = self.REDUCE(x, axis=(2, 3), keepdims=True).astype(np.float32)
        return L.transform(y, "NCHW", self.data_layout)


@irdl_op_definition
class GlobalAvgPool2DOp(GlobalPool2DOp):
    name = "nn.global_avg_pool2d"
    REDUCE: ClassVar = staticmethod(np.mean)


@irdl_op_definition
class GlobalMaxPool2DOp(GlobalPool2DOp):
    name = "nn.global_max_pool2d"
    REDUCE: ClassVar = staticmethod(np.max)
