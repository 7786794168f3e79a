// A reshape that mixes axes the conversion moved cannot take NHWC: one transform back,
// which says why.
// RUN: xdsl-opt %s -p 'convert-layout{conv2d=NHWC,default}' | filecheck %s
func.func @main(%x: tensor<1x2x4x4xf32>, %w: tensor<2x2x1x1xf32>) -> tensor<1x2x16xf32> {
  %y = nn.conv2d %x, %w : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>) -> tensor<1x2x4x4xf32>
  %r = nn.reshape %y {newshape = array<i64: 1, 2, 16>} : (tensor<1x2x4x4xf32>) -> tensor<1x2x16xf32>
  func.return %r : tensor<1x2x16xf32>
}
// CHECK:      %[[B:.*]] = nn.layout_transform %{{.*}} "NHWC" to "NCHW" {reason = "nn.reshape keeps its original layout"}
// CHECK-NEXT: nn.reshape %[[B]]
