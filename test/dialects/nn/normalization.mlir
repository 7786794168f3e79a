// nn.bias_add and inference-form nn.batch_norm round-trip, on any channel axis.
// RUN: xdsl-opt %s | xdsl-opt | filecheck %s
// RUN: %roundtrip --check-prefix=GENERIC

func.func @channels(%x: tensor<1x4x5x5xf32>, %xh: tensor<1x5x5x4xf32>, %p: tensor<4xf32>) {
  %bias = nn.bias_add %x, %p : (tensor<1x4x5x5xf32>, tensor<4xf32>) -> tensor<1x4x5x5xf32>
  %last = nn.bias_add %xh, %p {axis = -1 : i64} : (tensor<1x5x5x4xf32>, tensor<4xf32>) -> tensor<1x5x5x4xf32>
  %bn = nn.batch_norm %xh, %p, %p, %p, %p {axis = 3 : i64, epsilon = 1.0e-3 : f32} : (tensor<1x5x5x4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<1x5x5x4xf32>
  func.return
}

// CHECK:      %bias = nn.bias_add %x, %p : (tensor<1x4x5x5xf32>, tensor<4xf32>) -> tensor<1x4x5x5xf32>
// CHECK-NEXT: %last = nn.bias_add %xh, %p {axis = -1 : i64} : (tensor<1x5x5x4xf32>, tensor<4xf32>) -> tensor<1x5x5x4xf32>
// CHECK-NEXT: %bn = nn.batch_norm %xh, %p, %p, %p, %p {axis = 3 : i64, epsilon = 1.000000e-03 : f32} : (tensor<1x5x5x4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<1x5x5x4xf32>

// GENERIC:      "nn.bias_add"(%x, %p) <{axis = 1 : i64}>
// GENERIC-NEXT: "nn.bias_add"(%xh, %p) <{axis = -1 : i64}>
// GENERIC-NEXT: "nn.batch_norm"(%xh, %p, %p, %p, %p) <{axis = 3 : i64, epsilon = 1.000000e-03 : f32}>
