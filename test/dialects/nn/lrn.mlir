// nn.lrn round-trips in plain and blocked layouts; absent float properties take ONNX's
// defaults (alpha 1e-4, beta 0.75, bias 1).
// RUN: xdsl-opt %s | xdsl-opt | filecheck %s
// RUN: %roundtrip --check-prefix=GENERIC

func.func @lrn(%x: tensor<1x16x4x4xf32>, %xh: tensor<1x4x4x16xf32>, %xb: tensor<1x1x4x4x16xf32>) {
  %plain = nn.lrn %x {size = 5 : i64} : (tensor<1x16x4x4xf32>) -> tensor<1x16x4x4xf32>
  %nhwc = nn.lrn %xh {size = 4 : i64, alpha = 5.000000e-01 : f32, beta = 1.000000e+00 : f32, bias = 2.000000e+00 : f32, layout = "NHWC"} : (tensor<1x4x4x16xf32>) -> tensor<1x4x4x16xf32>
  %blocked = nn.lrn %xb {size = 3 : i64, layout = "NCHW16c"} : (tensor<1x1x4x4x16xf32>) -> tensor<1x1x4x4x16xf32>
  func.return
}

// CHECK:      %plain = nn.lrn %x {size = 5 : i64} : (tensor<1x16x4x4xf32>) -> tensor<1x16x4x4xf32>
// CHECK-NEXT: %nhwc = nn.lrn %xh {size = 4 : i64, alpha = 5.000000e-01 : f32, beta = 1.000000e+00 : f32, bias = 2.000000e+00 : f32, layout = "NHWC"} : (tensor<1x4x4x16xf32>) -> tensor<1x4x4x16xf32>
// CHECK-NEXT: %blocked = nn.lrn %xb {size = 3 : i64, layout = "NCHW16c"} : (tensor<1x1x4x4x16xf32>) -> tensor<1x1x4x4x16xf32>

// GENERIC:      "nn.lrn"(%x) <{size = 5 : i64, alpha = 1.000000e-04 : f32, beta = 7.500000e-01 : f32, bias = 1.000000e+00 : f32, layout = "NCHW"}>
// GENERIC-NEXT: "nn.lrn"(%xh) <{{{.*}}layout = "NHWC"}>
// GENERIC-NEXT: "nn.lrn"(%xb) <{{{.*}}layout = "NCHW16c"{{.*}}}>
