// nn.layout_transform rejects malformed layouts, unrelated layouts, blocks that do not
// divide and wrong result types.
// RUN: xdsl-opt %s --split-input-file --verify-diagnostics | filecheck %s

func.func @wrong_result(%x: tensor<1x3x5x7xf32>) {
  %y = nn.layout_transform %x "NCHW" to "NHWC" : tensor<1x3x5x7xf32> -> tensor<1x3x5x7xf32>
  func.return
}
// CHECK: nn.layout_transform: expected result type tensor<1x5x7x3xf32>, got tensor<1x3x5x7xf32>

// -----
func.func @different_axes(%x: tensor<1x3x5x7xf32>) {
  %y = nn.layout_transform %x "NCHW" to "OIHW" : tensor<1x3x5x7xf32> -> tensor<1x3x5x7xf32>
  func.return
}
// CHECK: nn.layout_transform: cannot convert NCHW to OIHW: their primal axes differ

// -----
func.func @block_without_primal(%x: tensor<1x3x5x7xf32>) {
  %y = nn.layout_transform %x "NCHW" to "NHW4c" : tensor<1x3x5x7xf32> -> tensor<1x5x7x4xf32>
  func.return
}
// CHECK: nn.layout_transform: layout 'NHW4c'

// -----
func.func @repeated_axis(%x: tensor<1x3x5x7xf32>) {
  %y = nn.layout_transform %x "NCHW" to "NCHH" : tensor<1x3x5x7xf32> -> tensor<1x3x5x7xf32>
  func.return
}
// CHECK: nn.layout_transform: layout 'NCHH'

// -----
func.func @block_does_not_divide(%x: tensor<1x3x5x7xf32>) {
  %y = nn.layout_transform %x "NCHW" to "NCHW16c" : tensor<1x3x5x7xf32> -> tensor<1x1x5x7x16xf32>
  func.return
}
// CHECK: nn.layout_transform: {{.*}}not divisible by its block size 16

// -----
func.func @f(%x: tensor<4x8x8xf32>) {
  %y = nn.layout_transform %x "NCHW" to "NHWC" : tensor<4x8x8xf32> -> tensor<8x8x4xf32>
  func.return
}
// CHECK: nn.layout_transform: layout NCHW has rank 4, shape [4, 8, 8] does not
