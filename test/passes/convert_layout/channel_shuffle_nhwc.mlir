// ShuffleNet's channel shuffle (reshape to [N,g,C/g,H,W], swap g and C/g, reshape back)
// becomes one nn.channel_shuffle, a permutation of NHWC's last axis: no transform.
// RUN: xdsl-opt %s -p 'convert-layout{conv2d=NHWC,default}' | filecheck %s
func.func @main(%x: tensor<1x3x4x4xf32>, %w: tensor<6x3x1x1xf32>, %v: tensor<6x6x1x1xf32>) -> tensor<1x6x4x4xf32> {
  %y = nn.conv2d %x, %w : (tensor<1x3x4x4xf32>, tensor<6x3x1x1xf32>) -> tensor<1x6x4x4xf32>
  %g = nn.reshape %y {newshape = array<i64: 1, 2, 3, 4, 4>} : (tensor<1x6x4x4xf32>) -> tensor<1x2x3x4x4xf32>
  %t = nn.transpose %g {axes = array<i64: 0, 2, 1, 3, 4>} : (tensor<1x2x3x4x4xf32>) -> tensor<1x3x2x4x4xf32>
  %s = nn.reshape %t {newshape = array<i64: 1, 6, 4, 4>} : (tensor<1x3x2x4x4xf32>) -> tensor<1x6x4x4xf32>
  %o = nn.conv2d %s, %v : (tensor<1x6x4x4xf32>, tensor<6x6x1x1xf32>) -> tensor<1x6x4x4xf32>
  func.return %o : tensor<1x6x4x4xf32>
}
// CHECK:      %y = nn.conv2d
// CHECK-NEXT: nn.channel_shuffle %y {axis = 3 : i64, groups = 2 : i64} : (tensor<1x4x4x6xf32>) -> tensor<1x4x4x6xf32>
// CHECK-NOT:  nn.reshape
// CHECK-NOT:  "NHWC" to "NCHW" {reason = "nn
// CHECK:      nn.conv2d
