"""Adding an elementwise op is one class: this file defines `nn.test_softsign` and
nothing else in relayout knows it, yet it parses, folds, converts layout, fuses, imports
from ONNX, runs in the interpreter and the emulator, and the meaning fuzzer draws it."""

from collections.abc import Iterator
from typing import ClassVar

import numpy as np
import onnx
import pytest
from onnx import TensorProto, helper
from xdsl.irdl import irdl_op_definition

from relayout import api
from relayout.dialects import nn
from relayout.dialects.context import make_context, parse_module
from relayout.dialects.nn.registry import extra_ops
from relayout.frontend.onnx_import import from_onnx
from relayout.interpreters.nn import interpret
from relayout.passes.fuse_ops import FuseOpsPass
from relayout.passes.pipeline import run_pipeline


@irdl_op_definition
class SoftsignOp(nn.UnaryOp):
    name = "nn.test_softsign"
    ONNX: ClassVar = ("Softsign",)
    FUZZ: ClassVar = True
    NUMPY_FN: ClassVar = staticmethod(lambda x: x / (1 + np.abs(x)))
    C_TEMPLATE: ClassVar = "({0} / (1.0f + fabsf({0})))"


def softsign(x: np.ndarray) -> np.ndarray:
    return x / (1 + np.abs(x))


@pytest.fixture(autouse=True)
def registered() -> Iterator[None]:
    with extra_ops(SoftsignOp):
        yield


CONV_SOFTSIGN = """
func.func @main(%x: tensor<1x3x8x8xf32>) -> tensor<1x4x8x8xf32> {
  %w = nn.constant dense<0.25> : tensor<4x3x3x3xf32>
  %c = nn.conv2d %x, %w {padding = array<i64: 1, 1, 1, 1>} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x8x8xf32>
  %y = nn.test_softsign %c : tensor<1x4x8x8xf32>
  func.return %y : tensor<1x4x8x8xf32>
}
"""
X = np.random.default_rng(0).standard_normal((1, 3, 8, 8)).astype(np.float32)


def test_parses_and_prints_in_both_forms():
    module = parse_module(CONV_SOFTSIGN)
    assert "nn.test_softsign %c : tensor<1x4x8x8xf32>" in str(module)
    generic = parse_module(str(module).replace("nn.test_softsign %c :",
                                               '"nn.test_softsign"(%c) : (tensor<1x4x8x8xf32>) ->'))
    assert str(generic) == str(module)


def test_folds():
    module = parse_module("""
func.func @main() -> tensor<3xf32> {
  %c = nn.constant dense<[-3.0, 0.0, 1.0]> : tensor<3xf32>
  %y = nn.test_softsign %c : tensor<3xf32>
  func.return %y : tensor<3xf32>
}
""")
    run_pipeline(module, "fold-constants")
    assert "nn.test_softsign" not in str(module)
    (y,) = interpret(module, [])
    np.testing.assert_allclose(y, [-0.75, 0.0, 0.5])


def test_follows_the_conv_into_nhwc():
    module = parse_module(CONV_SOFTSIGN)
    (want,) = interpret(module, [X])
    api.optimize(module, "NHWC")
    op = next(o for o in module.walk() if isinstance(o, SoftsignOp))
    assert list(op.result.type.get_shape()) == [1, 8, 8, 4]
    assert len(api.explain(module)) == 2  # the function's input and output only
    (got,) = interpret(module, [X])
    np.testing.assert_allclose(got, want, rtol=1e-5)


def test_fuses_into_the_conv_epilogue():
    module = parse_module(CONV_SOFTSIGN)
    FuseOpsPass().apply(make_context(), module)
    kernels = [o.kernel.data for o in module.walk() if isinstance(o, nn.FusedOp)]
    assert kernels == ["fused_nn_conv2d_test_softsign"]


def test_imports_from_onnx():
    graph = helper.make_graph(
        [helper.make_node("Softsign", ["x"], ["y"], name="s")], "g",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [2, 5])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [2, 5])])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], ir_version=8)
    onnx.checker.check_model(model)
    module = from_onnx(model)
    assert any(isinstance(o, SoftsignOp) for o in module.walk())
    x = np.linspace(-4, 4, 10, dtype=np.float32).reshape(2, 5)
    np.testing.assert_allclose(api.run(module, [x])[0], softsign(x), rtol=1e-6)


def test_emulates_after_conversion():
    module = parse_module(CONV_SOFTSIGN)
    (want,) = interpret(module, [X])
    api.optimize(module, "NHWC")
    (got,) = api.run(module, [X], "emulate")
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)


def test_the_meaning_fuzzer_draws_it():
    from relayout.fuzz.networks import elementwise_ops

    assert SoftsignOp in elementwise_ops()
