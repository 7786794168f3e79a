// lt(relu(lt(x, A->B)), B->A): sinking the outer transform through relu cancels both.
// RUN: xdsl-opt %s -p simplify-layout-transforms | filecheck %s
func.func @main(%x: tensor<1x2x3x4xf32>) -> tensor<1x2x3x4xf32> {
  %a = nn.layout_transform %x "NCHW" to "NHWC" : tensor<1x2x3x4xf32> -> tensor<1x3x4x2xf32>
  %r = nn.relu %a : tensor<1x3x4x2xf32>
  %b = nn.layout_transform %r "NHWC" to "NCHW" : tensor<1x3x4x2xf32> -> tensor<1x2x3x4xf32>
  func.return %b : tensor<1x2x3x4xf32>
}
// CHECK:      %[[R:.*]] = nn.relu %x : tensor<1x2x3x4xf32>
// CHECK-NEXT: func.return %[[R]]
