// nn.layer_norm's axes, epsilon and broadcasting parameters are checked.
// RUN: xdsl-opt %s --split-input-file --verify-diagnostics | filecheck %s

func.func @repeated_axis(%x: tensor<1x4x5x5xf32>, %s: tensor<1x4x1x1xf32>) {
  %y = nn.layer_norm %x, %s, %s {axes = array<i64: 1, -3>} : (tensor<1x4x5x5xf32>, tensor<1x4x1x1xf32>, tensor<1x4x1x1xf32>) -> tensor<1x4x5x5xf32>
  func.return
}
// CHECK: nn.layer_norm: axes [1, -3] must name distinct axes, at least one

// -----
func.func @no_axis(%x: tensor<1x4x5x5xf32>, %s: tensor<1x4x1x1xf32>) {
  %y = nn.layer_norm %x, %s, %s {axes = array<i64>} : (tensor<1x4x5x5xf32>, tensor<1x4x1x1xf32>, tensor<1x4x1x1xf32>) -> tensor<1x4x5x5xf32>
  func.return
}
// CHECK: nn.layer_norm: axes [] must name distinct axes, at least one

// -----
func.func @axis_range(%x: tensor<1x4x5x5xf32>, %s: tensor<1x4x1x1xf32>) {
  %y = nn.layer_norm %x, %s, %s {axes = array<i64: 4>} : (tensor<1x4x5x5xf32>, tensor<1x4x1x1xf32>, tensor<1x4x1x1xf32>) -> tensor<1x4x5x5xf32>
  func.return
}
// CHECK: nn.layer_norm: axis 4 is out of range for rank 4

// -----
func.func @param_rank(%x: tensor<1x4x5x5xf32>, %s: tensor<4xf32>) {
  %y = nn.layer_norm %x, %s, %s {axes = array<i64: 1>} : (tensor<1x4x5x5xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<1x4x5x5xf32>
  func.return
}
// CHECK: nn.layer_norm: scale of shape [4] must have the rank of x [1, 4, 5, 5] and broadcast against it

// -----
func.func @param_extent(%x: tensor<1x4x5x5xf32>, %s: tensor<1x4x1x1xf32>, %b: tensor<1x3x1x1xf32>) {
  %y = nn.layer_norm %x, %s, %b {axes = array<i64: 1>} : (tensor<1x4x5x5xf32>, tensor<1x4x1x1xf32>, tensor<1x3x1x1xf32>) -> tensor<1x4x5x5xf32>
  func.return
}
// CHECK: nn.layer_norm: bias of shape [1, 3, 1, 1] must have the rank of x [1, 4, 5, 5] and broadcast against it

// -----
func.func @epsilon(%x: tensor<1x4x5x5xf32>, %s: tensor<1x4x1x1xf32>) {
  %y = nn.layer_norm %x, %s, %s {axes = array<i64: 1>, epsilon = -1.0 : f32} : (tensor<1x4x5x5xf32>, tensor<1x4x1x1xf32>, tensor<1x4x1x1xf32>) -> tensor<1x4x5x5xf32>
  func.return
}
// CHECK: nn.layer_norm: epsilon -1.0 must be >= 0
