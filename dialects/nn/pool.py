"""Pooling: windowed `nn.max_pool2d`/`nn.avg_pool2d` and the global pools, in any
layout with N, C, H and W (blocked ones included) named by their `layout`."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar

import numpy as np
import numpy.typing as npt
from xdsl.dialects.builtin import I64, BoolAttr, DenseArrayBase, IntegerAttr, i1, i64
from xdsl.ir import SSAValue
from xdsl.irdl import operand_def, prop_def, result_def, traits_def
from xdsl.traits import Pure

from relayout import layout as L
from relayout.dialects.nn.base import (
    F32Tensor,
    NNOp,
    Shape,
    ShapeError,
    check_size,
    ints,
    layout_prop,
    shape_of,
)
from relayout.dialects.nn.layout_attr import LayoutAttr, LayoutConstraint
from relayout.dialects.nn.registry import nn_op
from relayout.dialects.nn.windows import check_int32, out_extent, padded_extent, windows

_FALSE = IntegerAttr(0, i1)


class LayoutOp(NNOp):
    """An op over NCHW-like data ``x`` whose axes its `layout` property names: the pools,
    `nn.resize2d`, `nn.lrn` and `nn.grid_sample` (whose grid, a second operand, has no
    layout to follow).

    Layout rule: follows its producer's layout, or the layout the user anchors its kind
    to (passes/layout_rules/pool.py `follow_or_anchor`); kernel: its own, one thread per
    output element (lowering/cuda/kernels/pool.py, lowering/cuda/kernels/resize.py,
    lowering/cuda/kernels/lrn.py, lowering/cuda/kernels/grid_sample.py); fusion: none, a
    group of its own (passes/fuse_ops.py)."""

    if TYPE_CHECKING:  # declared by each subclass (operand_def/prop_def)
        x: SSAValue
        layout: LayoutAttr

    @property
    def data_layout(self) -> L.Layout:
        return layout_prop(self.layout, "NCHW", len(shape_of(self.x)))

    def extents(self) -> dict[str, int]:
        return self.data_layout.logical_extents(shape_of(self.x))


class Pool2DOp(LayoutOp):
    """A windowed pool; subclasses give `pool`. Kernel: lowering/cuda/kernels/pool.py
    `lower`."""

    x = operand_def(F32Tensor)
    output = result_def(F32Tensor)
    pool_size = prop_def(DenseArrayBase.constr(i64))
    strides = prop_def(DenseArrayBase.constr(i64), default_value=DenseArrayBase.from_list(i64, [1, 1]))
    dilation = prop_def(DenseArrayBase.constr(i64), default_value=DenseArrayBase.from_list(i64, [1, 1]))
    padding = prop_def(
        DenseArrayBase.constr(i64), default_value=DenseArrayBase.from_list(i64, [0, 0, 0, 0])
    )
    layout = prop_def(LayoutConstraint(), default_value=LayoutAttr("NCHW"))
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
        k, s, d = ints(self.pool_size), ints(self.strides), ints(self.dilation)
        p = ints(self.padding)
        if len(k) != 2 or min(k) < 1:
            raise ShapeError("pool_size needs two values >= 1")
        if len(p) != 4 or min(p) < 0:
            raise ShapeError("padding needs 4 values >= 0")
        if len(s) != 2 or len(d) != 2 or min(s + d) < 1:
            raise ShapeError("strides and dilation must be >= 1, two values each")
        check_int32(pool_size=k, strides=s, dilation=d, padding=p)
        # ONNX Runtime's rule; a larger pad only adds windows that see no input.
        if max(p[0], p[2]) >= k[0] or max(p[1], p[3]) >= k[1]:
            raise ShapeError(f"padding {list(p)} must be below pool_size {list(k)} on each "
                             "side")
        oh, ow = self.spatial()
        e = self.extents()
        # The reference pads the input before it slides the windows.
        check_size([e["N"], e["C"], *self.padded(e["H"], e["W"])], "padded input")
        return self.data_layout.shape_for({**e, "H": oh, "W": ow})

    def padded(
        self, h: int, w: int, padding: tuple[int, ...] | None = None
    ) -> tuple[int, int]:
        """Padded NCHW extents the windows of an ``h`` x ``w`` input read."""
        (oh, ow), k = self.spatial(), ints(self.pool_size)
        s, d = ints(self.strides), ints(self.dilation)
        p = ints(self.padding) if padding is None else padding
        return (
            padded_extent(h, oh, k[0], s[0], d[0], p[0], p[2]),
            padded_extent(w, ow, k[1], s[1], d[1], p[1], p[3]),
        )

    def _windows(self, x: np.ndarray, fill: float, padding: tuple[int, ...] | None = None):
        """NCHW windows, trimmed to the output extent (ceil mode pads the tail further)."""
        oh, ow = self.spatial()
        k, s, d = ints(self.pool_size), ints(self.strides), ints(self.dilation)
        p = ints(self.padding) if padding is None else padding
        ph, pw = self.padded(x.shape[2], x.shape[3], p)
        extra = (ph - (x.shape[2] + p[0] + p[2]), pw - (x.shape[3] + p[1] + p[3]))
        return windows(x, k, s, d, p, fill, extra)[:, :, :oh, :ow]

    def pool(self, x: np.ndarray) -> np.ndarray:
        """The pool of an NCHW array."""
        raise NotImplementedError(f"{self.name} gives no pool")

    def reference(self, data: np.ndarray) -> np.ndarray:
        x = L.transform(data, self.data_layout, "NCHW")
        y = self.pool(x)
        return L.transform(y.astype(np.float32), "NCHW", self.data_layout)


@nn_op
class MaxPool2DOp(Pool2DOp):
    name = "nn.max_pool2d"
    TVM_NAME: ClassVar = "nn_max_pool2d"

    def pool(self, x: np.ndarray) -> np.ndarray:
        # A window that holds only padding gives the lowest float, not -inf, as in
        # ONNX Runtime.
        return self._windows(x, float(np.finfo(np.float32).min)).max(axis=(-2, -1))


@nn_op
class AvgPool2DOp(Pool2DOp):
    name = "nn.avg_pool2d"
    TVM_NAME: ClassVar = "nn_avg_pool2d"
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


@nn_op
class LpPool2DOp(Pool2DOp):
    """ONNX LpPool: the ``p``-norm of each window, padding counting as zeros."""

    name = "nn.lp_pool2d"
    TVM_NAME: ClassVar = "nn_lp_pool2d"
    p = prop_def(IntegerAttr[I64], default_value=IntegerAttr(2, i64))

    @property
    def order(self) -> int:
        return self.p.value.data

    def infer_shape(self) -> Shape:
        if self.order < 1:
            raise ShapeError(f"p must be >= 1, not {self.order}")
        return super().infer_shape()

    def pool(self, x: np.ndarray) -> np.ndarray:
        powers = np.abs(self._windows(x, 0.0).astype(np.float64)) ** self.order
        return powers.sum(axis=(-2, -1)) ** (1 / self.order)


class GlobalPool2DOp(LayoutOp):
    """A pool over all of H and W, by `REDUCE`. Kernel: lowering/cuda/kernels/pool.py
    `lower_global`."""

    REDUCE: ClassVar[Callable[..., npt.ArrayLike]]
    """numpy's reduction (np.mean, np.max), called with ``axis`` and ``keepdims``."""

    x = operand_def(F32Tensor)
    output = result_def(F32Tensor)
    layout = prop_def(LayoutConstraint(), default_value=LayoutAttr("NCHW"))
    traits = traits_def(Pure())
    assembly_format = "$x attr-dict `:` functional-type(operands, results)"

    def infer_shape(self) -> Shape:
        return self.data_layout.shape_for({**self.extents(), "H": 1, "W": 1})

    def reference(self, data: np.ndarray) -> np.ndarray:
        x = L.transform(data, self.data_layout, "NCHW")
        y = np.asarray(self.REDUCE(x, axis=(2, 3), keepdims=True), np.float32)
        return L.transform(y, "NCHW", self.data_layout)


@nn_op
class GlobalAvgPool2DOp(GlobalPool2DOp):
    name = "nn.global_avg_pool2d"
    TVM_NAME: ClassVar = "nn_global_avg_pool2d"
    REDUCE: ClassVar = staticmethod(np.mean)


@nn_op
class GlobalMaxPool2DOp(GlobalPool2DOp):
    name = "nn.global_max_pool2d"
    TVM_NAME: ClassVar = "nn_global_max_pool2d"
    REDUCE: ClassVar = staticmethod(np.max)
