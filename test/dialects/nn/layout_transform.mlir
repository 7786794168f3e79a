// nn.layout_transform round-trips between plain, permuted and blocked layouts.
// RUN: xdsl-opt %s | xdsl-opt | filecheck %s
// RUN: %roundtrip --check-prefix=GENERIC

func.func @transforms(%x: tensor<1x32x7x7xf32>, %w: tensor<64x32x3x3xf32>) {
  %nhwc = nn.layout_transform %x "NCHW" to "NHWC" : tensor<1x32x7x7xf32> -> tensor<1x7x7x32xf32>
  %blocked = nn.layout_transform %x "NCHW" to "NCHW16c" : tensor<1x32x7x7xf32> -> tensor<1x2x7x7x16xf32>
  %kernel = nn.layout_transform %w "OIHW" to "OIHW16i16o" : tensor<64x32x3x3xf32> -> tensor<4x2x3x3x16x16xf32>
  func.return
}

// CHECK:      %nhwc = nn.layout_transform %x "NCHW" to "NHWC" : tensor<1x32x7x7xf32> -> tensor<1x7x7x32xf32>
// CHECK-NEXT: %blocked = nn.layout_transform %x "NCHW" to "NCHW16c" : tensor<1x32x7x7xf32> -> tensor<1x2x7x7x16xf32>
// CHECK-NEXT: %kernel = nn.layout_transform %w "OIHW" to "OIHW16i16o" : tensor<64x32x3x3xf32> -> tensor<4x2x3x3x16x16xf32>

// GENERIC: "nn.layout_transform"(%x) <{src_layout = "NCHW", dst_layout = "NHWC"}> : (tensor<1x32x7x7xf32>) -> tensor<1x7x7x32xf32>
