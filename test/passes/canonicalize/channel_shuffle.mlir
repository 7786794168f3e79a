// canonicalize turns reshape-transpose-reshape into nn.channel_shuffle only when the
// transpose swaps the two halves of one split axis and the last reshape undoes the split.
// RUN: xdsl-opt %s -p canonicalize | filecheck %s
func.func @main(%x: tensor<2x6x3xf32>) -> (tensor<2x6x3xf32>, tensor<2x6x3xf32>) {
  %g = nn.reshape %x {newshape = array<i64: 2, 3, 2, 3>} : (tensor<2x6x3xf32>) -> tensor<2x3x2x3xf32>
  %t = nn.transpose %g {axes = array<i64: 0, 2, 1, 3>} : (tensor<2x3x2x3xf32>) -> tensor<2x2x3x3xf32>
  %s = nn.reshape %t {newshape = array<i64: 2, 6, 3>} : (tensor<2x2x3x3xf32>) -> tensor<2x6x3xf32>
  %u = nn.transpose %g {axes = array<i64: 0, 1, 3, 2>} : (tensor<2x3x2x3xf32>) -> tensor<2x3x3x2xf32>
  %v = nn.reshape %u {newshape = array<i64: 2, 6, 3>} : (tensor<2x3x3x2xf32>) -> tensor<2x6x3xf32>
  func.return %s, %v : tensor<2x6x3xf32>, tensor<2x6x3xf32>
}
// CHECK:      %g = nn.reshape %x
// CHECK-NEXT: %s = nn.channel_shuffle %x {axis = 1 : i64, groups = 3 : i64}
// CHECK-NEXT: %u = nn.transpose %g
// CHECK-NEXT: %v = nn.reshape %u
