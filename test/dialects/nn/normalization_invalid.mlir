// Per-channel parameters must match the extent of the channel axis.
// RUN: xdsl-opt %s --split-input-file --verify-diagnostics | filecheck %s

func.func @bias_extent(%x: tensor<1x4x5x5xf32>, %b: tensor<5xf32>) {
  %y = nn.bias_add %x, %b : (tensor<1x4x5x5xf32>, tensor<5xf32>) -> tensor<1x4x5x5xf32>
  func.return
}
// CHECK: nn.bias_add: parameter of shape [5] must be [4], the extent of axis 1

// -----
func.func @axis_range(%x: tensor<1x4x5x5xf32>, %b: tensor<4xf32>) {
  %y = nn.bias_add %x, %b {axis = 4 : i64} : (tensor<1x4x5x5xf32>, tensor<4xf32>) -> tensor<1x4x5x5xf32>
  func.return
}
// CHECK: nn.bias_add: axis 4 is out of range for rank 4

// -----
func.func @bn_param(%x: tensor<1x4x5x5xf32>, %p: tensor<4xf32>, %q: tensor<4x1xf32>) {
  %y = nn.batch_norm %x, %p, %p, %q, %p : (tensor<1x4x5x5xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4x1xf32>, tensor<4xf32>) -> tensor<1x4x5x5xf32>
  func.return
}
// CHECK: nn.batch_norm: parameter of shape [4, 1] must be [4], the extent of axis 1

// -----
func.func @bn_epsilon(%x: tensor<1x4x5x5xf32>, %p: tensor<4xf32>) {
  %y = nn.batch_norm %x, %p, %p, %p, %p {epsilon = -1.0 : f32} : (tensor<1x4x5x5xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<1x4x5x5xf32>
  func.return
}
// CHECK: nn.batch_norm: epsilon must be >= 0
