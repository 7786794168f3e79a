// nn.resize2d round-trips with its layout, method, ONNX coordinate modes, cubic and
// antialiasing options, scales and tf_crop_and_resize's crop.
// RUN: xdsl-opt %s | xdsl-opt | filecheck %s
// RUN: %roundtrip --check-prefix=GENERIC

func.func @resize(%x: tensor<1x4x5x5xf32>, %xh: tensor<1x5x5x4xf32>) {
  %up = nn.resize2d %x {size = array<i64: 10, 10>} : (tensor<1x4x5x5xf32>) -> tensor<1x4x10x10xf32>
  %lin = nn.resize2d %xh {size = array<i64: 7, 3>, layout = "NHWC", method = "bilinear", coordinate_mode = "align_corners"} : (tensor<1x5x5x4xf32>) -> tensor<1x7x3x4xf32>
  %cub = nn.resize2d %x {size = array<i64: 3, 3>, method = "bicubic", cubic_coeff_a = -5.000000e-01 : f32, exclude_outside = true, antialias = true, scales = array<f64: 0.6, 0.6>} : (tensor<1x4x5x5xf32>) -> tensor<1x4x3x3xf32>
  %crop = nn.resize2d %x {size = array<i64: 3, 3>, method = "bilinear", coordinate_mode = "tf_crop_and_resize", extrapolation_value = 1.000000e+01 : f32, roi = array<f64: 0.4, 0.6, 1.2, 1.7>} : (tensor<1x4x5x5xf32>) -> tensor<1x4x3x3xf32>
  func.return
}

// CHECK:      %up = nn.resize2d %x {size = array<i64: 10, 10>} : (tensor<1x4x5x5xf32>) -> tensor<1x4x10x10xf32>
// CHECK-NEXT: %lin = nn.resize2d %xh {size = array<i64: 7, 3>, layout = "NHWC", method = "bilinear", coordinate_mode = "align_corners"} : (tensor<1x5x5x4xf32>) -> tensor<1x7x3x4xf32>
// CHECK-NEXT: %cub = nn.resize2d %x {size = array<i64: 3, 3>, method = "bicubic", cubic_coeff_a = -5.000000e-01 : f32, exclude_outside = true, antialias = true, scales = array<f64: 6.000000e-01, 6.000000e-01>} : (tensor<1x4x5x5xf32>) -> tensor<1x4x3x3xf32>
// CHECK-NEXT: %crop = nn.resize2d %x {size = array<i64: 3, 3>, method = "bilinear", coordinate_mode = "tf_crop_and_resize", extrapolation_value = 1.000000e+01 : f32, roi = array<f64: 4.000000e-01, 6.000000e-01, 1.200000e+00, 1.700000e+00>} : (tensor<1x4x5x5xf32>) -> tensor<1x4x3x3xf32>

// GENERIC:      "nn.resize2d"(%x) <{size = array<i64: 10, 10>, layout = "NCHW", method = "nearest", coordinate_mode = "half_pixel", nearest_mode = "round_prefer_floor", cubic_coeff_a = -7.500000e-01 : f32, exclude_outside = false, antialias = false, extrapolation_value = 0.000000e+00 : f32}>
// GENERIC-NEXT: "nn.resize2d"(%xh) <{size = array<i64: 7, 3>, layout = "NHWC", method = "bilinear", coordinate_mode = "align_corners", nearest_mode = "round_prefer_floor", cubic_coeff_a = -7.500000e-01 : f32, exclude_outside = false, antialias = false, extrapolation_value = 0.000000e+00 : f32}>
// GENERIC-NEXT: "nn.resize2d"(%x) <{size = array<i64: 3, 3>, method = "bicubic", cubic_coeff_a = -5.000000e-01 : f32, exclude_outside = true, antialias = true, scales = array<f64: 6.000000e-01, 6.000000e-01>, layout = "NCHW", coordinate_mode = "half_pixel", nearest_mode = "round_prefer_floor", extrapolation_value = 0.000000e+00 : f32}>
// GENERIC-NEXT: "nn.resize2d"(%x) <{size = array<i64: 3, 3>, method = "bilinear", coordinate_mode = "tf_crop_and_resize", extrapolation_value = 1.000000e+01 : f32, roi = array<f64: 4.000000e-01, 6.000000e-01, 1.200000e+00, 1.700000e+00>, layout = "NCHW", nearest_mode = "round_prefer_floor", cubic_coeff_a = -7.500000e-01 : f32, exclude_outside = false, antialias = false}>
