// conv2d + batch_norm becomes conv2d with scaled weights plus a bias_add.
// RUN: xdsl-opt %s -p fold-batch-norm | filecheck %s
func.func @main(%x: tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32> {
  %w = nn.constant dense<1.0> : tensor<2x2x1x1xf32>
  %g = nn.constant dense<2.0> : tensor<2xf32>
  %b = nn.constant dense<0.5> : tensor<2xf32>
  %m = nn.constant dense<1.0> : tensor<2xf32>
  %v = nn.constant dense<4.0> : tensor<2xf32>
  %c = nn.conv2d %x, %w : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>) -> tensor<1x2x4x4xf32>
  %n = nn.batch_norm %c, %g, %b, %m, %v {epsilon = 0.0 : f32} : (tensor<1x2x4x4xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  func.return %n : tensor<1x2x4x4xf32>
}
// scale = 2 / sqrt(4) = 1, shift = 0.5 - 1 * 1 = -0.5
// CHECK:      %[[W:.*]] = nn.constant dense<1.000000e+00> : tensor<2x2x1x1xf32>
// CHECK-NEXT: %[[C:.*]] = nn.conv2d %x, %[[W]]
// CHECK-NEXT: %[[B:.*]] = nn.constant dense<-5.000000e-01> : tensor<2xf32>
// CHECK-NEXT: nn.bias_add %[[C]], %[[B]] :
// CHECK-NOT:  nn.batch_norm
