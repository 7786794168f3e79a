// A value read by two ops that need it in NCHW gets one transform, not two.
// RUN: xdsl-opt %s -p 'convert-layout{conv2d=NHWC,default}' | filecheck %s
func.func @main(%x: tensor<1x2x4x4xf32>, %w: tensor<2x2x1x1xf32>) -> (tensor<1x32xf32>, tensor<2x16xf32>) {
  %y = nn.conv2d %x, %w : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>) -> tensor<1x2x4x4xf32>
  %a = nn.reshape %y {newshape = array<i64: 1, 32>} : (tensor<1x2x4x4xf32>) -> tensor<1x32xf32>
  %b = nn.reshape %y {newshape = array<i64: 2, 16>} : (tensor<1x2x4x4xf32>) -> tensor<2x16xf32>
  func.return %a, %b : tensor<1x32xf32>, tensor<2x16xf32>
}
// CHECK-COUNT-1: "NHWC" to "NCHW"
// CHECK-NOT:     "NHWC" to "NCHW"
