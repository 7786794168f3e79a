// A layout_transform that permutes axes and is the only reader of a group's result ends
// that group: the conv's kernel stores its NHWC result in NCHW. A blocked transform, or
// one with a second reader, keeps a kernel of its own.
// RUN: xdsl-opt %s -p fuse-ops | filecheck %s

func.func @main(%x: tensor<1x6x6x3xf32>) -> (tensor<1x8x6x6xf32>, tensor<1x2x6x6x4xf32>, tensor<1x8x6x6xf32>, tensor<1x6x6x8xf32>) {
  %w = nn.constant dense<0.5> : tensor<8x3x3x3xf32>
  %c = nn.conv2d %x, %w {padding = array<i64: 1, 1, 1, 1>, data_layout = "NHWC", kernel_layout = "OHWI"} : (tensor<1x6x6x3xf32>, tensor<8x3x3x3xf32>) -> tensor<1x6x6x8xf32>
  %r = nn.relu %c : tensor<1x6x6x8xf32>
  %t = nn.layout_transform %r "NHWC" to "NCHW" : tensor<1x6x6x8xf32> -> tensor<1x8x6x6xf32>
  %s = nn.sigmoid %c : tensor<1x6x6x8xf32>
  %b = nn.layout_transform %s "NHWC" to "NCHW4c" : tensor<1x6x6x8xf32> -> tensor<1x2x6x6x4xf32>
  %u = nn.tanh %c : tensor<1x6x6x8xf32>
  %v = nn.layout_transform %u "NHWC" to "NCHW" : tensor<1x6x6x8xf32> -> tensor<1x8x6x6xf32>
  func.return %t, %b, %v, %u : tensor<1x8x6x6xf32>, tensor<1x2x6x6x4xf32>, tensor<1x8x6x6xf32>, tensor<1x6x6x8xf32>
}

// CHECK:      %[[C:.*]] = nn.fused "fused_nn_conv2d"(%x, %w)
// CHECK:      %{{.*}} = nn.fused "fused_nn_relu_layout_transform"(%[[C]]) {
// CHECK-NEXT: ^{{.*}}(%[[A:.*]]: tensor<1x6x6x8xf32>):
// CHECK-NEXT:   %[[R:.*]] = nn.relu %[[A]]
// CHECK-NEXT:   %[[T:.*]] = nn.layout_transform %[[R]] "NHWC" to "NCHW"
// CHECK-NEXT:   nn.yield %[[T]] : tensor<1x8x6x6xf32>
// CHECK:      nn.fused "fused_sigmoid"
// CHECK:      nn.fused "fused_layout_transform"
// CHECK:      nn.fused "fused_tanh"
// CHECK:      nn.fused "fused_layout_transform_1"
