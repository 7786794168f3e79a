// NCHW16c: the 3-channel stem reads its input in NCHW (no block divides 3) and writes
// NCHW16c, so nothing moves before the next conv.
// RUN: xdsl-opt %s -p 'convert-layout{conv2d=NCHW16c,default}' | filecheck %s
func.func @main(%x: tensor<1x3x4x4xf32>, %w1: tensor<16x3x1x1xf32>, %w2: tensor<32x16x1x1xf32>) -> tensor<1x32x4x4xf32> {
  %a = nn.conv2d %x, %w1 : (tensor<1x3x4x4xf32>, tensor<16x3x1x1xf32>) -> tensor<1x16x4x4xf32>
  %b = nn.conv2d %a, %w2 : (tensor<1x16x4x4xf32>, tensor<32x16x1x1xf32>) -> tensor<1x32x4x4xf32>
  func.return %b : tensor<1x32x4x4xf32>
}
// CHECK-NOT:  nn.layout_transform %x
// CHECK:      nn.layout_transform %w1 "OIHW" to "OIHW1i16o"
// CHECK-NEXT: %[[A:.*]] = nn.conv2d %x, %{{.*}} {reason = "3 input channels do not divide by 16: read in NCHW", kernel_layout = "OIHW1i16o", out_layout = "NCHW16c"} : (tensor<1x3x4x4xf32>, tensor<1x3x1x1x1x16xf32>) -> tensor<1x1x4x4x16xf32>
// CHECK-NEXT: nn.layout_transform %w2 "OIHW" to "OIHW16i16o" {{.*}} -> tensor<2x1x1x1x16x16xf32>
// CHECK-NEXT: nn.conv2d %[[A]], {{.*}} {data_layout = "NCHW16c", kernel_layout = "OIHW16i16o"} : (tensor<1x1x4x4x16xf32>, tensor<2x1x1x1x16x16xf32>) -> tensor<1x2x4x4x16xf32>
