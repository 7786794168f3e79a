// nn.slice rejects bounds that select nothing or leave the extent, and bounds of the
// wrong length; nn.channel_shuffle rejects groups that do not divide the extent.
// RUN: xdsl-opt %s --split-input-file --verify-diagnostics | filecheck %s

func.func @empty(%x: tensor<2x6xf32>) {
  %s = nn.slice %x {begin = array<i64: 0, 3>, end = array<i64: 2, 3>, strides = array<i64: 1, 1>} : (tensor<2x6xf32>) -> tensor<2x1xf32>
  func.return
}
// CHECK: nn.slice: axis 1 of extent 6: begin 3, end 3, stride 1 do not select a non-empty range

// -----
func.func @past_the_end(%x: tensor<2x6xf32>) {
  %s = nn.slice %x {begin = array<i64: 0, 0>, end = array<i64: 2, 7>, strides = array<i64: 1, 1>} : (tensor<2x6xf32>) -> tensor<2x7xf32>
  func.return
}
// CHECK: nn.slice: axis 1 of extent 6: begin 0, end 7, stride 1

// -----
func.func @rank(%x: tensor<2x6xf32>) {
  %s = nn.slice %x {begin = array<i64: 0>, end = array<i64: 2>, strides = array<i64: 1>} : (tensor<2x6xf32>) -> tensor<2x6xf32>
  func.return
}
// CHECK: nn.slice: begin, end and strides need 2 values each (one per axis)

// -----
func.func @groups(%x: tensor<2x6xf32>) {
  %s = nn.channel_shuffle %x {axis = 1 : i64, groups = 4 : i64} : (tensor<2x6xf32>) -> tensor<2x6xf32>
  func.return
}
// CHECK: nn.channel_shuffle: groups 4 must be positive and divide the 6 channels
