// bias_add, batch_norm, softmax and concat follow with their axis remapped (C: 1 -> 3).
// RUN: xdsl-opt %s -p 'convert-layout{conv2d=NHWC,default}' | filecheck %s
func.func @main(%x: tensor<1x3x4x4xf32>, %w: tensor<2x3x1x1xf32>, %p: tensor<2xf32>) -> tensor<1x4x4x4xf32> {
  %y = nn.conv2d %x, %w : (tensor<1x3x4x4xf32>, tensor<2x3x1x1xf32>) -> tensor<1x2x4x4xf32>
  %b = nn.bias_add %y, %p {axis = 1 : i64} : (tensor<1x2x4x4xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  %n = nn.batch_norm %b, %p, %p, %p, %p {axis = 1 : i64} : (tensor<1x2x4x4xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  %s = nn.softmax %n {axis = 1 : i64} : (tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  %c = nn.concat %s, %b {axis = 1 : i64} : (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) -> tensor<1x4x4x4xf32>
  func.return %c : tensor<1x4x4x4xf32>
}
// CHECK: nn.bias_add {{.*}} {axis = 3 : i64}
// CHECK: nn.batch_norm {{.*}} {axis = 3 : i64}
// CHECK: nn.softmax {{.*}} {axis = 3 : i64}
// CHECK: nn.concat {{.*}} {axis = 3 : i64} : (tensor<1x4x4x2xf32>, tensor<1x4x4x2xf32>) -> tensor<1x4x4x4xf32>
// CHECK-COUNT-1: nn.layout_transform %{{.*}} "NHWC" to "NCHW"
