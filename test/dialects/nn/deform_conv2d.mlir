// nn.deform_conv2d round-trips with and without its mask, with its defaults (NCHW) and
// in NHWC with groups and offset groups.
// RUN: xdsl-opt %s | xdsl-opt | filecheck %s
// RUN: %roundtrip --check-prefix=GENERIC

func.func @dcn(%x: tensor<1x4x5x5xf32>, %w: tensor<6x4x3x3xf32>, %o: tensor<1x18x3x3xf32>, %m: tensor<1x9x3x3xf32>, %xh: tensor<1x5x5x4xf32>, %wg: tensor<6x2x3x3xf32>, %oh: tensor<1x5x5x36xf32>) {
  %y = nn.deform_conv2d %x, %w, %o, %m : (tensor<1x4x5x5xf32>, tensor<6x4x3x3xf32>, tensor<1x18x3x3xf32>, tensor<1x9x3x3xf32>) -> tensor<1x6x3x3xf32>
  %z = nn.deform_conv2d %xh, %wg, %oh {padding = array<i64: 1, 1, 1, 1>, groups = 2 : i64, offset_groups = 2 : i64, data_layout = "NHWC"} : (tensor<1x5x5x4xf32>, tensor<6x2x3x3xf32>, tensor<1x5x5x36xf32>) -> tensor<1x5x5x6xf32>
  func.return
}

// CHECK:      %y = nn.deform_conv2d %x, %w, %o, %m : (tensor<1x4x5x5xf32>, tensor<6x4x3x3xf32>, tensor<1x18x3x3xf32>, tensor<1x9x3x3xf32>) -> tensor<1x6x3x3xf32>
// CHECK-NEXT: %z = nn.deform_conv2d %xh, %wg, %oh {padding = array<i64: 1, 1, 1, 1>, groups = 2 : i64, offset_groups = 2 : i64, data_layout = "NHWC"} : (tensor<1x5x5x4xf32>, tensor<6x2x3x3xf32>, tensor<1x5x5x36xf32>) -> tensor<1x5x5x6xf32>

// GENERIC:      "nn.deform_conv2d"(%x, %w, %o, %m) <{
// GENERIC-SAME: offset_groups = 1 : i64
// GENERIC-SAME: data_layout = "NCHW"
// GENERIC:      "nn.deform_conv2d"(%xh, %wg, %oh) <{
