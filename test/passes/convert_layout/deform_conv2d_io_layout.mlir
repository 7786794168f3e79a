// With io-layout, a deform_conv2d's weight passed as an argument keeps its OIHW shape
// (only data inputs change layout), and its data and offset arguments arrive in NHWC.
// RUN: xdsl-opt %s -p 'convert-layout{conv2d=NHWC,default io-layout=NHWC}' | filecheck %s
func.func @main(%x: tensor<1x4x6x6xf32>, %w: tensor<8x4x3x3xf32>, %o: tensor<1x18x4x4xf32>, %wc: tensor<4x4x1x1xf32>) -> tensor<1x8x4x4xf32> {
  %c = nn.conv2d %x, %wc : (tensor<1x4x6x6xf32>, tensor<4x4x1x1xf32>) -> tensor<1x4x6x6xf32>
  %y = nn.deform_conv2d %c, %w, %o : (tensor<1x4x6x6xf32>, tensor<8x4x3x3xf32>, tensor<1x18x4x4xf32>) -> tensor<1x8x4x4xf32>
  func.return %y : tensor<1x8x4x4xf32>
}
// CHECK:      func.func @main(%x: tensor<1x6x6x4xf32>, %w: tensor<8x4x3x3xf32>, %o: tensor<1x4x4x18xf32>, %wc: tensor<4x4x1x1xf32>) -> tensor<1x4x4x8xf32>
// CHECK-NOT:  nn.layout_transform %{{[xo]}}
// CHECK:      nn.deform_conv2d %c, %w, %o {data_layout = "NHWC"} : (tensor<1x6x6x4xf32>, tensor<8x4x3x3xf32>, tensor<1x4x4x18xf32>) -> tensor<1x4x4x8xf32>
