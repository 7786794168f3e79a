// Elementwise ops reject shapes that do not broadcast, wrong result types (unary and
// binary) and an empty clip range.
// RUN: xdsl-opt %s --split-input-file --verify-diagnostics | filecheck %s

func.func @no_broadcast(%a: tensor<1x4x5x5xf32>, %b: tensor<3xf32>) {
  %y = nn.add %a, %b : (tensor<1x4x5x5xf32>, tensor<3xf32>) -> tensor<1x4x5x5xf32>
  func.return
}
// CHECK: nn.add: shapes [1, 4, 5, 5] and [3] do not broadcast

// -----
func.func @broadcast_result(%a: tensor<4x1xf32>, %b: tensor<5xf32>) {
  %y = nn.multiply %a, %b : (tensor<4x1xf32>, tensor<5xf32>) -> tensor<4x1xf32>
  func.return
}
// CHECK: nn.multiply: expected result type tensor<4x5xf32>, got tensor<4x1xf32>

// -----
func.func @clip_range(%x: tensor<4xf32>) {
  %y = nn.clip %x {min = 6.0 : f32, max = 0.0 : f32} : tensor<4xf32>
  func.return
}
// CHECK: nn.clip: min 6.0 is above max 0.0

// -----
func.func @not_f32(%x: tensor<4xf16>) {
  %y = "nn.relu"(%x) : (tensor<4xf16>) -> tensor<4xf16>
  func.return
}
// CHECK: nn.relu: operands must be f32 tensors, got tensor<4xf16>

// -----
func.func @unary_result(%x: tensor<2x3xf32>) {
  %y = "nn.relu"(%x) : (tensor<2x3xf32>) -> tensor<3x2xf32>
  func.return
}
// CHECK: nn.relu: expected result type tensor<2x3xf32>, got tensor<3x2xf32>
