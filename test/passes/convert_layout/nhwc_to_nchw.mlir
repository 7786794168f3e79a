// Converting the other way: an NHWC network runs in NCHW.
// RUN: xdsl-opt %s -p 'convert-layout{conv2d=NCHW,default}' | filecheck %s
func.func @main(%x: tensor<1x8x8x3xf32>, %w: tensor<3x3x3x4xf32>) -> tensor<1x6x6x4xf32> {
  %y = nn.conv2d %x, %w {data_layout = "NHWC", kernel_layout = "HWIO"} : (tensor<1x8x8x3xf32>, tensor<3x3x3x4xf32>) -> tensor<1x6x6x4xf32>
  func.return %y : tensor<1x6x6x4xf32>
}
// CHECK: nn.layout_transform %x "NHWC" to "NCHW"
// CHECK: nn.layout_transform %w "HWIO" to "OIHW"
// CHECK: nn.conv2d {{.*}} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32>
// CHECK: nn.layout_transform {{.*}} "NCHW" to "NHWC"
