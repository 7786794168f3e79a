// nn.deform_conv2d checks groups, offset groups, the weight, the offset and the mask.
// RUN: xdsl-opt %s --split-input-file --verify-diagnostics | filecheck %s

func.func @groups(%x: tensor<1x4x5x5xf32>, %w: tensor<6x4x3x3xf32>, %o: tensor<1x18x3x3xf32>) {
  %y = nn.deform_conv2d %x, %w, %o {groups = 3 : i64} : (tensor<1x4x5x5xf32>, tensor<6x4x3x3xf32>, tensor<1x18x3x3xf32>) -> tensor<1x6x3x3xf32>
  func.return
}
// CHECK: nn.deform_conv2d: groups=3 must divide the input channels (4) and the output channels (6)

// -----
func.func @weight_channels(%x: tensor<1x4x5x5xf32>, %w: tensor<6x2x3x3xf32>, %o: tensor<1x18x3x3xf32>) {
  %y = nn.deform_conv2d %x, %w, %o : (tensor<1x4x5x5xf32>, tensor<6x2x3x3xf32>, tensor<1x18x3x3xf32>) -> tensor<1x6x3x3xf32>
  func.return
}
// CHECK: nn.deform_conv2d: kernel has 2 input channels per group, data has 4 channels in 1 group(s)

// -----
func.func @weight_rank(%x: tensor<1x4x5x5xf32>, %w: tensor<6x4x3xf32>, %o: tensor<1x18x3x3xf32>) {
  %y = nn.deform_conv2d %x, %w, %o : (tensor<1x4x5x5xf32>, tensor<6x4x3xf32>, tensor<1x18x3x3xf32>) -> tensor<1x6x3x3xf32>
  func.return
}
// CHECK: nn.deform_conv2d: weight must be 4-D [O, C/groups, kH, kW], got shape [6, 4, 3]

// -----
func.func @offset_groups(%x: tensor<1x4x5x5xf32>, %w: tensor<6x4x3x3xf32>, %o: tensor<1x54x3x3xf32>) {
  %y = nn.deform_conv2d %x, %w, %o {offset_groups = 3 : i64} : (tensor<1x4x5x5xf32>, tensor<6x4x3x3xf32>, tensor<1x54x3x3xf32>) -> tensor<1x6x3x3xf32>
  func.return
}
// CHECK: nn.deform_conv2d: offset_groups=3 must divide the input channels (4)

// -----
func.func @offset(%x: tensor<1x4x5x5xf32>, %w: tensor<6x4x3x3xf32>, %o: tensor<1x18x5x5xf32>) {
  %y = nn.deform_conv2d %x, %w, %o : (tensor<1x4x5x5xf32>, tensor<6x4x3x3xf32>, tensor<1x18x5x5xf32>) -> tensor<1x6x3x3xf32>
  func.return
}
// CHECK: nn.deform_conv2d: offset must have N=1, C=18, H=3, W=3 (offset_groups * kH * kW * 2 channels at each output pixel), got N=1, C=18, H=5, W=5

// -----
func.func @mask(%x: tensor<1x4x5x5xf32>, %w: tensor<6x4x3x3xf32>, %o: tensor<1x18x3x3xf32>, %m: tensor<1x18x3x3xf32>) {
  %y = nn.deform_conv2d %x, %w, %o, %m : (tensor<1x4x5x5xf32>, tensor<6x4x3x3xf32>, tensor<1x18x3x3xf32>, tensor<1x18x3x3xf32>) -> tensor<1x6x3x3xf32>
  func.return
}
// CHECK: nn.deform_conv2d: mask must have N=1, C=9, H=3, W=3 (offset_groups * kH * kW channels at each output pixel), got N=1, C=18, H=3, W=3

// -----
func.func @window(%x: tensor<1x4x2x2xf32>, %w: tensor<6x4x3x3xf32>, %o: tensor<1x18x1x1xf32>) {
  %y = nn.deform_conv2d %x, %w, %o : (tensor<1x4x2x2xf32>, tensor<6x4x3x3xf32>, tensor<1x18x1x1xf32>) -> tensor<1x6x1x1xf32>
  func.return
}
// CHECK: nn.deform_conv2d: window of extent 3 does not fit an input of 2 padded by 0+0

// -----
func.func @result(%x: tensor<1x4x5x5xf32>, %w: tensor<6x4x3x3xf32>, %o: tensor<1x18x3x3xf32>) {
  %y = nn.deform_conv2d %x, %w, %o : (tensor<1x4x5x5xf32>, tensor<6x4x3x3xf32>, tensor<1x18x3x3xf32>) -> tensor<1x6x5x5xf32>
  func.return
}
// CHECK: nn.deform_conv2d: expected result type tensor<1x6x3x3xf32>, got tensor<1x6x5x5xf32>
