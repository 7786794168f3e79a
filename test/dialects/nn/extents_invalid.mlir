// Extreme extents are refused by the shape rules, before the interpreter allocates or a
// kernel's 32-bit index math goes wrong: window properties of 2^31 or more, pool padding
// of a whole window, padded inputs over the element limit, and empty or dynamic tensors.
// RUN: xdsl-opt %s --split-input-file --verify-diagnostics | filecheck %s

func.func @pool_pad_of_a_window(%x: tensor<1x3x8x8xf32>) {
  %y = nn.max_pool2d %x {pool_size = array<i64: 3, 3>, padding = array<i64: 65536, 65536, 65536, 65536>} : (tensor<1x3x8x8xf32>) -> tensor<1x3x131078x131078xf32>
  func.return
}
// CHECK: nn.max_pool2d: padding [65536, 65536, 65536, 65536] must be below pool_size [3, 3] on each side

// -----
func.func @pool_window_2_40(%x: tensor<1x3x8x8xf32>) {
  %y = nn.max_pool2d %x {pool_size = array<i64: 1099511627776, 1099511627776>} : (tensor<1x3x8x8xf32>) -> tensor<1x3x1x1xf32>
  func.return
}
// CHECK: nn.max_pool2d: pool_size [1099511627776, 1099511627776] must be below 2^31: kernels index in 32-bit int

// -----
func.func @pool_stride_2_40(%x: tensor<1x3x8x8xf32>) {
  %y = nn.avg_pool2d %x {pool_size = array<i64: 3, 3>, strides = array<i64: 1099511627776, 1>} : (tensor<1x3x8x8xf32>) -> tensor<1x3x1x6xf32>
  func.return
}
// CHECK: nn.avg_pool2d: strides [1099511627776, 1] must be below 2^31: kernels index in 32-bit int

// -----
func.func @pool_dilation_2_31(%x: tensor<1x3x8x8xf32>) {
  %y = nn.max_pool2d %x {pool_size = array<i64: 1, 1>, dilation = array<i64: 2147483648, 1>} : (tensor<1x3x8x8xf32>) -> tensor<1x3x8x8xf32>
  func.return
}
// CHECK: nn.max_pool2d: dilation [2147483648, 1] must be below 2^31: kernels index in 32-bit int

// -----
func.func @pool_strides_count(%x: tensor<1x3x8x8xf32>) {
  %y = nn.max_pool2d %x {pool_size = array<i64: 2, 2>, strides = array<i64: 2>} : (tensor<1x3x8x8xf32>) -> tensor<1x3x4x4xf32>
  func.return
}
// CHECK: nn.max_pool2d: strides and dilation must be >= 1, two values each

// -----
func.func @pool_padded_input(%x: tensor<1x1x8x8xf32>) {
  %y = nn.avg_pool2d %x {pool_size = array<i64: 32768, 32768>, strides = array<i64: 32768, 32768>, padding = array<i64: 32767, 32767, 32767, 32767>} : (tensor<1x1x8x8xf32>) -> tensor<1x1x2x2xf32>
  func.return
}
// CHECK: nn.avg_pool2d: padded input of shape [1, 1, 65542, 65542] has 4295753764 elements, more than the limit of 268435456

// -----
func.func @conv_padded_input(%x: tensor<1x1x8x8xf32>, %w: tensor<1x1x1x1xf32>) {
  %y = nn.conv2d %x, %w {strides = array<i64: 32768, 32768>, padding = array<i64: 16384, 16384, 16384, 16384>} : (tensor<1x1x8x8xf32>, tensor<1x1x1x1xf32>) -> tensor<1x1x2x2xf32>
  func.return
}
// CHECK: nn.conv2d: padded input of shape [1, 1, 32776, 32776] has 1074266176 elements, more than the limit of 268435456

// -----
func.func @conv_pad_2_40(%x: tensor<1x1x8x8xf32>, %w: tensor<1x1x1x1xf32>) {
  %y = nn.conv2d %x, %w {padding = array<i64: 0, 0, 1099511627776, 0>} : (tensor<1x1x8x8xf32>, tensor<1x1x1x1xf32>) -> tensor<1x1x8x8xf32>
  func.return
}
// CHECK: nn.conv2d: padding [0, 0, 1099511627776, 0] must be below 2^31: kernels index in 32-bit int

// -----
func.func @conv_strides_count(%x: tensor<1x1x8x8xf32>, %w: tensor<1x1x1x1xf32>) {
  %y = nn.conv2d %x, %w {strides = array<i64: 1, 1, 1>} : (tensor<1x1x8x8xf32>, tensor<1x1x1x1xf32>) -> tensor<1x1x8x8xf32>
  func.return
}
// CHECK: nn.conv2d: padding needs 4 values >= 0; strides and dilation must be >= 1, two values each

// -----
func.func @pad_result(%x: tensor<1x1x8x8xf32>) {
  %y = nn.pad %x {pad_width = array<i64: 0, 0, 0, 0, 65536, 0, 65536, 0>} : (tensor<1x1x8x8xf32>) -> tensor<1x1x65544x65544xf32>
  func.return
}
// CHECK: nn.pad: tensor of shape [1, 1, 65544, 65544] has 4296015936 elements, more than the limit of 268435456

// -----
func.func @resize_of_nothing(%x: tensor<1x3x0x0xf32>) {
  %y = nn.resize2d %x {size = array<i64: 4, 4>} : (tensor<1x3x0x0xf32>) -> tensor<1x3x4x4xf32>
  func.return
}
// CHECK: nn.resize2d: operand 0 of shape [1, 3, 0, 0] is empty or dynamic; nn tensors have static extents >= 1

// -----
func.func @empty_operand(%x: tensor<0x4xf32>) {
  %y = nn.relu %x : tensor<0x4xf32>
  func.return
}
// CHECK: nn.relu: operand 0 of shape [0, 4] is empty or dynamic; nn tensors have static extents >= 1

// -----
func.func @dynamic_operand(%a: tensor<?x4xf32>, %b: tensor<4xf32>) {
  %y = nn.add %a, %b : (tensor<?x4xf32>, tensor<4xf32>) -> tensor<?x4xf32>
  func.return
}
// CHECK: nn.add: operand 0 of shape [?, 4] is empty or dynamic; nn tensors have static extents >= 1

// -----
func.func @empty_result(%x: tensor<1x4xf32>) {
  %y = nn.reshape %x {newshape = array<i64: 0, 4>} : (tensor<1x4xf32>) -> tensor<0x4xf32>
  func.return
}
// CHECK: nn.reshape: newshape [0, 4] must have extents >= 1
