// slice and channel_shuffle (over plain and blocked channels) round-trip.
// RUN: xdsl-opt %s | xdsl-opt | filecheck %s
// RUN: %roundtrip --check-prefix=GENERIC

func.func @slicing(%x: tensor<1x6x3x3xf32>, %y: tensor<1x3x3x3x2xf32>) {
  %s = nn.slice %x {begin = array<i64: 0, 5, 0, 1>, end = array<i64: 1, -1, 3, 2>, strides = array<i64: 1, -2, 2, 1>} : (tensor<1x6x3x3xf32>) -> tensor<1x3x2x1xf32>
  %c = nn.channel_shuffle %x {axis = 1 : i64, groups = 3 : i64} : (tensor<1x6x3x3xf32>) -> tensor<1x6x3x3xf32>
  %b = nn.channel_shuffle %y {axis = 1 : i64, groups = 3 : i64, block_axis = 4 : i64} : (tensor<1x3x3x3x2xf32>) -> tensor<1x3x3x3x2xf32>
  func.return
}

// CHECK:      %s = nn.slice %x {begin = array<i64: 0, 5, 0, 1>, end = array<i64: 1, -1, 3, 2>, strides = array<i64: 1, -2, 2, 1>} : (tensor<1x6x3x3xf32>) -> tensor<1x3x2x1xf32>
// CHECK-NEXT: %c = nn.channel_shuffle %x {axis = 1 : i64, groups = 3 : i64} : (tensor<1x6x3x3xf32>) -> tensor<1x6x3x3xf32>
// CHECK-NEXT: %b = nn.channel_shuffle %y {axis = 1 : i64, groups = 3 : i64, block_axis = 4 : i64} : (tensor<1x3x3x3x2xf32>) -> tensor<1x3x3x3x2xf32>

// GENERIC:      "nn.slice"(%x) <{begin = array<i64: 0, 5, 0, 1>, end = array<i64: 1, -1, 3, 2>, strides = array<i64: 1, -2, 2, 1>}>
// GENERIC-NEXT: "nn.channel_shuffle"(%x) <{axis = 1 : i64, groups = 3 : i64, block_axis = -1 : i64}>
// GENERIC-NEXT: "nn.channel_shuffle"(%y) <{axis = 1 : i64, groups = 3 : i64, block_axis = 4 : i64}>
