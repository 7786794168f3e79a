// NHWC [N,1,1,C] holds its data in NCHW [N,C,1,1] order: the flatten takes it as it is.
// RUN: xdsl-opt %s -p 'convert-layout{conv2d=NHWC,default}' | filecheck %s
func.func @main(%x: tensor<1x4x8x8xf32>, %w: tensor<4x4x1x1xf32>, %d: tensor<3x4xf32>) -> tensor<1x3xf32> {
  %y = nn.conv2d %x, %w : (tensor<1x4x8x8xf32>, tensor<4x4x1x1xf32>) -> tensor<1x4x8x8xf32>
  %g = nn.global_avg_pool2d %y : (tensor<1x4x8x8xf32>) -> tensor<1x4x1x1xf32>
  %f = nn.batch_flatten %g : (tensor<1x4x1x1xf32>) -> tensor<1x4xf32>
  %o = nn.dense %f, %d : (tensor<1x4xf32>, tensor<3x4xf32>) -> tensor<1x3xf32>
  func.return %o : tensor<1x3xf32>
}
// CHECK:     nn.global_avg_pool2d {{.*}} -> tensor<1x1x1x4xf32>
// CHECK-NEXT: nn.batch_flatten %{{.*}} : (tensor<1x1x1x4xf32>) -> tensor<1x4xf32>
// CHECK-NOT: "NHWC" to "NCHW"
