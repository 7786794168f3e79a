// A flatten of a real NHWC map feeds a dense layer: the dense weight's columns are
// permuted (a constant fold once weights are constants) instead of moving activations.
// RUN: xdsl-opt %s -p 'convert-layout{conv2d=NHWC,default}' | filecheck %s
func.func @main(%x: tensor<1x2x3x3xf32>, %w: tensor<2x2x1x1xf32>, %d: tensor<5x18xf32>) -> tensor<1x5xf32> {
  %y = nn.conv2d %x, %w : (tensor<1x2x3x3xf32>, tensor<2x2x1x1xf32>) -> tensor<1x2x3x3xf32>
  %f = nn.batch_flatten %y : (tensor<1x2x3x3xf32>) -> tensor<1x18xf32>
  %o = nn.dense %f, %d : (tensor<1x18xf32>, tensor<5x18xf32>) -> tensor<1x5xf32>
  func.return %o : tensor<1x5xf32>
}
// CHECK:      nn.batch_flatten %{{.*}} : (tensor<1x3x3x2xf32>) -> tensor<1x18xf32>
// CHECK-NEXT: %[[R:.*]] = nn.reshape %d {newshape = array<i64: 5, 2, 3, 3>}
// CHECK-NEXT: %[[T:.*]] = nn.layout_transform %[[R]] "ZCHW" to "ZHWC"
// CHECK-NEXT: %[[W:.*]] = nn.reshape %[[T]] {newshape = array<i64: 5, 18>}
// CHECK-NEXT: nn.dense %{{.*}}, %[[W]]
