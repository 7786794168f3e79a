// nn.conv2d round-trips in custom and generic form, with every property.
// RUN: xdsl-opt %s | xdsl-opt | filecheck %s
// RUN: %roundtrip --check-prefix=GENERIC

func.func @conv(%x: tensor<1x8x9x9xf32>, %w: tensor<16x8x3x3xf32>, %xh: tensor<1x9x9x8xf32>, %wd: tensor<3x3x8x1xf32>) {
  %a = nn.conv2d %x, %w : (tensor<1x8x9x9xf32>, tensor<16x8x3x3xf32>) -> tensor<1x16x7x7xf32>
  %b = nn.conv2d %xh, %wd {strides = array<i64: 2, 2>, dilation = array<i64: 2, 2>, padding = array<i64: 2, 2, 1, 1>, groups = 8 : i64, data_layout = "NHWC", kernel_layout = "HWOI"} : (tensor<1x9x9x8xf32>, tensor<3x3x8x1xf32>) -> tensor<1x4x4x8xf32>
  %c = nn.conv2d %x, %w {out_layout = "NCHW8c"} : (tensor<1x8x9x9xf32>, tensor<16x8x3x3xf32>) -> tensor<1x2x7x7x8xf32>
  func.return
}

// CHECK:      %a = nn.conv2d %x, %w : (tensor<1x8x9x9xf32>, tensor<16x8x3x3xf32>) -> tensor<1x16x7x7xf32>
// CHECK-NEXT: %b = nn.conv2d %xh, %wd {strides = array<i64: 2, 2>, dilation = array<i64: 2, 2>, padding = array<i64: 2, 2, 1, 1>, groups = 8 : i64, data_layout = "NHWC", kernel_layout = "HWOI"} : (tensor<1x9x9x8xf32>, tensor<3x3x8x1xf32>) -> tensor<1x4x4x8xf32>
// CHECK-NEXT: %c = nn.conv2d %x, %w {out_layout = "NCHW8c"} : (tensor<1x8x9x9xf32>, tensor<16x8x3x3xf32>) -> tensor<1x2x7x7x8xf32>

// GENERIC:      "nn.conv2d"(%x, %w) <{strides = array<i64: 1, 1>, dilation = array<i64: 1, 1>, padding = array<i64: 0, 0, 0, 0>, groups = 1 : i64, data_layout = "NCHW", kernel_layout = "OIHW"}>
// GENERIC-NEXT: "nn.conv2d"(%xh, %wd) <{strides = array<i64: 2, 2>, dilation = array<i64: 2, 2>, padding = array<i64: 2, 2, 1, 1>, groups = 8 : i64, data_layout = "NHWC", kernel_layout = "HWOI"}>
// GENERIC-NEXT: "nn.conv2d"(%x, %w) <{out_layout = "NCHW8c", {{.*}}}> : (tensor<1x8x9x9xf32>, tensor<16x8x3x3xf32>) -> tensor<1x2x7x7x8xf32>
