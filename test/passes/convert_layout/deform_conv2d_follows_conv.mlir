// deform_conv2d runs in conv2d's data layout with its offset and mask beside its data
// (here, as in DCNv2, convs of the same input compute them), its weight kept OIHW: in
// NHWC only the input and the result move.
// RUN: xdsl-opt %s -p 'optimize-layout{conv2d=NHWC,default}' | filecheck %s
func.func @main(%x: tensor<1x4x6x6xf32>) -> tensor<1x8x6x6xf32> {
  %wo = nn.constant dense<0.01> : tensor<18x4x3x3xf32>
  %wm = nn.constant dense<0.02> : tensor<9x4x3x3xf32>
  %w = nn.constant dense<0.1> : tensor<8x4x3x3xf32>
  %b = nn.constant dense<0.5> : tensor<8xf32>
  %o = nn.conv2d %x, %wo {padding = array<i64: 1, 1, 1, 1>} : (tensor<1x4x6x6xf32>, tensor<18x4x3x3xf32>) -> tensor<1x18x6x6xf32>
  %c = nn.conv2d %x, %wm {padding = array<i64: 1, 1, 1, 1>} : (tensor<1x4x6x6xf32>, tensor<9x4x3x3xf32>) -> tensor<1x9x6x6xf32>
  %m = nn.sigmoid %c : tensor<1x9x6x6xf32>
  %y = nn.deform_conv2d %x, %w, %o, %m {padding = array<i64: 1, 1, 1, 1>} : (tensor<1x4x6x6xf32>, tensor<8x4x3x3xf32>, tensor<1x18x6x6xf32>, tensor<1x9x6x6xf32>) -> tensor<1x8x6x6xf32>
  %z = nn.bias_add %y, %b : (tensor<1x8x6x6xf32>, tensor<8xf32>) -> tensor<1x8x6x6xf32>
  func.return %z : tensor<1x8x6x6xf32>
}
// CHECK:      %[[X:.*]] = nn.layout_transform %x "NCHW" to "NHWC"
// CHECK-NOT:  nn.layout_transform
// CHECK:      %y = nn.deform_conv2d %[[X]], %w, %o, %m {padding = array<i64: 1, 1, 1, 1>, data_layout = "NHWC"} : (tensor<1x6x6x4xf32>, tensor<8x4x3x3xf32>, tensor<1x6x6x18xf32>, tensor<1x6x6x9xf32>) -> tensor<1x6x6x8xf32>
// CHECK-NEXT: %z = nn.bias_add %y, %b {axis = 3 : i64}
// CHECK-NEXT: nn.layout_transform %z "NHWC" to "NCHW" {reason = "function boundary
// CHECK-NOT:  nn.layout_transform
