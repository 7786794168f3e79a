// grid_sample's input follows its producer into NHWC and NCHW16c, as a pool's does; the
// grid ([N, Ho, Wo, 2], no N, C, H, W to follow) is read as it is: a grid that a conv
// computed in NHWC goes back to its original layout first.
// RUN: xdsl-opt %s -p 'convert-layout{conv2d=NHWC,default}' | filecheck %s
// RUN: xdsl-opt %s -p 'convert-layout{conv2d=NCHW16c,default}' | filecheck %s --check-prefix=BLOCKED
func.func @main(%x: tensor<1x16x8x8xf32>, %g: tensor<1x5x3x2xf32>, %v: tensor<1x3x4x2xf32>) -> (tensor<1x16x5x3xf32>, tensor<1x16x4x4xf32>) {
  %w = nn.constant dense<0.25> : tensor<16x16x1x1xf32>
  %c = nn.conv2d %x, %w : (tensor<1x16x8x8xf32>, tensor<16x16x1x1xf32>) -> tensor<1x16x8x8xf32>
  %s = nn.grid_sample %c, %g {method = "bicubic"} : (tensor<1x16x8x8xf32>, tensor<1x5x3x2xf32>) -> tensor<1x16x5x3xf32>
  %k = nn.constant dense<0.5> : tensor<4x3x1x1xf32>
  %f = nn.conv2d %v, %k : (tensor<1x3x4x2xf32>, tensor<4x3x1x1xf32>) -> tensor<1x4x4x2xf32>
  %t = nn.grid_sample %c, %f : (tensor<1x16x8x8xf32>, tensor<1x4x4x2xf32>) -> tensor<1x16x4x4xf32>
  func.return %s, %t : tensor<1x16x5x3xf32>, tensor<1x16x4x4xf32>
}
// CHECK:      nn.layout_transform %x "NCHW" to "NHWC"
// CHECK:      %s = nn.grid_sample %c, %g {method = "bicubic", layout = "NHWC"} : (tensor<1x8x8x16xf32>, tensor<1x5x3x2xf32>) -> tensor<1x5x3x16xf32>
// CHECK:      %f = nn.conv2d {{.*}} -> tensor<1x4x2x4xf32>
// CHECK-NEXT: %[[G:.*]] = nn.layout_transform %f "NHWC" to "NCHW" {reason = "nn.grid_sample reads operand 1 as it is"}
// CHECK-NEXT: %t = nn.grid_sample %c, %[[G]] {layout = "NHWC"} : (tensor<1x8x8x16xf32>, tensor<1x4x4x2xf32>) -> tensor<1x4x4x16xf32>

// BLOCKED:     %s = nn.grid_sample %c, %g {method = "bicubic", layout = "NCHW16c"} : (tensor<1x1x8x8x16xf32>, tensor<1x5x3x2xf32>) -> tensor<1x1x5x3x16xf32>
