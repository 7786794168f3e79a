// A transform to the same layout is dropped, also by `canonicalize`.
// RUN: xdsl-opt %s -p simplify-layout-transforms | filecheck %s
// RUN: xdsl-opt %s -p canonicalize | filecheck %s
func.func @main(%x: tensor<1x2x3x4xf32>) -> tensor<1x2x3x4xf32> {
  %a = nn.layout_transform %x "NCHW" to "NCHW" : tensor<1x2x3x4xf32> -> tensor<1x2x3x4xf32>
  func.return %a : tensor<1x2x3x4xf32>
}
// CHECK:      func.func @main
// CHECK-NEXT: func.return %x
