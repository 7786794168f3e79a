// concat, reshape, batch_flatten, transpose and pad round-trip.
// RUN: xdsl-opt %s | xdsl-opt | filecheck %s
// RUN: %roundtrip --check-prefix=GENERIC

func.func @shapes(%x: tensor<1x4x3x3xf32>, %y: tensor<1x2x3x3xf32>) {
  %cat = nn.concat %x, %y, %x {axis = 1 : i64} : (tensor<1x4x3x3xf32>, tensor<1x2x3x3xf32>, tensor<1x4x3x3xf32>) -> tensor<1x10x3x3xf32>
  %reshape = nn.reshape %x {newshape = array<i64: 4, 9>} : (tensor<1x4x3x3xf32>) -> tensor<4x9xf32>
  %flat = nn.batch_flatten %x : (tensor<1x4x3x3xf32>) -> tensor<1x36xf32>
  %perm = nn.transpose %x {axes = array<i64: 0, 2, 3, 1>} : (tensor<1x4x3x3xf32>) -> tensor<1x3x3x4xf32>
  %pad = nn.pad %x {pad_width = array<i64: 0, 0, 0, 0, 1, 2, 0, 3>, pad_value = -1.0 : f32} : (tensor<1x4x3x3xf32>) -> tensor<1x4x6x6xf32>
  %mirror = nn.pad %x {pad_width = array<i64: 0, 0, 0, 0, 2, 2, 0, 1>, mode = "reflect"} : (tensor<1x4x3x3xf32>) -> tensor<1x4x7x4xf32>
  func.return
}

// CHECK:      %cat = nn.concat %x, %y, %x {axis = 1 : i64} : (tensor<1x4x3x3xf32>, tensor<1x2x3x3xf32>, tensor<1x4x3x3xf32>) -> tensor<1x10x3x3xf32>
// CHECK-NEXT: %reshape = nn.reshape %x {newshape = array<i64: 4, 9>} : (tensor<1x4x3x3xf32>) -> tensor<4x9xf32>
// CHECK-NEXT: %flat = nn.batch_flatten %x : (tensor<1x4x3x3xf32>) -> tensor<1x36xf32>
// CHECK-NEXT: %perm = nn.transpose %x {axes = array<i64: 0, 2, 3, 1>} : (tensor<1x4x3x3xf32>) -> tensor<1x3x3x4xf32>
// CHECK-NEXT: %pad = nn.pad %x {pad_width = array<i64: 0, 0, 0, 0, 1, 2, 0, 3>, pad_value = -1.000000e+00 : f32} : (tensor<1x4x3x3xf32>) -> tensor<1x4x6x6xf32>
// CHECK-NEXT: %mirror = nn.pad %x {pad_width = array<i64: 0, 0, 0, 0, 2, 2, 0, 1>, mode = "reflect"} : (tensor<1x4x3x3xf32>) -> tensor<1x4x7x4xf32>

// GENERIC:      "nn.concat"(%x, %y, %x) <{axis = 1 : i64}>
// GENERIC-NEXT: "nn.reshape"(%x) <{newshape = array<i64: 4, 9>}>
// GENERIC-NEXT: "nn.batch_flatten"(%x) : (tensor<1x4x3x3xf32>) -> tensor<1x36xf32>
// GENERIC-NEXT: "nn.transpose"(%x) <{axes = array<i64: 0, 2, 3, 1>}>
// GENERIC-NEXT: "nn.pad"(%x) <{pad_width = array<i64: 0, 0, 0, 0, 1, 2, 0, 3>, pad_value = -1.000000e+00 : f32, mode = "constant"}>
// GENERIC-NEXT: "nn.pad"(%x) <{pad_width = array<i64: 0, 0, 0, 0, 2, 2, 0, 1>, mode = "reflect", pad_value = 0.000000e+00 : f32}>
