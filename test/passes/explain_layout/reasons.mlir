// Every transform left says why: here the input and output function boundaries, and a
// reshape that cannot take NHWC.
// RUN: xdsl-opt %s -p 'optimize-layout{conv2d=NHWC,default},explain-layout' | filecheck %s
func.func @main(%x: tensor<1x2x4x4xf32>) -> (tensor<1x2x16xf32>, tensor<1x2x4x4xf32>) {
  %w = nn.constant dense<1.0> : tensor<2x2x1x1xf32>
  %y = nn.conv2d %x, %w : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>) -> tensor<1x2x4x4xf32>
  %r = nn.reshape %y {newshape = array<i64: 1, 2, 16>} : (tensor<1x2x4x4xf32>) -> tensor<1x2x16xf32>
  %s = nn.relu %y : tensor<1x2x4x4xf32>
  func.return %r, %s : tensor<1x2x16xf32>, tensor<1x2x4x4xf32>
}
// CHECK:      // explain-layout: 3 layout transform(s) move data
// CHECK-NEXT: // @main: %x NCHW -> NHWC [1, 2, 4, 4] (128 bytes): function boundary: argument #0 arrives in NCHW; moved in fused_layout_transform_nn_conv2d, by the conv's operand load
// CHECK-NEXT: // @main: %{{.*}} NHWC -> NCHW [1, 4, 4, 2] (128 bytes): nn.reshape keeps its original layout; moved by fused_layout_transform
// CHECK-NEXT: // @main: %{{.*}} NHWC -> NCHW [1, 4, 4, 2] (128 bytes): function boundary: returned in NCHW; moved in fused_nn_relu_layout_transform, by its store
