// nn.layer_norm round-trips: over C of NCHW or NHWC, or over several axes.
// RUN: xdsl-opt %s | xdsl-opt | filecheck %s
// RUN: %roundtrip --check-prefix=GENERIC

func.func @ln(%x: tensor<1x4x5x5xf32>, %s: tensor<1x4x1x1xf32>, %xh: tensor<1x5x5x4xf32>, %sh: tensor<1x1x1x4xf32>, %one: tensor<1x1x1x1xf32>) {
  %c = nn.layer_norm %x, %s, %s {axes = array<i64: 1>} : (tensor<1x4x5x5xf32>, tensor<1x4x1x1xf32>, tensor<1x4x1x1xf32>) -> tensor<1x4x5x5xf32>
  %last = nn.layer_norm %xh, %sh, %one {axes = array<i64: -1>, epsilon = 1.0e-6 : f32} : (tensor<1x5x5x4xf32>, tensor<1x1x1x4xf32>, tensor<1x1x1x1xf32>) -> tensor<1x5x5x4xf32>
  %chw = nn.layer_norm %x, %one, %one {axes = array<i64: 1, 2, 3>} : (tensor<1x4x5x5xf32>, tensor<1x1x1x1xf32>, tensor<1x1x1x1xf32>) -> tensor<1x4x5x5xf32>
  func.return
}

// CHECK:      %c = nn.layer_norm %x, %s, %s {axes = array<i64: 1>} : (tensor<1x4x5x5xf32>, tensor<1x4x1x1xf32>, tensor<1x4x1x1xf32>) -> tensor<1x4x5x5xf32>
// CHECK-NEXT: %last = nn.layer_norm %xh, %sh, %one {axes = array<i64: -1>, epsilon = 1.000000e-06 : f32}
// CHECK-NEXT: %chw = nn.layer_norm %x, %one, %one {axes = array<i64: 1, 2, 3>}

// GENERIC:      "nn.layer_norm"(%x, %s, %s) <{axes = array<i64: 1>, epsilon = 1.000000e-05 : f32}>
// GENERIC-NEXT: "nn.layer_norm"(%xh, %sh, %one) <{axes = array<i64: -1>, epsilon = 1.000000e-06 : f32}>
