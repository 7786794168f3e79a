// A conv2d takes bias_add, the residual add and relu as its epilogue; the weight and
// bias constants stay outside as kernel arguments.
// RUN: xdsl-opt %s -p fuse-ops | filecheck %s
// RUN: xdsl-opt %s -p fuse-ops | xdsl-opt | filecheck %s

func.func @main(%x: tensor<1x4x6x6xf32>, %r: tensor<1x8x6x6xf32>) -> tensor<1x8x6x6xf32> {
  %w = nn.constant dense<0.5> : tensor<8x4x3x3xf32>
  %b = nn.constant dense<0.25> : tensor<8xf32>
  %c = nn.conv2d %x, %w {padding = array<i64: 1, 1, 1, 1>} : (tensor<1x4x6x6xf32>, tensor<8x4x3x3xf32>) -> tensor<1x8x6x6xf32>
  %d = nn.bias_add %c, %b : (tensor<1x8x6x6xf32>, tensor<8xf32>) -> tensor<1x8x6x6xf32>
  %e = nn.add %d, %r : (tensor<1x8x6x6xf32>, tensor<1x8x6x6xf32>) -> tensor<1x8x6x6xf32>
  %f = nn.relu %e : tensor<1x8x6x6xf32>
  func.return %f : tensor<1x8x6x6xf32>
}

// CHECK:      %w = nn.constant
// CHECK-NEXT: %b = nn.constant
// CHECK-NEXT: %{{.*}} = nn.fused "fused_nn_conv2d_nn_bias_add_add_nn_relu"(%x, %w, %b, %r) {
// CHECK-NEXT: ^{{.*}}(%[[X:.*]]: tensor<1x4x6x6xf32>, %[[W:.*]]: tensor<8x4x3x3xf32>, %[[B:.*]]: tensor<8xf32>, %[[R:.*]]: tensor<1x8x6x6xf32>):
// CHECK-NEXT:   %[[C:.*]] = nn.conv2d %[[X]], %[[W]]
// CHECK-NEXT:   %[[D:.*]] = nn.bias_add %[[C]], %[[B]]
// CHECK-NEXT:   %[[E:.*]] = nn.add %[[D]], %[[R]]
// CHECK-NEXT:   %[[F:.*]] = nn.relu %[[E]]
// CHECK-NEXT:   nn.yield %[[F]] : tensor<1x8x6x6xf32>
// CHECK-NEXT: } : (tensor<1x4x6x6xf32>, tensor<8x4x3x3xf32>, tensor<8xf32>, tensor<1x8x6x6xf32>) -> tensor<1x8x6x6xf32>
// CHECK-NEXT: func.return
