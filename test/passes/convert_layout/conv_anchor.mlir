// The conv runs in NHWC/HWIO; its data and weight get transforms, and the result goes
// back to NCHW only at the function boundary.
// RUN: xdsl-opt %s -p 'convert-layout{conv2d=NHWC,default}' | filecheck %s
func.func @main(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32> {
  %y = nn.conv2d %x, %w : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32>
  func.return %y : tensor<1x4x6x6xf32>
}
// CHECK:      %[[X:.*]] = nn.layout_transform %x "NCHW" to "NHWC" {reason = "nn.conv2d runs in NHWC"}
// CHECK-NEXT: %[[W:.*]] = nn.layout_transform %w "OIHW" to "HWIO" {reason = "weight of nn.conv2d in HWIO"}
// CHECK-NEXT: %[[Y:.*]] = nn.conv2d %[[X]], %[[W]] {data_layout = "NHWC", kernel_layout = "HWIO"} : (tensor<1x8x8x3xf32>, tensor<3x3x3x4xf32>) -> tensor<1x6x6x4xf32>
// CHECK-NEXT: %[[R:.*]] = nn.layout_transform %[[Y]] "NHWC" to "NCHW" {reason = "function boundary: result #0 is returned in its original layout"}
// CHECK-NEXT: func.return %[[R]]
