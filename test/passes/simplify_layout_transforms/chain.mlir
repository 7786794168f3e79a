// A chain through a blocked layout merges into one transform.
// RUN: xdsl-opt %s -p simplify-layout-transforms | filecheck %s
func.func @main(%x: tensor<1x32x3x4xf32>) -> tensor<1x4x3x4x8xf32> {
  %a = nn.layout_transform %x "NCHW" to "NCHW16c" : tensor<1x32x3x4xf32> -> tensor<1x2x3x4x16xf32>
  %b = nn.layout_transform %a "NCHW16c" to "NCHW8c" : tensor<1x2x3x4x16xf32> -> tensor<1x4x3x4x8xf32>
  func.return %b : tensor<1x4x3x4x8xf32>
}
// CHECK:      %[[T:.*]] = nn.layout_transform %x "NCHW" to "NCHW8c"
// CHECK-NEXT: func.return %[[T]]
