// Kernel names follow TVM; a second variant of the same name (other shapes) gets `_1`,
// an identical group reuses the name; elementwise chains fuse, pools stand alone, and a
// transform that permutes ends the group whose result it reads.
// RUN: xdsl-opt %s -p fuse-ops | filecheck %s

func.func @main(%x: tensor<1x4x8x8xf32>) -> tensor<1x4x4x4xf32> {
  %a = nn.relu %x : tensor<1x4x8x8xf32>
  %b = nn.sigmoid %a : tensor<1x4x8x8xf32>
  %p = nn.max_pool2d %b {pool_size = array<i64: 2, 2>, strides = array<i64: 2, 2>} : (tensor<1x4x8x8xf32>) -> tensor<1x4x4x4xf32>
  %c = nn.relu %p : tensor<1x4x4x4xf32>
  %d = nn.sigmoid %c : tensor<1x4x4x4xf32>
  %t = nn.layout_transform %d "NCHW" to "NHWC" : tensor<1x4x4x4xf32> -> tensor<1x4x4x4xf32>
  %e = nn.relu %t : tensor<1x4x4x4xf32>
  %f = nn.sigmoid %e : tensor<1x4x4x4xf32>
  func.return %f : tensor<1x4x4x4xf32>
}

// CHECK:      nn.fused "fused_nn_relu_sigmoid"(%x)
// CHECK:      nn.fused "fused_nn_max_pool2d"
// CHECK:      nn.fused "fused_nn_relu_sigmoid_layout_transform"
// CHECK:      nn.fused "fused_nn_relu_sigmoid_1"
// CHECK-NOT:  nn.fused
