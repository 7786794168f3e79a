// A slice of the channels (stride -2, from the last) follows NHWC along the last axis:
// no transform comes back before it.
// RUN: xdsl-opt %s -p 'convert-layout{conv2d=NHWC,default}' | filecheck %s
func.func @main(%x: tensor<1x3x4x4xf32>, %w: tensor<6x3x1x1xf32>) -> tensor<1x3x4x4xf32> {
  %y = nn.conv2d %x, %w : (tensor<1x3x4x4xf32>, tensor<6x3x1x1xf32>) -> tensor<1x6x4x4xf32>
  %s = nn.slice %y {begin = array<i64: 0, 5, 0, 0>, end = array<i64: 1, -1, 4, 4>, strides = array<i64: 1, -2, 1, 1>} : (tensor<1x6x4x4xf32>) -> tensor<1x3x4x4xf32>
  %r = nn.relu %s : tensor<1x3x4x4xf32>
  func.return %r : tensor<1x3x4x4xf32>
}
// CHECK:      %y = nn.conv2d
// CHECK-NEXT: nn.slice %y {begin = array<i64: 0, 0, 0, 5>, end = array<i64: 1, 4, 4, -1>, strides = array<i64: 1, 1, 1, -2>} : (tensor<1x4x4x6xf32>) -> tensor<1x4x4x3xf32>
// CHECK-NEXT: nn.relu %{{.*}} : tensor<1x4x4x3xf32>
// CHECK-NEXT: nn.layout_transform %{{.*}} "NHWC" to "NCHW" {reason = "function boundary
