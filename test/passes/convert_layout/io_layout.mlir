// io-layout=NHWC changes the function's signature: no transform is left at all.
// RUN: xdsl-opt %s -p 'convert-layout{conv2d=NHWC,default io-layout=NHWC}' | filecheck %s
func.func @main(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x1x1xf32>) -> tensor<1x4x8x8xf32> {
  %y = nn.conv2d %x, %w : (tensor<1x3x8x8xf32>, tensor<4x3x1x1xf32>) -> tensor<1x4x8x8xf32>
  %r = nn.relu %y : tensor<1x4x8x8xf32>
  func.return %r : tensor<1x4x8x8xf32>
}
// CHECK:     func.func @main(%x: tensor<1x8x8x3xf32>, %w: tensor<4x3x1x1xf32>) -> tensor<1x8x8x4xf32>
// CHECK-NOT: nn.layout_transform %x
// CHECK:     nn.layout_transform %w "OIHW" to "HWIO"
// CHECK-NOT: nn.layout_transform
