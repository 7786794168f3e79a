// NCHW16c: 24 channels do not divide by 16, so the convs that touch them take blocks of 8
// (the first and last change the block: their kernels read one and write the other),
// and the 24-channel chain, its residual add included, moves nothing. explain-layout
// says why each conv left NCHW16c.
// RUN: xdsl-opt %s -p 'optimize-layout{conv2d=NCHW16c,default io-layout=NCHW16c},explain-layout' | filecheck %s
func.func @main(%x: tensor<1x16x4x4xf32>) -> tensor<1x32x4x4xf32> {
  %w1 = nn.constant dense<0.5> : tensor<24x16x1x1xf32>
  %w2 = nn.constant dense<0.25> : tensor<24x24x1x1xf32>
  %w3 = nn.constant dense<0.125> : tensor<32x24x1x1xf32>
  %a = nn.conv2d %x, %w1 : (tensor<1x16x4x4xf32>, tensor<24x16x1x1xf32>) -> tensor<1x24x4x4xf32>
  %r = nn.relu %a : tensor<1x24x4x4xf32>
  %b = nn.conv2d %r, %w2 : (tensor<1x24x4x4xf32>, tensor<24x24x1x1xf32>) -> tensor<1x24x4x4xf32>
  %s = nn.add %r, %b : (tensor<1x24x4x4xf32>, tensor<1x24x4x4xf32>) -> tensor<1x24x4x4xf32>
  %y = nn.conv2d %s, %w3 : (tensor<1x24x4x4xf32>, tensor<32x24x1x1xf32>) -> tensor<1x32x4x4xf32>
  func.return %y : tensor<1x32x4x4xf32>
}
// CHECK:      // explain-layout: 0 layout transform(s) move data
// CHECK-NEXT: // @main: %a nn.conv2d: 24 output channels do not divide by 16: written in NCHW8c
// CHECK-NEXT: // @main: %b nn.conv2d: 24 input channels do not divide by 16: read in NCHW8c; 24 output channels do not divide by 16: written in NCHW8c
// CHECK-NEXT: // @main: %y nn.conv2d: 24 input channels do not divide by 16: read in NCHW8c
// CHECK-NOT:  nn.layout_transform
// CHECK:      %a = nn.conv2d {{.*}} data_layout = "NCHW16c", kernel_layout = "OIHW16i8o", out_layout = "NCHW8c"}
// CHECK:      %b = nn.conv2d {{.*}} data_layout = "NCHW8c", kernel_layout = "OIHW8i8o"} : (tensor<1x3x4x4x8xf32>, tensor<3x3x1x1x8x8xf32>) -> tensor<1x3x4x4x8xf32>
// CHECK-NEXT: nn.add %r, %b : (tensor<1x3x4x4x8xf32>, tensor<1x3x4x4x8xf32>) -> tensor<1x3x4x4x8xf32>
// CHECK:      %y = nn.conv2d {{.*}} data_layout = "NCHW8c", kernel_layout = "OIHW8i16o", out_layout = "NCHW16c"} : {{.*}} -> tensor<1x2x4x4x16xf32>
// CHECK-NOT:  nn.layout_transform
