// nn.lrn rejects a window of no channels, a layout without N, C, H and W, and a result
// type that is not its operand's.
// RUN: xdsl-opt %s --split-input-file --verify-diagnostics | filecheck %s

func.func @size_zero(%x: tensor<1x4x3x3xf32>) {
  %y = nn.lrn %x {size = 0 : i64} : (tensor<1x4x3x3xf32>) -> tensor<1x4x3x3xf32>
  func.return
}
// CHECK: nn.lrn: size 0 must be >= 1

// -----
func.func @layout(%x: tensor<1x4x3x3xf32>) {
  %y = nn.lrn %x {size = 3 : i64, layout = "NCDW"} : (tensor<1x4x3x3xf32>) -> tensor<1x4x3x3xf32>
  func.return
}
// CHECK: nn.lrn: layout 'NCDW' must have the primal axes NCHW

// -----
func.func @result(%x: tensor<1x4x3x3xf32>) {
  %y = nn.lrn %x {size = 3 : i64} : (tensor<1x4x3x3xf32>) -> tensor<1x4x3x4xf32>
  func.return
}
// CHECK: nn.lrn: expected result type tensor<1x4x3x3xf32>, got tensor<1x4x3x4xf32>
