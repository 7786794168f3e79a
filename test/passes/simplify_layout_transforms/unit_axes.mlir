// Moving only size-1 axes moves no data: it becomes a reshape.
// RUN: xdsl-opt %s -p simplify-layout-transforms | filecheck %s
func.func @main(%x: tensor<1x1x1x64xf32>) -> tensor<1x64x1x1xf32> {
  %a = nn.layout_transform %x "NHWC" to "NCHW" : tensor<1x1x1x64xf32> -> tensor<1x64x1x1xf32>
  func.return %a : tensor<1x64x1x1xf32>
}
// CHECK:     nn.reshape %x {newshape = array<i64: 1, 64, 1, 1>}
// CHECK-NOT: nn.layout_transform
