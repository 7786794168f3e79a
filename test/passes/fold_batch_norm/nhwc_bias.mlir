// In NHWC, conv + bias_add + batch_norm folds into conv + bias_add along axis 3.
// RUN: xdsl-opt %s -p fold-batch-norm | filecheck %s
func.func @main(%x: tensor<1x4x4x2xf32>) -> tensor<1x4x4x2xf32> {
  %w = nn.constant dense<1.0> : tensor<1x1x2x2xf32>
  %p = nn.constant dense<1.0> : tensor<2xf32>
  %v = nn.constant dense<3.0> : tensor<2xf32>
  %c = nn.conv2d %x, %w {data_layout = "NHWC", kernel_layout = "HWIO"} : (tensor<1x4x4x2xf32>, tensor<1x1x2x2xf32>) -> tensor<1x4x4x2xf32>
  %a = nn.bias_add %c, %p {axis = 3 : i64} : (tensor<1x4x4x2xf32>, tensor<2xf32>) -> tensor<1x4x4x2xf32>
  %n = nn.batch_norm %a, %p, %p, %p, %v {axis = 3 : i64, epsilon = 1.0 : f32} : (tensor<1x4x4x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x4x4x2xf32>
  func.return %n : tensor<1x4x4x2xf32>
}
// scale = 1 / 2, bias = 1 * 0.5 + (1 - 1 * 0.5) = 1
// CHECK:      nn.constant dense<5.000000e-01> : tensor<1x1x2x2xf32>
// CHECK:      %[[B:.*]] = nn.constant dense<1.000000e+00> : tensor<2xf32>
// CHECK-NEXT: nn.bias_add %{{.*}}, %[[B]] {axis = 3 : i64}
// CHECK-NOT:  nn.batch_norm
