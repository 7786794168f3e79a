// A transpose NCHW->NHWC after a conv that already runs in NHWC costs nothing.
// RUN: xdsl-opt %s -p 'convert-layout{conv2d=NHWC,default}' | filecheck %s
func.func @main(%x: tensor<1x2x4x4xf32>, %w: tensor<2x2x1x1xf32>) -> tensor<1x4x4x2xf32> {
  %y = nn.conv2d %x, %w : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>) -> tensor<1x2x4x4xf32>
  %t = nn.transpose %y {axes = array<i64: 0, 2, 3, 1>} : (tensor<1x2x4x4xf32>) -> tensor<1x4x4x2xf32>
  func.return %t : tensor<1x4x4x2xf32>
}
// CHECK:      %[[Y:.*]] = nn.conv2d
// CHECK-NEXT: func.return %[[Y]] : tensor<1x4x4x2xf32>
