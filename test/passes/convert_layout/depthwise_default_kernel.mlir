// `default` picks HWOI for a depthwise conv in NHWC, as TVM does.
// RUN: xdsl-opt %s -p 'convert-layout{conv2d=NHWC,default}' | filecheck %s
func.func @main(%x: tensor<1x8x6x6xf32>, %w: tensor<8x1x3x3xf32>) -> tensor<1x8x4x4xf32> {
  %y = nn.conv2d %x, %w {groups = 8 : i64} : (tensor<1x8x6x6xf32>, tensor<8x1x3x3xf32>) -> tensor<1x8x4x4xf32>
  func.return %y : tensor<1x8x4x4xf32>
}
// CHECK: nn.layout_transform %w "OIHW" to "HWOI"
// CHECK: nn.conv2d {{.*}} {groups = 8 : i64, data_layout = "NHWC", kernel_layout = "HWOI"}
