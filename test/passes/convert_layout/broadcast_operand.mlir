// A [C,1,1] operand is reshaped to full rank and transformed beside the NHWC value; a
// scalar operand is left alone.
// RUN: xdsl-opt %s -p 'convert-layout{conv2d=NHWC,default}' | filecheck %s
func.func @main(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x1x1xf32>, %b: tensor<4x1x1xf32>, %s: tensor<f32>) -> tensor<1x4x8x8xf32> {
  %y = nn.conv2d %x, %w : (tensor<1x3x8x8xf32>, tensor<4x3x1x1xf32>) -> tensor<1x4x8x8xf32>
  %a = nn.add %y, %b : (tensor<1x4x8x8xf32>, tensor<4x1x1xf32>) -> tensor<1x4x8x8xf32>
  %m = nn.multiply %a, %s : (tensor<1x4x8x8xf32>, tensor<f32>) -> tensor<1x4x8x8xf32>
  func.return %m : tensor<1x4x8x8xf32>
}
// CHECK:      %[[B4:.*]] = nn.reshape %b {newshape = array<i64: 1, 4, 1, 1>}
// CHECK-NEXT: %[[BT:.*]] = nn.layout_transform %[[B4]] "NCHW" to "NHWC"
// CHECK-NEXT: %[[A:.*]] = nn.add %{{.*}}, %[[BT]] : (tensor<1x8x8x4xf32>, tensor<1x1x1x4xf32>) -> tensor<1x8x8x4xf32>
// CHECK-NEXT: nn.multiply %[[A]], %s : (tensor<1x8x8x4xf32>, tensor<f32>)
