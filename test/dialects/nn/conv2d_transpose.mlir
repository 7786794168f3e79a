// nn.conv2d_transpose round-trips with its defaults (NCHW, IOHW) and in NHWC/HWIO.
// RUN: xdsl-opt %s | xdsl-opt | filecheck %s
// RUN: %roundtrip --check-prefix=GENERIC

func.func @up(%x: tensor<1x4x5x5xf32>, %w: tensor<4x3x3x3xf32>, %xh: tensor<1x5x5x4xf32>, %wh: tensor<3x3x4x3xf32>) {
  %y = nn.conv2d_transpose %x, %w : (tensor<1x4x5x5xf32>, tensor<4x3x3x3xf32>) -> tensor<1x3x7x7xf32>
  %s = nn.conv2d_transpose %xh, %wh {strides = array<i64: 2, 2>, padding = array<i64: 1, 1, 1, 1>, output_padding = array<i64: 1, 1>, data_layout = "NHWC", kernel_layout = "HWIO"} : (tensor<1x5x5x4xf32>, tensor<3x3x4x3xf32>) -> tensor<1x10x10x3xf32>
  func.return
}

// CHECK:      %y = nn.conv2d_transpose %x, %w : (tensor<1x4x5x5xf32>, tensor<4x3x3x3xf32>) -> tensor<1x3x7x7xf32>
// CHECK-NEXT: %s = nn.conv2d_transpose %xh, %wh {strides = array<i64: 2, 2>, padding = array<i64: 1, 1, 1, 1>, output_padding = array<i64: 1, 1>, data_layout = "NHWC", kernel_layout = "HWIO"}

// GENERIC: "nn.conv2d_transpose"(%x, %w) <{
// GENERIC-SAME: data_layout = "NCHW"
// GENERIC-SAME: kernel_layout = "IOHW"
