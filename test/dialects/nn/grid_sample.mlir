// nn.grid_sample round-trips with its layout, method, padding mode and align_corners;
// absent ones take ONNX's defaults (bilinear, zeros, no align_corners).
// RUN: xdsl-opt %s | xdsl-opt | filecheck %s
// RUN: %roundtrip --check-prefix=GENERIC

func.func @grid_sample(%x: tensor<2x4x5x6xf32>, %xh: tensor<2x5x6x4xf32>, %g: tensor<2x3x7x2xf32>) {
  %plain = nn.grid_sample %x, %g : (tensor<2x4x5x6xf32>, tensor<2x3x7x2xf32>) -> tensor<2x4x3x7xf32>
  %nhwc = nn.grid_sample %xh, %g {layout = "NHWC", method = "bicubic", padding_mode = "reflection", align_corners = true} : (tensor<2x5x6x4xf32>, tensor<2x3x7x2xf32>) -> tensor<2x3x7x4xf32>
  func.return
}

// CHECK:      %plain = nn.grid_sample %x, %g : (tensor<2x4x5x6xf32>, tensor<2x3x7x2xf32>) -> tensor<2x4x3x7xf32>
// CHECK-NEXT: %nhwc = nn.grid_sample %xh, %g {layout = "NHWC", method = "bicubic", padding_mode = "reflection", align_corners = true} : (tensor<2x5x6x4xf32>, tensor<2x3x7x2xf32>) -> tensor<2x3x7x4xf32>

// GENERIC:      "nn.grid_sample"(%x, %g) <{layout = "NCHW", method = "bilinear", padding_mode = "zeros", align_corners = false}>
// GENERIC-NEXT: "nn.grid_sample"(%xh, %g) <{layout = "NHWC", method = "bicubic", padding_mode = "reflection", align_corners = true}>
