// Windowed and global pools round-trip in plain and blocked layouts.
// RUN: xdsl-opt %s | xdsl-opt | filecheck %s
// RUN: %roundtrip --check-prefix=GENERIC

func.func @pools(%x: tensor<1x4x8x8xf32>, %xh: tensor<1x8x8x4xf32>, %xb: tensor<1x1x8x8x16xf32>) {
  %max = nn.max_pool2d %x {pool_size = array<i64: 3, 3>, strides = array<i64: 2, 2>, padding = array<i64: 1, 1, 1, 1>, ceil_mode = true} : (tensor<1x4x8x8xf32>) -> tensor<1x4x5x5xf32>
  %avg = nn.avg_pool2d %xh {pool_size = array<i64: 2, 2>, dilation = array<i64: 2, 2>, padding = array<i64: 1, 1, 0, 0>, layout = "NHWC", count_include_pad = true} : (tensor<1x8x8x4xf32>) -> tensor<1x7x7x4xf32>
  %blocked = nn.max_pool2d %xb {pool_size = array<i64: 2, 2>, strides = array<i64: 2, 2>, layout = "NCHW16c"} : (tensor<1x1x8x8x16xf32>) -> tensor<1x1x4x4x16xf32>
  %gavg = nn.global_avg_pool2d %xh {layout = "NHWC"} : (tensor<1x8x8x4xf32>) -> tensor<1x1x1x4xf32>
  %gmax = nn.global_max_pool2d %x : (tensor<1x4x8x8xf32>) -> tensor<1x4x1x1xf32>
  func.return
}

// CHECK:      %max = nn.max_pool2d %x {pool_size = array<i64: 3, 3>, strides = array<i64: 2, 2>, padding = array<i64: 1, 1, 1, 1>, ceil_mode = true} : (tensor<1x4x8x8xf32>) -> tensor<1x4x5x5xf32>
// CHECK-NEXT: %avg = nn.avg_pool2d %xh {pool_size = array<i64: 2, 2>, dilation = array<i64: 2, 2>, padding = array<i64: 1, 1, 0, 0>, layout = "NHWC", count_include_pad = true} : (tensor<1x8x8x4xf32>) -> tensor<1x7x7x4xf32>
// CHECK-NEXT: %blocked = nn.max_pool2d %xb {pool_size = array<i64: 2, 2>, strides = array<i64: 2, 2>, layout = "NCHW16c"} : (tensor<1x1x8x8x16xf32>) -> tensor<1x1x4x4x16xf32>
// CHECK-NEXT: %gavg = nn.global_avg_pool2d %xh {layout = "NHWC"} : (tensor<1x8x8x4xf32>) -> tensor<1x1x1x4xf32>
// CHECK-NEXT: %gmax = nn.global_max_pool2d %x : (tensor<1x4x8x8xf32>) -> tensor<1x4x1x1xf32>

// GENERIC:      "nn.max_pool2d"(%x) <{pool_size = array<i64: 3, 3>, strides = array<i64: 2, 2>, padding = array<i64: 1, 1, 1, 1>, ceil_mode = true, dilation = array<i64: 1, 1>, layout = "NCHW"}>
// GENERIC-NEXT: "nn.avg_pool2d"(%xh) <{{{.*}}count_include_pad = true{{.*}}}>
// GENERIC:      "nn.global_avg_pool2d"(%xh) <{layout = "NHWC"}>
