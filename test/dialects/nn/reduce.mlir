// nn.mean (with and without keepdims), nn.softmax and nn.log_softmax round-trip.
// RUN: xdsl-opt %s | xdsl-opt | filecheck %s
// RUN: %roundtrip --check-prefix=GENERIC

func.func @reduce(%x: tensor<2x4x3x3xf32>) {
  %keep = nn.mean %x {axes = array<i64: 2, 3>, keepdims = true} : (tensor<2x4x3x3xf32>) -> tensor<2x4x1x1xf32>
  %drop = nn.mean %x {axes = array<i64: -1, 1>} : (tensor<2x4x3x3xf32>) -> tensor<2x3xf32>
  %soft = nn.softmax %x {axis = 1 : i64} : (tensor<2x4x3x3xf32>) -> tensor<2x4x3x3xf32>
  %logsoft = nn.log_softmax %x {axis = -1 : i64} : (tensor<2x4x3x3xf32>) -> tensor<2x4x3x3xf32>
  func.return
}

// CHECK:      %keep = nn.mean %x {axes = array<i64: 2, 3>, keepdims = true} : (tensor<2x4x3x3xf32>) -> tensor<2x4x1x1xf32>
// CHECK-NEXT: %drop = nn.mean %x {axes = array<i64: -1, 1>} : (tensor<2x4x3x3xf32>) -> tensor<2x3xf32>
// CHECK-NEXT: %soft = nn.softmax %x {axis = 1 : i64} : (tensor<2x4x3x3xf32>) -> tensor<2x4x3x3xf32>
// CHECK-NEXT: %logsoft = nn.log_softmax %x {axis = -1 : i64} : (tensor<2x4x3x3xf32>) -> tensor<2x4x3x3xf32>

// GENERIC:      "nn.mean"(%x) <{axes = array<i64: 2, 3>, keepdims = true}>
// GENERIC-NEXT: "nn.mean"(%x) <{axes = array<i64: -1, 1>, keepdims = false}>
// GENERIC-NEXT: "nn.softmax"(%x) <{axis = 1 : i64}>
// GENERIC-NEXT: "nn.log_softmax"(%x) <{axis = -1 : i64}>
