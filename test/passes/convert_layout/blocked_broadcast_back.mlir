// Back from NCHW16c: a broadcast operand made for a blocked add holds its unit C as a
// block of size 1 (NCHW1c), not 16, and converts from that (found by the meaning fuzzer:
// the pass used to crash reading it as NCHW16c).
// RUN: xdsl-opt %s -p 'convert-layout{conv2d=NCHW,default}' | filecheck %s
func.func @main(%x: tensor<1x1x1x2x16xf32>) -> tensor<1x1x1x2x16xf32> {
  %w = nn.constant dense<0.5> : tensor<1x1x1x1x16x16xf32>
  %c = nn.conv2d %x, %w {data_layout = "NCHW16c", kernel_layout = "OIHW16i16o"} : (tensor<1x1x1x2x16xf32>, tensor<1x1x1x1x16x16xf32>) -> tensor<1x1x1x2x16xf32>
  %b = nn.constant dense<[[[[[1.0], [2.0]]]]]> : tensor<1x1x1x2x1xf32>
  %y = nn.add %c, %b : (tensor<1x1x1x2x16xf32>, tensor<1x1x1x2x1xf32>) -> tensor<1x1x1x2x16xf32>
  func.return %y : tensor<1x1x1x2x16xf32>
}
// CHECK:      %[[C:.*]] = nn.conv2d {{.*}} -> tensor<1x16x1x2xf32>
// CHECK:      %[[B:.*]] = nn.layout_transform %b "NCHW1c" to "NCHW" {reason = "operand of nn.add in NCHW"} : tensor<1x1x1x2x1xf32> -> tensor<1x1x1x2xf32>
// CHECK-NEXT: nn.add %[[C]], %[[B]] : (tensor<1x16x1x2xf32>, tensor<1x1x1x2xf32>) -> tensor<1x16x1x2xf32>
