// Pools are not named in the options, so they follow their producer's layout.
// RUN: xdsl-opt %s -p 'convert-layout{conv2d=NHWC,default}' | filecheck %s
func.func @main(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x1x1xf32>) -> tensor<1x4x1x1xf32> {
  %y = nn.conv2d %x, %w : (tensor<1x3x8x8xf32>, tensor<4x3x1x1xf32>) -> tensor<1x4x8x8xf32>
  %p = nn.max_pool2d %y {pool_size = array<i64: 2, 2>, strides = array<i64: 2, 2>} : (tensor<1x4x8x8xf32>) -> tensor<1x4x4x4xf32>
  %g = nn.global_avg_pool2d %p : (tensor<1x4x4x4xf32>) -> tensor<1x4x1x1xf32>
  func.return %g : tensor<1x4x1x1xf32>
}
// CHECK: nn.max_pool2d {{.*}}layout = "NHWC"{{.*}} -> tensor<1x4x4x4xf32>
// CHECK: nn.global_avg_pool2d {{.*}} {layout = "NHWC"} : (tensor<1x4x4x4xf32>) -> tensor<1x1x1x4xf32>
