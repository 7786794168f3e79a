// A->B followed by B->A is nothing.
// RUN: xdsl-opt %s -p simplify-layout-transforms | filecheck %s
func.func @main(%x: tensor<1x2x3x4xf32>) -> tensor<1x2x3x4xf32> {
  %a = nn.layout_transform %x "NCHW" to "NHWC" : tensor<1x2x3x4xf32> -> tensor<1x3x4x2xf32>
  %b = nn.layout_transform %a "NHWC" to "NCHW" : tensor<1x3x4x2xf32> -> tensor<1x2x3x4xf32>
  func.return %b : tensor<1x2x3x4xf32>
}
// CHECK:      func.func @main
// CHECK-NEXT: func.return %x
