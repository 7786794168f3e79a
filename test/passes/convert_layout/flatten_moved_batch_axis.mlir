// The transpose names the NHWC channels (axis 3) as the batch axis: the data is in the
// same order, but a flatten of the converted value would keep the wrong axis 0, so it
// becomes a reshape to the original shape (found by the meaning fuzzer: the dense layer
// after it failed to verify).
// RUN: xdsl-opt %s -p 'convert-layout{conv2d=NHWC,default}' | filecheck %s
func.func @main(%x: tensor<1x4x1x1xf32>, %w: tensor<4x4x1x1xf32>) -> tensor<4x1xf32> {
  %c = nn.conv2d %x, %w : (tensor<1x4x1x1xf32>, tensor<4x4x1x1xf32>) -> tensor<1x4x1x1xf32>
  %t = nn.transpose %c {axes = array<i64: 1, 0, 2, 3>} : (tensor<1x4x1x1xf32>) -> tensor<4x1x1x1xf32>
  %f = nn.batch_flatten %t : (tensor<4x1x1x1xf32>) -> tensor<4x1xf32>
  func.return %f : tensor<4x1xf32>
}
// CHECK:      %[[C:.*]] = nn.conv2d {{.*}} -> tensor<1x1x1x4xf32>
// CHECK-NEXT: %[[F:.*]] = nn.reshape %[[C]] {newshape = array<i64: 4, 1>} : (tensor<1x1x1x4xf32>) -> tensor<4x1xf32>
// CHECK-NEXT: func.return %[[F]]
