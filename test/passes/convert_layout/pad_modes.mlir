// Reflect, edge and wrap pads of H and W follow any layout with their widths remapped,
// as constant pads do; a pad of a blocked axis (C in NCHW16c) gets its original layout.
// RUN: xdsl-opt %s -p 'convert-layout{conv2d=NHWC,default}' | filecheck %s
// RUN: xdsl-opt %s -p 'convert-layout{conv2d=NCHW16c,default}' | filecheck %s --check-prefix=BLOCKED
func.func @main(%x: tensor<1x16x4x4xf32>, %w: tensor<16x16x1x1xf32>) -> (tensor<1x16x6x7xf32>, tensor<1x16x7x5xf32>, tensor<1x18x4x4xf32>) {
  %y = nn.conv2d %x, %w : (tensor<1x16x4x4xf32>, tensor<16x16x1x1xf32>) -> tensor<1x16x4x4xf32>
  %r = nn.pad %y {pad_width = array<i64: 0, 0, 0, 0, 1, 1, 3, 0>, mode = "reflect"} : (tensor<1x16x4x4xf32>) -> tensor<1x16x6x7xf32>
  %e = nn.pad %y {pad_width = array<i64: 0, 0, 0, 0, 0, 3, 0, 1>, mode = "edge"} : (tensor<1x16x4x4xf32>) -> tensor<1x16x7x5xf32>
  %c = nn.pad %y {pad_width = array<i64: 0, 0, 2, 0, 0, 0, 0, 0>, mode = "wrap"} : (tensor<1x16x4x4xf32>) -> tensor<1x18x4x4xf32>
  func.return %r, %e, %c : tensor<1x16x6x7xf32>, tensor<1x16x7x5xf32>, tensor<1x18x4x4xf32>
}
// CHECK:      nn.pad %{{.*}} {pad_width = array<i64: 0, 0, 1, 1, 3, 0, 0, 0>, mode = "reflect"} : (tensor<1x4x4x16xf32>) -> tensor<1x6x7x16xf32>
// CHECK:      nn.pad %{{.*}} {pad_width = array<i64: 0, 0, 0, 3, 0, 1, 0, 0>, mode = "edge"} : (tensor<1x4x4x16xf32>) -> tensor<1x7x5x16xf32>
// CHECK:      nn.pad %{{.*}} {pad_width = array<i64: 0, 0, 0, 0, 0, 0, 2, 0>, mode = "wrap"} : (tensor<1x4x4x16xf32>) -> tensor<1x4x4x18xf32>

// BLOCKED:      nn.pad %{{.*}} {pad_width = array<i64: 0, 0, 0, 0, 1, 1, 3, 0, 0, 0>, mode = "reflect"} : (tensor<1x1x4x4x16xf32>) -> tensor<1x1x6x7x16xf32>
// BLOCKED:      nn.pad %{{.*}} {pad_width = array<i64: 0, 0, 0, 0, 0, 3, 0, 1, 0, 0>, mode = "edge"} : (tensor<1x1x4x4x16xf32>) -> tensor<1x1x7x5x16xf32>
// BLOCKED:      %[[BACK:.*]] = nn.layout_transform %{{.*}} "NCHW16c" to "NCHW" {reason = "nn.pad keeps its original layout"}
// BLOCKED-NEXT: nn.pad %[[BACK]] {pad_width = array<i64: 0, 0, 2, 0, 0, 0, 0, 0>, mode = "wrap"} : (tensor<1x16x4x4xf32>) -> tensor<1x18x4x4xf32>
