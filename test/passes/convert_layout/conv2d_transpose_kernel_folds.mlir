// conv2d_transpose follows conv2d's data layout; its IOHW weight [C_in, C_out/g, kH, kW]
// (grouped here: 2 groups of 2) becomes an HWIO constant at compile time, so no
// transform of it is left, and its bias follows it in NHWC.
// RUN: xdsl-opt %s -p 'optimize-layout{conv2d=NHWC,default}' | filecheck %s
func.func @main(%x: tensor<1x4x5x5xf32>) -> tensor<1x4x10x10xf32> {
  %w = nn.constant dense<"0x0000803F0000004000004040000080400000A0400000C0400000E0400000004100001041000020410000304100004041000050410000604100007041000080410000884100009041000098410000A0410000A8410000B0410000B8410000C0410000C8410000D0410000D8410000E0410000E8410000F0410000F84100000042000004420000084200000C4200001042000014420000184200001C4200002042000024420000284200002C4200003042000034420000384200003C4200004042000044420000484200004C4200005042000054420000584200005C4200006042000064420000684200006C4200007042000074420000784200007C42000080420000824200008442000086420000884200008A4200008C4200008E4200009042"> : tensor<4x2x3x3xf32>
  %b = nn.constant dense<0.5> : tensor<4xf32>
  %y = nn.conv2d_transpose %x, %w {strides = array<i64: 2, 2>, padding = array<i64: 1, 1, 1, 1>, output_padding = array<i64: 1, 1>, groups = 2 : i64} : (tensor<1x4x5x5xf32>, tensor<4x2x3x3xf32>) -> tensor<1x4x10x10xf32>
  %z = nn.bias_add %y, %b : (tensor<1x4x10x10xf32>, tensor<4xf32>) -> tensor<1x4x10x10xf32>
  func.return %z : tensor<1x4x10x10xf32>
}
// CHECK:      %[[X:.*]] = nn.layout_transform %x "NCHW" to "NHWC"
// CHECK-NOT:  nn.layout_transform
// CHECK:      %[[W:.*]] = nn.constant dense<"0x0000803F00002041000098410000E041{{.*}}"> : tensor<3x3x4x2xf32>
// CHECK-NOT:  nn.layout_transform
// CHECK:      %y = nn.conv2d_transpose %[[X]], %[[W]] {{{.*}}data_layout = "NHWC", kernel_layout = "HWIO"} : (tensor<1x5x5x4xf32>, tensor<3x3x4x2xf32>) -> tensor<1x10x10x4xf32>
// CHECK-NEXT: %z = nn.bias_add %y, %b {axis = 3 : i64}
// CHECK-NEXT: nn.layout_transform %z "NHWC" to "NCHW" {reason = "function boundary
