// Hand-written generic IR may leave out every property that has a default; the
// defaults are those of the op table (NCHW/OIHW, unit strides and dilation, no padding).
// RUN: xdsl-opt %s --print-op-generic | filecheck %s

"builtin.module"() ({
  "func.func"() <{sym_name = "main", function_type = (tensor<1x4x8x8xf32>, tensor<4x4x3x3xf32>, tensor<4xf32>) -> ()}> ({
  ^bb0(%x: tensor<1x4x8x8xf32>, %w: tensor<4x4x3x3xf32>, %p: tensor<4xf32>):
    %c = "nn.conv2d"(%x, %w) : (tensor<1x4x8x8xf32>, tensor<4x4x3x3xf32>) -> tensor<1x4x6x6xf32>
    %b = "nn.batch_norm"(%c, %p, %p, %p, %p) : (tensor<1x4x6x6xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<1x4x6x6xf32>
    %m = "nn.avg_pool2d"(%b) <{pool_size = array<i64: 2, 2>}> : (tensor<1x4x6x6xf32>) -> tensor<1x4x5x5xf32>
    %r = "nn.resize2d"(%m) <{size = array<i64: 10, 10>}> : (tensor<1x4x5x5xf32>) -> tensor<1x4x10x10xf32>
    %q = "nn.pad"(%r) <{pad_width = array<i64: 0, 0, 0, 0, 1, 1, 1, 1>}> : (tensor<1x4x10x10xf32>) -> tensor<1x4x12x12xf32>
    %a = "nn.mean"(%q) <{axes = array<i64: 2, 3>}> : (tensor<1x4x12x12xf32>) -> tensor<1x4xf32>
    "func.return"() : () -> ()
  }) : () -> ()
}) : () -> ()

// CHECK:      "nn.conv2d"(%x, %w) <{strides = array<i64: 1, 1>, dilation = array<i64: 1, 1>, padding = array<i64: 0, 0, 0, 0>, groups = 1 : i64, data_layout = "NCHW", kernel_layout = "OIHW"}>
// CHECK-NEXT: "nn.batch_norm"(%c, %p, %p, %p, %p) <{axis = 1 : i64, epsilon = 1.000000e-05 : f32}>
// CHECK-NEXT: "nn.avg_pool2d"(%b) <{pool_size = array<i64: 2, 2>, count_include_pad = false, strides = array<i64: 1, 1>, dilation = array<i64: 1, 1>, padding = array<i64: 0, 0, 0, 0>, layout = "NCHW", ceil_mode = false}>
// CHECK-NEXT: "nn.resize2d"(%m) <{size = array<i64: 10, 10>, layout = "NCHW", method = "nearest", coordinate_mode = "half_pixel", nearest_mode = "round_prefer_floor", cubic_coeff_a = -7.500000e-01 : f32, exclude_outside = false, antialias = false, extrapolation_value = 0.000000e+00 : f32}>
// CHECK-NEXT: "nn.pad"(%r) <{pad_width = array<i64: 0, 0, 0, 0, 1, 1, 1, 1>, pad_value = 0.000000e+00 : f32, mode = "constant"}>
// CHECK-NEXT: "nn.mean"(%q) <{axes = array<i64: 2, 3>, keepdims = false}>
