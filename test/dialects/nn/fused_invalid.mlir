// nn.fused kernel names become C function names, so only `fused_` and identifier
// characters are accepted: no quotes, comment markers or newlines reach the C.
// RUN: xdsl-opt %s --split-input-file --verify-diagnostics | filecheck %s

func.func @comment_marker(%x: tensor<4xf32>) -> tensor<4xf32> {
  %y = nn.fused "fused_a*/ evil(); /*"(%x) {
  ^bb0(%a: tensor<4xf32>):
    %r = nn.relu %a : tensor<4xf32>
    nn.yield %r : tensor<4xf32>
  } : (tensor<4xf32>) -> tensor<4xf32>
  func.return %y : tensor<4xf32>
}
// CHECK: nn.fused: kernel name 'fused_a*/ evil(); /*' must be 'fused_' followed by letters, digits and underscores

// -----
func.func @keyword(%x: tensor<4xf32>) -> tensor<4xf32> {
  %y = nn.fused "int"(%x) {
  ^bb0(%a: tensor<4xf32>):
    %r = nn.relu %a : tensor<4xf32>
    nn.yield %r : tensor<4xf32>
  } : (tensor<4xf32>) -> tensor<4xf32>
  func.return %y : tensor<4xf32>
}
// CHECK: nn.fused: kernel name 'int' must be 'fused_'

// -----
func.func @newline(%x: tensor<4xf32>) -> tensor<4xf32> {
  %y = nn.fused "fused_a\0A#include <evil.h>"(%x) {
  ^bb0(%a: tensor<4xf32>):
    %r = nn.relu %a : tensor<4xf32>
    nn.yield %r : tensor<4xf32>
  } : (tensor<4xf32>) -> tensor<4xf32>
  func.return %y : tensor<4xf32>
}
// CHECK: nn.fused: kernel name 'fused_a\n#include <evil.h>' must be 'fused_'
