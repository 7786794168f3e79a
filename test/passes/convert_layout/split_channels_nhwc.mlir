// A Split of the channels (imported as one slice per part) in NHWC: each part is a
// slice of the last axis, and the two branches meet again with no transform.
// RUN: xdsl-opt %s -p 'convert-layout{conv2d=NHWC,default}' | filecheck %s
func.func @main(%x: tensor<1x3x4x4xf32>, %w: tensor<5x3x1x1xf32>, %v: tensor<3x2x1x1xf32>) -> tensor<1x3x4x4xf32> {
  %y = nn.conv2d %x, %w : (tensor<1x3x4x4xf32>, tensor<5x3x1x1xf32>) -> tensor<1x5x4x4xf32>
  %a = nn.slice %y {begin = array<i64: 0, 0, 0, 0>, end = array<i64: 1, 2, 4, 4>, strides = array<i64: 1, 1, 1, 1>} : (tensor<1x5x4x4xf32>) -> tensor<1x2x4x4xf32>
  %b = nn.slice %y {begin = array<i64: 0, 2, 0, 0>, end = array<i64: 1, 5, 4, 4>, strides = array<i64: 1, 1, 1, 1>} : (tensor<1x5x4x4xf32>) -> tensor<1x3x4x4xf32>
  %c = nn.conv2d %a, %v : (tensor<1x2x4x4xf32>, tensor<3x2x1x1xf32>) -> tensor<1x3x4x4xf32>
  %s = nn.add %b, %c : (tensor<1x3x4x4xf32>, tensor<1x3x4x4xf32>) -> tensor<1x3x4x4xf32>
  func.return %s : tensor<1x3x4x4xf32>
}
// CHECK:      %y = nn.conv2d
// CHECK-NEXT: %a = nn.slice %y {begin = array<i64: 0, 0, 0, 0>, end = array<i64: 1, 4, 4, 2>, {{.*}} -> tensor<1x4x4x2xf32>
// CHECK-NEXT: %b = nn.slice %y {begin = array<i64: 0, 0, 0, 2>, end = array<i64: 1, 4, 4, 5>, {{.*}} -> tensor<1x4x4x3xf32>
// CHECK-NOT:  "NHWC" to "NCHW" {reason = "nn
// CHECK:      nn.add
// CHECK-NEXT: nn.layout_transform %{{.*}} "NHWC" to "NCHW" {reason = "function boundary
