// nn.resize2d round-trips with its layout, method and ONNX coordinate modes.
// RUN: xdsl-opt %s | xdsl-opt | filecheck %s
// RUN: %roundtrip --check-prefix=GENERIC

func.func @resize(%x: tensor<1x4x5x5xf32>, %xh: tensor<1x5x5x4xf32>) {
  %up = nn.resize2d %x {size = array<i64: 10, 10>} : (tensor<1x4x5x5xf32>) -> tensor<1x4x10x10xf32>
  %lin = nn.resize2d %xh {size = array<i64: 7, 3>, layout = "NHWC", method = "bilinear", coordinate_mode = "align_corners"} : (tensor<1x5x5x4xf32>) -> tensor<1x7x3x4xf32>
  func.return
}

// CHECK:      %up = nn.resize2d %x {size = array<i64: 10, 10>} : (tensor<1x4x5x5xf32>) -> tensor<1x4x10x10xf32>
// CHECK-NEXT: %lin = nn.resize2d %xh {size = array<i64: 7, 3>, layout = "NHWC", method = "bilinear", coordinate_mode = "align_corners"} : (tensor<1x5x5x4xf32>) -> tensor<1x7x3x4xf32>

// GENERIC:      "nn.resize2d"(%x) <{size = array<i64: 10, 10>, layout = "NCHW", method = "nearest", coordinate_mode = "half_pixel", nearest_mode = "round_prefer_floor"}>
// GENERIC-NEXT: "nn.resize2d"(%xh) <{size = array<i64: 7, 3>, layout = "NHWC", method = "bilinear", coordinate_mode = "align_corners", nearest_mode = "round_prefer_floor"}>
