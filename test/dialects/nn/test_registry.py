"""The op registry: every op registered by `@nn_op`, test ops scoped by `extra_ops`,
tables resolved through the MRO, the op's story on its class, and the canonicalization
patterns registered by the passes (the dialect imports no pass)."""

import ast
import subprocess
import sys
from pathlib import Path
from typing import ClassVar

import numpy as np
import pytest
from xdsl.dialects.builtin import TensorType, f32
from xdsl.ir import Block
from xdsl.irdl import irdl_op_definition

from relayout.dialects import nn
from relayout.dialects.context import make_context, parse_module
from relayout.dialects.nn import elementwise
from relayout.dialects.nn.registry import (
    canonicalization_patterns,
    register,
    registry_version,
)

ROOT = Path(__file__).resolve().parents[3]


@irdl_op_definition
class SoftsignOp(nn.UnaryOp):
    """An op defined in a test: known only inside `extra_ops(SoftsignOp)`."""

    name = "nn.test_softsign"
    ONNX: ClassVar = ("Softsign",)
    FUZZ: ClassVar = True
    NUMPY_FN: ClassVar = staticmethod(lambda x: x / (1 + np.abs(x)))
    C_TEMPLATE: ClassVar = "({0} / (1.0f + fabsf({0})))"


SOFTSIGN = """
func.func @f(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %y = nn.test_softsign %x : tensor<2x3xf32>
  func.return %y : tensor<2x3xf32>
}
"""


def _arg(shape=(2, 3)):
    return Block(arg_types=[TensorType(f32, list(shape))]).args[0]


def test_every_nn_op_class_is_registered_once():
    ops = nn.registered_ops()
    assert len({op.name for op in ops}) == len(ops)
    # Ops are exported from `relayout.dialects.nn` or from their family's module.
    defined = {
        v for module in (nn, elementwise) for v in vars(module).values()
        if isinstance(v, type) and issubclass(v, nn.NNOp) and "name" in vars(v)
    }
    assert defined == set(ops)
    assert nn.ConstantOp not in ops and nn.FusedOp not in ops
    assert set(nn.OPS) == {nn.ConstantOp, *ops}
    assert {op.name for op in nn.all_ops()} == {op.name for op in nn.NN.operations}


def test_a_second_op_of_the_same_name_is_refused():
    with pytest.raises(ValueError, match="nn.relu is registered already"):
        register(nn.ReluOp)


def test_extra_ops_registers_for_the_with_block_only():
    before = registry_version()
    with nn.extra_ops(SoftsignOp):
        assert nn.registered_ops()[-1] is SoftsignOp
        assert registry_version() != before
        module = parse_module(SOFTSIGN)
        assert str(parse_module(str(module))) == str(module)
        assert "nn.test_softsign %x : tensor<2x3xf32>" in str(module)
        op = SoftsignOp.make(_arg())
        x = np.array([[-3, -1, 0], [0.5, 1, 4]], np.float32)
        np.testing.assert_allclose(op.reference(x), x / (1 + np.abs(x)))
        assert op.c_expr("v") == "(v / (1.0f + fabsf(v)))"
        assert nn.tvm_name(SoftsignOp) == "test_softsign"
    assert SoftsignOp not in nn.registered_ops()
    assert make_context().get_optional_op("nn.test_softsign") is None
    with pytest.raises(Exception, match="test_softsign"):
        parse_module(SOFTSIGN)


def test_an_onnx_name_is_claimed_by_one_op() -> None:
    @irdl_op_definition
    class AnotherRelu(nn.UnaryOp):
        name = "nn.test_another_relu"
        ONNX: ClassVar = ("Relu",)
        NUMPY_FN: ClassVar = staticmethod(np.abs)
        C_TEMPLATE: ClassVar = "fabsf({0})"

    with pytest.raises(ValueError, match="claims ONNX Relu, which nn.relu imports"):
        register(AnotherRelu)
    assert AnotherRelu not in nn.registered_ops()


def test_extra_ops_unregisters_when_the_block_raises():
    with pytest.raises(RuntimeError), nn.extra_ops(SoftsignOp):
        raise RuntimeError
    assert SoftsignOp not in nn.registered_ops()


def test_lookup_resolves_through_the_mro():
    table = {nn.UnaryOp: "unary", nn.NNOp: "any", nn.ClipOp: "clip"}
    assert nn.lookup(table, nn.ReluOp) == "unary"
    assert nn.lookup(table, nn.ClipOp) == "clip"
    assert nn.lookup(table, nn.Conv2DOp) == "any"
    assert nn.lookup({nn.UnaryOp: 1}, nn.AddOp) is None


def test_tvm_names():
    names = {op.name: nn.tvm_name(op) for op in nn.registered_ops()}
    assert names["nn.conv2d"] == "nn_conv2d"
    assert names["nn.relu"] == "nn_relu"
    assert names["nn.add"] == "add"
    assert names["nn.concat"] == "concatenate"
    assert names["nn.resize2d"] == "image_resize2d"
    assert names["nn.global_avg_pool2d"] == "nn_global_avg_pool2d"
    assert names["nn.layout_transform"] == "layout_transform"


def test_onnx_names_are_claimed_once():
    claims = [name for op in nn.registered_ops() for name in op.ONNX]
    assert len(claims) == len(set(claims))
    assert {
        "Relu", "Sigmoid", "Tanh", "Add", "Sum", "Sub", "Mul", "Div", "Max", "Min",
        "HardSigmoid", "HardSwish", "Exp", "Neg", "Erf", "LeakyRelu", "Elu", "Selu",
        "Softplus", "PRelu", "Sqrt", "Reciprocal", "Pow",
    } == set(claims)
    assert nn.ReluOp.ONNX == ("Relu",) and nn.SubtractOp.ONNX == ("Sub",)
    assert nn.ClipOp.ONNX == () and nn.Conv2DOp.ONNX == ()


def test_every_elementwise_op_is_data():
    for op in nn.registered_ops():
        if issubclass(op, nn.UnaryOp | nn.BinaryOp):
            assert isinstance(op.C_TEMPLATE, str) and callable(op.NUMPY_FN), op.name
            assert op.FUZZ, op.name
    assert {op for op in nn.registered_ops() if op.FUZZ} == set(nn.ELEMENTWISE)


def test_clip_is_data_too():
    op = nn.ClipOp.make(_arg(), min=-1.0, max=0.5)
    assert op.c_expr("v") == "fminf(fmaxf(v, -1.0f), 0.5f)"
    x = np.array([[-3, -1, 0], [0.25, 1, 4]], np.float32)
    np.testing.assert_array_equal(op.reference(x), np.clip(x, -1, 0.5))


def test_make_refuses_an_undeclared_property():
    with pytest.raises(TypeError, match=r"nn.max_pool2d has no property 'stride'; it has: "
                                        r"pool_size, strides, dilation"):
        nn.MaxPool2DOp.make(_arg((1, 1, 4, 4)), pool_size=(2, 2), stride=(1, 1))
    with pytest.raises(TypeError, match="nn.relu has no property 'axis'; it has: no properties"):
        nn.ReluOp.make(_arg(), axis=None)


def test_canonicalization_patterns_come_from_the_passes():
    import relayout.passes  # noqa: F401  (registers them)
    from relayout.passes.canonicalization_patterns.layout_transform import PATTERNS

    assert nn.LayoutTransformOp.get_canonicalization_patterns() == PATTERNS
    assert canonicalization_patterns(nn.ReluOp) == ()


def test_the_dialect_imports_no_pass():
    for path in (ROOT / "dialects").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            else:
                continue
            assert not any(n.startswith("relayout.passes") for n in names), path
    code = ("import sys, relayout.dialects.nn, relayout.dialects.context; "
            "print([m for m in sys.modules if m.startswith('relayout.passes')])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "[]"
