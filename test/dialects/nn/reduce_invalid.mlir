// nn.mean and nn.softmax reject axes outside the rank and repeated axes.
// RUN: xdsl-opt %s --split-input-file --verify-diagnostics | filecheck %s

func.func @mean_repeats(%x: tensor<2x4x3x3xf32>) {
  %m = nn.mean %x {axes = array<i64: 2, -2>} : (tensor<2x4x3x3xf32>) -> tensor<2x4x3xf32>
  func.return
}
// CHECK: nn.mean: axes [2, -2] repeat an axis

// -----
func.func @softmax_axis(%x: tensor<2x4xf32>) {
  %s = nn.softmax %x {axis = 2 : i64} : (tensor<2x4xf32>) -> tensor<2x4xf32>
  func.return
}
// CHECK: nn.softmax: axis 2 is out of range for rank 2

// -----
func.func @f(%x: tensor<2x4x3x3xf32>) {
  %y = nn.mean %x {axes = array<i64: 2, 3>} : (tensor<2x4x3x3xf32>) -> tensor<2x4x1x1xf32>
  func.return
}
// CHECK: nn.mean: expected result type tensor<2x4xf32>, got tensor<2x4x1x1xf32>
