// Each nn.conv2d verifier error names the op and what is wrong.
// RUN: xdsl-opt %s --split-input-file --verify-diagnostics | filecheck %s

func.func @wrong_result(%x: tensor<1x4x8x8xf32>, %w: tensor<4x4x3x3xf32>) {
  %y = nn.conv2d %x, %w : (tensor<1x4x8x8xf32>, tensor<4x4x3x3xf32>) -> tensor<1x4x8x8xf32>
  func.return
}
// CHECK: nn.conv2d: expected result type tensor<1x4x6x6xf32>, got tensor<1x4x8x8xf32>

// -----
func.func @groups_do_not_divide(%x: tensor<1x4x8x8xf32>, %w: tensor<4x2x3x3xf32>) {
  %y = nn.conv2d %x, %w {groups = 3 : i64} : (tensor<1x4x8x8xf32>, tensor<4x2x3x3xf32>) -> tensor<1x4x6x6xf32>
  func.return
}
// CHECK: nn.conv2d: groups=3 must divide the input channels (4) and the output channels (4)

// -----
func.func @channels_per_group(%x: tensor<1x4x8x8xf32>, %w: tensor<4x4x3x3xf32>) {
  %y = nn.conv2d %x, %w {groups = 2 : i64} : (tensor<1x4x8x8xf32>, tensor<4x4x3x3xf32>) -> tensor<1x4x6x6xf32>
  func.return
}
// CHECK: nn.conv2d: kernel has 4 input channels per group, data has 4 channels in 2 group(s)

// -----
func.func @layout_rank(%x: tensor<1x4x8x8xf32>, %w: tensor<4x4x3x3xf32>) {
  %y = nn.conv2d %x, %w {data_layout = "NCHW4c"} : (tensor<1x4x8x8xf32>, tensor<4x4x3x3xf32>) -> tensor<1x4x6x6xf32>
  func.return
}
// CHECK: nn.conv2d: data_layout 'NCHW4c' has rank 5, but the tensor has rank 4

// -----
func.func @kernel_axes(%x: tensor<1x4x8x8xf32>, %w: tensor<4x4x3x3xf32>) {
  %y = nn.conv2d %x, %w {kernel_layout = "NCHW"} : (tensor<1x4x8x8xf32>, tensor<4x4x3x3xf32>) -> tensor<1x4x6x6xf32>
  func.return
}
// CHECK: nn.conv2d: kernel_layout 'NCHW' must have the primal axes OIHW

// -----
func.func @bad_layout(%x: tensor<1x4x8x8xf32>, %w: tensor<4x4x3x3xf32>) {
  %y = nn.conv2d %x, %w {data_layout = "NCHW16C"} : (tensor<1x4x8x8xf32>, tensor<4x4x3x3xf32>) -> tensor<1x4x6x6xf32>
  func.return
}
// CHECK: nn.conv2d: data_layout: {{.*}}NCHW16C

// -----
func.func @padding_count(%x: tensor<1x4x8x8xf32>, %w: tensor<4x4x3x3xf32>) {
  %y = nn.conv2d %x, %w {padding = array<i64: 1, 1>} : (tensor<1x4x8x8xf32>, tensor<4x4x3x3xf32>) -> tensor<1x4x8x8xf32>
  func.return
}
// CHECK: nn.conv2d: padding needs 4 values >= 0; strides and dilation must be >= 1

// -----
func.func @window_too_big(%x: tensor<1x4x2x2xf32>, %w: tensor<4x4x3x3xf32>) {
  %y = nn.conv2d %x, %w : (tensor<1x4x2x2xf32>, tensor<4x4x3x3xf32>) -> tensor<1x4x1x1xf32>
  func.return
}
// CHECK: nn.conv2d: window of extent 3 does not fit an input of 2 padded by 0+0
