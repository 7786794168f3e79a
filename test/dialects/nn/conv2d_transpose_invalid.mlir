// nn.conv2d_transpose checks channels, groups, output padding and cropping.
// RUN: xdsl-opt %s --split-input-file --verify-diagnostics | filecheck %s

func.func @channels(%x: tensor<1x4x5x5xf32>, %w: tensor<3x3x3x3xf32>) {
  %y = nn.conv2d_transpose %x, %w : (tensor<1x4x5x5xf32>, tensor<3x3x3x3xf32>) -> tensor<1x3x7x7xf32>
  func.return
}
// CHECK: nn.conv2d_transpose: kernel has 3 input channels, data has 4

// -----
func.func @groups(%x: tensor<1x4x5x5xf32>, %w: tensor<4x3x3x3xf32>) {
  %y = nn.conv2d_transpose %x, %w {groups = 3 : i64} : (tensor<1x4x5x5xf32>, tensor<4x3x3x3xf32>) -> tensor<1x9x7x7xf32>
  func.return
}
// CHECK: nn.conv2d_transpose: groups=3 must divide the input channels (4)

// -----
func.func @output_padding(%x: tensor<1x4x5x5xf32>, %w: tensor<4x3x3x3xf32>) {
  %y = nn.conv2d_transpose %x, %w {strides = array<i64: 2, 2>, output_padding = array<i64: 2, 0>} : (tensor<1x4x5x5xf32>, tensor<4x3x3x3xf32>) -> tensor<1x3x13x11xf32>
  func.return
}
// CHECK: nn.conv2d_transpose: output_padding [2, 0] must be below the stride or the dilation of its axis

// -----
func.func @cropped_away(%x: tensor<1x4x1x1xf32>, %w: tensor<4x3x1x1xf32>) {
  %y = nn.conv2d_transpose %x, %w {padding = array<i64: 1, 0, 0, 0>} : (tensor<1x4x1x1xf32>, tensor<4x3x1x1xf32>) -> tensor<1x3x1x1xf32>
  func.return
}
// CHECK: nn.conv2d_transpose: padding [1, 0, 0, 0] crops the whole output of extent [1, 1]

// -----
func.func @result(%x: tensor<1x4x5x5xf32>, %w: tensor<4x3x3x3xf32>) {
  %y = nn.conv2d_transpose %x, %w : (tensor<1x4x5x5xf32>, tensor<4x3x3x3xf32>) -> tensor<1x3x5x5xf32>
  func.return
}
// CHECK: nn.conv2d_transpose: expected result type tensor<1x3x7x7xf32>, got tensor<1x3x5x5xf32>
