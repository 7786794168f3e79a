// After fuse-ops, each transform is named by the kernel that now holds it: one kernel
// reads the NCHW input in the conv's operand load and stores the result in NCHW.
// RUN: xdsl-opt %s -p 'optimize-layout{conv2d=NHWC,default},fuse-ops,explain-layout' | filecheck %s
func.func @main(%x: tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32> {
  %w = nn.constant dense<1.0> : tensor<2x2x1x1xf32>
  %y = nn.conv2d %x, %w : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>) -> tensor<1x2x4x4xf32>
  %s = nn.relu %y : tensor<1x2x4x4xf32>
  func.return %s : tensor<1x2x4x4xf32>
}
// CHECK:      // explain-layout: 2 layout transform(s) move data
// CHECK-NEXT: // @main: %x NCHW -> NHWC {{.*}}: function boundary: argument #0 arrives in NCHW; moved in fused_layout_transform_nn_conv2d_nn_relu_layout_transform, by the conv's operand load
// CHECK-NEXT: // @main: %{{.*}} NHWC -> NCHW {{.*}}: function boundary: returned in NCHW; moved in fused_layout_transform_nn_conv2d_nn_relu_layout_transform, by its store
