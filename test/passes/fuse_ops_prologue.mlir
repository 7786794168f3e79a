// A layout_transform read only by a conv2d's data is the conv's prologue: one kernel
// named for both, whose input is the transform's NCHW source; the transform stays in
// the body. A transform with a second reader keeps a kernel of its own.
// RUN: xdsl-opt %s -p fuse-ops | filecheck %s
// RUN: xdsl-opt %s -p fuse-ops | xdsl-opt | filecheck %s

func.func @main(%x: tensor<1x3x6x6xf32>) -> (tensor<1x6x6x8xf32>, tensor<1x6x6x3xf32>) {
  %w = nn.constant dense<0.5> : tensor<8x3x3x3xf32>
  %t = nn.layout_transform %x "NCHW" to "NHWC" : tensor<1x3x6x6xf32> -> tensor<1x6x6x3xf32>
  %c = nn.conv2d %t, %w {padding = array<i64: 1, 1, 1, 1>, data_layout = "NHWC", kernel_layout = "OHWI"} : (tensor<1x6x6x3xf32>, tensor<8x3x3x3xf32>) -> tensor<1x6x6x8xf32>
  %r = nn.relu %c : tensor<1x6x6x8xf32>
  %u = nn.layout_transform %x "NCHW" to "NHWC" : tensor<1x3x6x6xf32> -> tensor<1x6x6x3xf32>
  %d = nn.conv2d %u, %w {data_layout = "NHWC", kernel_layout = "OHWI", padding = array<i64: 1, 1, 1, 1>} : (tensor<1x6x6x3xf32>, tensor<8x3x3x3xf32>) -> tensor<1x6x6x8xf32>
  %e = nn.add %r, %d : (tensor<1x6x6x8xf32>, tensor<1x6x6x8xf32>) -> tensor<1x6x6x8xf32>
  func.return %e, %u : tensor<1x6x6x8xf32>, tensor<1x6x6x3xf32>
}

// CHECK:      %[[U:.*]] = nn.fused "fused_layout_transform"(%x) {
// CHECK:      %[[D:.*]] = nn.fused "fused_nn_conv2d"(%[[U]], %w) {
// CHECK:      %{{.*}} = nn.fused "fused_layout_transform_nn_conv2d_nn_relu_add"(%x, %w, %[[D]]) {
// CHECK-NEXT: ^{{.*}}(%[[X:.*]]: tensor<1x3x6x6xf32>, %[[W:.*]]: tensor<8x3x3x3xf32>, %[[R:.*]]: tensor<1x6x6x8xf32>):
// CHECK-NEXT:   %[[T:.*]] = nn.layout_transform %[[X]] "NCHW" to "NHWC"
// CHECK-NEXT:   %[[C:.*]] = nn.conv2d %[[T]], %[[W]]
// CHECK-NEXT:   %[[A:.*]] = nn.relu %[[C]]
// CHECK-NEXT:   %[[E:.*]] = nn.add %[[A]], %[[R]]
// CHECK-NEXT:   nn.yield %[[E]] : tensor<1x6x6x8xf32>
// CHECK-NEXT: } : (tensor<1x3x6x6xf32>, tensor<8x3x3x3xf32>, tensor<1x6x6x8xf32>) -> tensor<1x6x6x8xf32>
