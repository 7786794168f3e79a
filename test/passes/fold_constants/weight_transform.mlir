// A weight's transform runs at compile time: the conv reads a pre-transformed constant,
// and the shared weight is folded once for both convs.
// RUN: xdsl-opt %s -p fold-constants | filecheck %s
func.func @main(%x: tensor<1x3x3x2xf32>) -> (tensor<1x3x3x2xf32>, tensor<1x3x3x2xf32>) {
  %w = nn.constant dense<"0x0000803F0000004000004040000080400000A0400000C04000000000000000000000000000000000000000000000000000000000000000000000000000000000"> : tensor<2x2x2x2xf32>
  %t = nn.layout_transform %w "OIHW" to "HWIO" : tensor<2x2x2x2xf32> -> tensor<2x2x2x2xf32>
  %u = nn.layout_transform %w "OIHW" to "HWIO" : tensor<2x2x2x2xf32> -> tensor<2x2x2x2xf32>
  %a = nn.conv2d %x, %t {data_layout = "NHWC", kernel_layout = "HWIO", padding = array<i64: 0, 0, 1, 1>} : (tensor<1x3x3x2xf32>, tensor<2x2x2x2xf32>) -> tensor<1x3x3x2xf32>
  %b = nn.conv2d %x, %u {data_layout = "NHWC", kernel_layout = "HWIO", padding = array<i64: 0, 0, 1, 1>} : (tensor<1x3x3x2xf32>, tensor<2x2x2x2xf32>) -> tensor<1x3x3x2xf32>
  func.return %a, %b : tensor<1x3x3x2xf32>, tensor<1x3x3x2xf32>
}
// CHECK:      %[[W:.*]] = nn.constant dense<"0x0000803F000000000000A0400000000000000040000000000000C040000000000000404000000000000000000000000000008040000000000000000000000000"> : tensor<2x2x2x2xf32>
// CHECK-NEXT: nn.conv2d %x, %[[W]]
// CHECK-NEXT: nn.conv2d %x, %[[W]]
// CHECK-NOT:  nn.layout_transform
