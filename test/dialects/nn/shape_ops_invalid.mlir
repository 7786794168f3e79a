// The rearranging ops reject inputs that their shape rules cannot place.
// RUN: xdsl-opt %s --split-input-file --verify-diagnostics | filecheck %s

func.func @concat_shapes(%x: tensor<1x4x3x3xf32>, %y: tensor<1x4x2x3xf32>) {
  %c = nn.concat %x, %y {axis = 1 : i64} : (tensor<1x4x3x3xf32>, tensor<1x4x2x3xf32>) -> tensor<1x8x3x3xf32>
  func.return
}
// CHECK: nn.concat: input shapes {{\[\[}}1, 4, 3, 3], [1, 4, 2, 3]] differ outside axis 1

// -----
func.func @reshape_count(%x: tensor<1x4x3x3xf32>) {
  %r = nn.reshape %x {newshape = array<i64: 4, 8>} : (tensor<1x4x3x3xf32>) -> tensor<4x8xf32>
  func.return
}
// CHECK: nn.reshape: cannot reshape [1, 4, 3, 3] (36 elements) to [4, 8]

// -----
func.func @reshape_negative(%x: tensor<1x4x3x3xf32>) {
  %r = nn.reshape %x {newshape = array<i64: -1, 9>} : (tensor<1x4x3x3xf32>) -> tensor<4x9xf32>
  func.return
}
// CHECK: nn.reshape: newshape [-1, 9] must have extents >= 1

// -----
func.func @transpose_axes(%x: tensor<1x4x3x3xf32>) {
  %t = nn.transpose %x {axes = array<i64: 0, 1, 1, 2>} : (tensor<1x4x3x3xf32>) -> tensor<1x4x4x3xf32>
  func.return
}
// CHECK: nn.transpose: axes [0, 1, 1, 2] are not a permutation of rank 4

// -----
func.func @pad_count(%x: tensor<1x4x3x3xf32>) {
  %p = nn.pad %x {pad_width = array<i64: 1, 1>} : (tensor<1x4x3x3xf32>) -> tensor<1x4x3x3xf32>
  func.return
}
// CHECK: nn.pad: pad_width needs 8 values (before, after per axis)

// -----
func.func @f(%x: tensor<f32>) {
  %y = nn.batch_flatten %x : (tensor<f32>) -> tensor<1x1xf32>
  func.return
}
// CHECK: nn.batch_flatten: cannot flatten a scalar

// -----
func.func @f(%x: tensor<1x4x3x3xf32>) {
  %y = nn.concat %x {axis = 4 : i64} : (tensor<1x4x3x3xf32>) -> tensor<1x4x3x3xf32>
  func.return
}
// CHECK: nn.concat: axis 4 is out of range for rank 4

// -----
func.func @f(%x: tensor<1x4x3x3xf32>) {
  %y = nn.pad %x {pad_width = array<i64: 0, 0, 0, 0, 1, -1, 0, 0>} : (tensor<1x4x3x3xf32>) -> tensor<1x4x3x3xf32>
  func.return
}
// CHECK: nn.pad: pad_width values must be >= 0

// -----
func.func @f(%x: tensor<1x4x3x3xf32>) {
  %y = nn.pad %x {pad_width = array<i64: 0, 0, 0, 0, 1, 1, 0, 0>, mode = "symmetric"} : (tensor<1x4x3x3xf32>) -> tensor<1x4x5x3xf32>
  func.return
}
// CHECK: nn.pad: mode 'symmetric' is not one of constant, reflect, edge, wrap

// -----
func.func @f(%x: tensor<1x4x3x3xf32>) {
  %y = nn.pad %x {pad_width = array<i64: 0, 0, 0, 0, 1, 1, 3, 0>, mode = "reflect"} : (tensor<1x4x3x3xf32>) -> tensor<1x4x5x6xf32>
  func.return
}
// CHECK: nn.pad: reflect pads 3, 0 of axis 3 exceed its extent 3 less one
