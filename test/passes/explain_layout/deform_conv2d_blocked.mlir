// A blocked target keeps deform_conv2d in NCHW: its offset (18 channels) comes back
// from the conv's NCHW2c and explain-layout says why.
// RUN: xdsl-opt %s -p 'optimize-layout{conv2d=NCHW16c,default},explain-layout' | filecheck %s
func.func @main(%x: tensor<1x16x6x6xf32>) -> tensor<1x16x6x6xf32> {
  %wo = nn.constant dense<0.01> : tensor<18x16x3x3xf32>
  %w = nn.constant dense<0.1> : tensor<16x16x3x3xf32>
  %o = nn.conv2d %x, %wo {padding = array<i64: 1, 1, 1, 1>} : (tensor<1x16x6x6xf32>, tensor<18x16x3x3xf32>) -> tensor<1x18x6x6xf32>
  %y = nn.deform_conv2d %x, %w, %o {padding = array<i64: 1, 1, 1, 1>} : (tensor<1x16x6x6xf32>, tensor<16x16x3x3xf32>, tensor<1x18x6x6xf32>) -> tensor<1x16x6x6xf32>
  func.return %y : tensor<1x16x6x6xf32>
}
// CHECK:      // explain-layout: 2 layout transform(s) move data
// CHECK:      // @main: %o NCHW2c -> NCHW [1, 9, 6, 6, 2] (2592 bytes): nn.deform_conv2d keeps its original layout; moved by fused_layout_transform
// CHECK:      %y = nn.deform_conv2d %x, %w, %{{.*}} {padding = array<i64: 1, 1, 1, 1>} : (tensor<1x16x6x6xf32>, tensor<16x16x3x3xf32>, tensor<1x18x6x6xf32>) -> tensor<1x16x6x6xf32>
