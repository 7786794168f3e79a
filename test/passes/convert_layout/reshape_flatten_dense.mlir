// A reshape to [N, C*H*W] before a dense layer (torch's dynamo exporter writes Flatten
// so) is a batch_flatten: it takes the NHWC map and the dense weight is permuted.
// RUN: xdsl-opt %s -p 'optimize-layout{conv2d=NHWC,default}' | filecheck %s
func.func @main(%x: tensor<1x2x3x3xf32>) -> tensor<1x5xf32> {
  %w = nn.constant dense<0.5> : tensor<2x2x1x1xf32>
  %d = nn.constant dense<0.25> : tensor<5x18xf32>
  %y = nn.conv2d %x, %w : (tensor<1x2x3x3xf32>, tensor<2x2x1x1xf32>) -> tensor<1x2x3x3xf32>
  %f = nn.reshape %y {newshape = array<i64: 1, 18>} : (tensor<1x2x3x3xf32>) -> tensor<1x18xf32>
  %o = nn.dense %f, %d : (tensor<1x18xf32>, tensor<5x18xf32>) -> tensor<1x5xf32>
  func.return %o : tensor<1x5xf32>
}
// CHECK-COUNT-1: nn.layout_transform
// CHECK-NOT:     nn.layout_transform
// CHECK:         nn.reshape %{{.*}} {newshape = array<i64: 1, 18>} : (tensor<1x3x3x2xf32>) -> tensor<1x18xf32>
// CHECK:         nn.dense %f
