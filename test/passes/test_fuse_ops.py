"""fuse-ops keeps the semantics (interpreter before and after) and groups TVM style."""

import numpy as np

from relayout.dialects.context import make_context, parse_module
from relayout.dialects.nn import FusedOp
from relayout.interpreters.nn import interpret
from relayout.passes.fuse_ops import FuseOpsPass


def _hex(rng, shape):
    return "0x" + rng.standard_normal(shape).astype(np.float32).tobytes().hex().upper()


def test_fusion_preserves_results():
    rng = np.random.default_rng(0)
    source = f"""
func.func @main(%x: tensor<1x6x6x4xf32>) -> tensor<1x3x3x8xf32> {{
  %w = nn.constant dense<"{_hex(rng, (8, 3, 3, 4))}"> : tensor<8x3x3x4xf32>
  %b = nn.constant dense<"{_hex(rng, (8,))}"> : tensor<8xf32>
  %v = nn.constant dense<"{_hex(rng, (8,))}"> : tensor<8xf32>
  %c = nn.conv2d %x, %w {{padding = array<i64: 1, 1, 1, 1>, data_layout = "NHWC", kernel_layout = "OHWI"}} : (tensor<1x6x6x4xf32>, tensor<8x3x3x4xf32>) -> tensor<1x6x6x8xf32>
  %d = nn.bias_add %c, %b {{axis = 3 : i64}} : (tensor<1x6x6x8xf32>, tensor<8xf32>) -> tensor<1x6x6x8xf32>
  %e = nn.relu %d : tensor<1x6x6x8xf32>
  %f = nn.multiply %e, %e : (tensor<1x6x6x8xf32>, tensor<1x6x6x8xf32>) -> tensor<1x6x6x8xf32>
  %g = nn.add %f, %v : (tensor<1x6x6x8xf32>, tensor<8xf32>) -> tensor<1x6x6x8xf32>
  %h = nn.tanh %g : tensor<1x6x6x8xf32>
  %p = nn.max_pool2d %h {{pool_size = array<i64: 2, 2>, strides = array<i64: 2, 2>, layout = "NHWC"}} : (tensor<1x6x6x8xf32>) -> tensor<1x3x3x8xf32>
  func.return %p : tensor<1x3x3x8xf32>
}}
"""
    module = parse_module(source)
    x = rng.standard_normal((1, 6, 6, 4)).astype(np.float32)
    (before,) = interpret(module, [x])
    FuseOpsPass().apply(make_context(), module)
    module.verify()
    kernels = [op.kernel.data for op in module.walk() if isinstance(op, FusedOp)]
    # relu's result is used twice by multiply, so the conv epilogue stops at relu.
    assert kernels == [
        "fused_nn_conv2d_nn_bias_add_nn_relu", "fused_multiply_add_tanh", "fused_nn_max_pool2d"
    ]
    (after,) = interpret(module, [x])
    np.testing.assert_array_equal(before, after)


def test_fusion_is_idempotent():
    module = parse_module("""
func.func @main(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %a = nn.relu %x : tensor<2x3xf32>
  func.return %a : tensor<2x3xf32>
}
""")
    FuseOpsPass().apply(make_context(), module)
    once = str(module)
    FuseOpsPass().apply(make_context(), module)
    assert str(module) == once
