// Pools check their layout against the operand rank, their window against the input
// and the result type against the shape rule.
// RUN: xdsl-opt %s --split-input-file --verify-diagnostics | filecheck %s

func.func @wrong_result(%x: tensor<1x4x8x8xf32>) {
  %y = nn.max_pool2d %x {pool_size = array<i64: 3, 3>, strides = array<i64: 2, 2>, padding = array<i64: 1, 1, 1, 1>} : (tensor<1x4x8x8xf32>) -> tensor<1x4x5x5xf32>
  func.return
}
// CHECK: nn.max_pool2d: expected result type tensor<1x4x4x4xf32>, got tensor<1x4x5x5xf32>

// -----
func.func @layout_rank(%x: tensor<1x4x8x8xf32>) {
  %y = nn.avg_pool2d %x {pool_size = array<i64: 2, 2>, layout = "NCHW4c"} : (tensor<1x4x8x8xf32>) -> tensor<1x4x7x7xf32>
  func.return
}
// CHECK: nn.avg_pool2d: layout 'NCHW4c' has rank 5, but the tensor has rank 4

// -----
func.func @pool_size(%x: tensor<1x4x8x8xf32>) {
  %y = nn.max_pool2d %x {pool_size = array<i64: 2>} : (tensor<1x4x8x8xf32>) -> tensor<1x4x7x7xf32>
  func.return
}
// CHECK: nn.max_pool2d: pool_size needs two values >= 1

// -----
func.func @window_too_big(%x: tensor<1x4x2x2xf32>) {
  %y = nn.max_pool2d %x {pool_size = array<i64: 3, 3>} : (tensor<1x4x2x2xf32>) -> tensor<1x4x1x1xf32>
  func.return
}
// CHECK: nn.max_pool2d: window of extent 3 does not fit an input of 2 padded by 0+0

// -----
func.func @global_layout(%x: tensor<1x4x8x8xf32>) {
  %y = nn.global_avg_pool2d %x {layout = "NCW"} : (tensor<1x4x8x8xf32>) -> tensor<1x4x1x1xf32>
  func.return
}
// CHECK: nn.global_avg_pool2d: layout 'NCW' must have the primal axes NCHW

// -----
func.func @f(%x: tensor<1x4x8x8xf32>) {
  %y = nn.avg_pool2d %x {pool_size = array<i64: 2, 2>, padding = array<i64: 1, 1, -1, 0>} : (tensor<1x4x8x8xf32>) -> tensor<1x4x7x7xf32>
  func.return
}
// CHECK: nn.avg_pool2d: padding needs 4 values >= 0

// -----
func.func @f(%x: tensor<1x4x8x8xf32>) {
  %y = nn.max_pool2d %x {pool_size = array<i64: 9, 9>} : (tensor<1x4x8x8xf32>) -> tensor<1x4x1x1xf32>
  func.return
}
// CHECK: nn.max_pool2d: window of extent 9 does not fit an input of 8 padded by 0+0
