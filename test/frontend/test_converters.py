"""The converter table: the generic converters come from the ops' declared ONNX names,
looked up at import time; hand-written ones come from `@converter`; a clash is an error."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import ClassVar

import numpy as np
import pytest
from xdsl.irdl import irdl_op_definition, operand_def, result_def

from relayout.dialects import nn
from relayout.dialects.nn import elementwise as ew
from relayout.dialects.nn.registry import extra_ops, registered_ops
from relayout.frontend.errors import OnnxImportError
from relayout.frontend.onnx_import import from_onnx
from relayout.frontend.onnx_ops import (
    GENERIC,
    HAND_CONVERTERS,
    ConverterClash,
    binary,
    converter,
    converters,
    unary,
)

X = (2, 4, 5, 5)

HAND_WRITTEN = {
    "Conv", "MaxPool", "AveragePool", "GlobalAveragePool", "GlobalMaxPool",
    "BatchNormalization", "Clip", "Concat", "Flatten", "Reshape", "Transpose", "Gemm",
    "MatMul", "Softmax", "LogSoftmax", "LRN", "LpPool", "Squeeze", "Unsqueeze", "ReduceSum", "Pad", "Resize", "Upsample", "ReduceMean",
    "Identity", "Dropout", "Slice", "Split", "Gather", "GridSample",
    "Constant", "Mean", "Gelu", "ConvTranspose", "DeformConv", "LayerNormalization",
    "InstanceNormalization", "DepthToSpace", "SpaceToDepth", "Cast",
}
GENERIC_TODAY = {
    "Relu": nn.ReluOp, "Sigmoid": nn.SigmoidOp, "Tanh": nn.TanhOp, "Add": nn.AddOp,
    "Sum": nn.AddOp, "Sub": nn.SubtractOp, "Mul": nn.MultiplyOp, "Div": nn.DivideOp,
    "Max": nn.MaximumOp, "Min": nn.MinimumOp, "HardSigmoid": ew.HardSigmoidOp,
    "HardSwish": ew.HardSwishOp, "Exp": ew.ExpOp, "Neg": ew.NegOp, "Erf": ew.ErfOp,
    "LeakyRelu": ew.LeakyReluOp, "Elu": ew.EluOp, "Selu": ew.SeluOp,
    "Softplus": ew.SoftplusOp, "PRelu": ew.PReluOp, "Sqrt": ew.SqrtOp,
    "Reciprocal": ew.ReciprocalOp, "Pow": ew.PowOp,
}


@irdl_op_definition
class SoftsignOp(nn.UnaryOp):
    name = "nn.test_frontend_softsign"
    ONNX: ClassVar = ("Softsign",)
    NUMPY_FN: ClassVar = staticmethod(lambda x: x / (1 + np.abs(x)))
    C_TEMPLATE: ClassVar = "({0} / (1.0f + fabsf({0})))"


@irdl_op_definition
class FmodOp(nn.BinaryOp):
    name = "nn.test_frontend_fmod"
    ONNX: ClassVar = ("Mod",)
    NUMPY_FN: ClassVar = staticmethod(np.fmod)
    C_TEMPLATE: ClassVar = "fmodf({0}, {1})"


@irdl_op_definition
class ClaimsConvOp(nn.UnaryOp):
    name = "nn.test_frontend_claims_conv"
    ONNX: ClassVar = ("Conv",)
    NUMPY_FN: ClassVar = staticmethod(lambda x: x)
    C_TEMPLATE: ClassVar = "{0}"


@irdl_op_definition
class NotElementwiseOp(nn.NNOp):
    name = "nn.test_frontend_not_elementwise"
    ONNX: ClassVar = ("Foo",)
    x = operand_def()
    output = result_def()


def _kind(fn: object) -> tuple[Callable[..., object], tuple[object, ...]] | None:
    return (fn.func, fn.args) if isinstance(fn, partial) else None


def test_table_is_the_declared_names_and_the_hand_written_ones():
    table = converters()
    declared = {name: op for op in registered_ops() for name in op.ONNX}
    assert set(table) == set(declared) | set(HAND_CONVERTERS)
    assert not set(declared) & set(HAND_CONVERTERS)
    assert set(HAND_CONVERTERS) == HAND_WRITTEN
    assert declared == GENERIC_TODAY
    for name, op in declared.items():
        generic = unary if issubclass(op, nn.UnaryOp) else binary
        assert _kind(table[name]) == (generic, (op,)), name
    for name, fn in HAND_CONVERTERS.items():
        assert table[name] is fn


def test_every_generic_kind_is_an_elementwise_base():
    assert GENERIC == {nn.UnaryOp: unary, nn.BinaryOp: binary}


def test_an_op_registered_later_imports_and_leaves_with_its_registration(node_model):
    model, _ = node_model("Softsign", [X])
    with pytest.raises(OnnxImportError, match="unsupported operator"):
        from_onnx(model)
    with extra_ops(SoftsignOp):
        assert _kind(converters()["Softsign"]) == (unary, (SoftsignOp,))
        assert any(isinstance(op, SoftsignOp) for op in from_onnx(model).walk())
    assert "Softsign" not in converters()
    with pytest.raises(OnnxImportError, match=r"unsupported node\(s\) of type Softsign"):
        from_onnx(model)


@pytest.mark.parametrize("attrs", [{}, {"alpha": 0.3}], ids=["default-alpha", "alpha"])
def test_generic_unary_reads_float_properties_from_attributes(node_model, matches_ort, attrs):
    model, feeds = node_model("LeakyRelu", [X], **attrs)
    module = matches_ort(model, feeds)
    (op,) = [o for o in module.walk() if isinstance(o, ew.LeakyReluOp)]
    assert op.alpha.value.data == pytest.approx(attrs.get("alpha", 0.01))


def test_generic_unary_checks_the_attribute_type(node_model):
    model, _ = node_model("LeakyRelu", [X], alpha=2)
    with pytest.raises(OnnxImportError, match="attribute 'alpha' must be FLOAT, got INT"):
        from_onnx(model)


def test_generic_binary_broadcasts(node_model, matches_ort):
    model, feeds = node_model("Mod", [X, np.float32(0.7)], fmod=1)
    with extra_ops(FmodOp):
        module = matches_ort(model, feeds)
    assert any(isinstance(o, FmodOp) for o in module.walk())


def test_an_op_claiming_a_hand_written_op_type_is_an_error(node_model):
    model, _ = node_model("Relu", [X])
    with extra_ops(ClaimsConvOp):
        with pytest.raises(ConverterClash, match="nn.test_frontend_claims_conv claims ONNX Conv"):
            converters()
        with pytest.raises(ConverterClash):
            from_onnx(model)
    converters()  # the clash went with the op


def test_an_op_of_no_generic_kind_claiming_onnx_is_an_error():
    with extra_ops(NotElementwiseOp), pytest.raises(
        ConverterClash, match="nn.test_frontend_not_elementwise claims ONNX Foo but is not a"
    ):
        converters()


def test_two_hand_written_converters_for_one_op_type_are_an_error():
    before = dict(HAND_CONVERTERS)
    with pytest.raises(ConverterClash, match="ONNX Conv has a converter already"):
        converter("Erf", "Conv")(lambda node: node.input(0))
    assert HAND_CONVERTERS == before
