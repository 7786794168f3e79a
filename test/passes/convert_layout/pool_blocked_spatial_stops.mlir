// A pool does not follow a layout that splits its H or W into blocks: it changes their
// extents, which need not fill whole blocks (found by the meaning fuzzer: the transpose
// names the NCHW16c channel blocks H, and the pass used to crash on H = 1).
// RUN: xdsl-opt %s -p 'convert-layout{conv2d=NCHW16c,default}' | filecheck %s
func.func @main(%x: tensor<1x16x2x2xf32>) -> tensor<1x2x1x1xf32> {
  %w = nn.constant dense<0.5> : tensor<16x16x1x1xf32>
  %c = nn.conv2d %x, %w : (tensor<1x16x2x2xf32>, tensor<16x16x1x1xf32>) -> tensor<1x16x2x2xf32>
  %t = nn.transpose %c {axes = array<i64: 0, 2, 1, 3>} : (tensor<1x16x2x2xf32>) -> tensor<1x2x16x2xf32>
  %p = nn.global_avg_pool2d %t : (tensor<1x2x16x2xf32>) -> tensor<1x2x1x1xf32>
  func.return %p : tensor<1x2x1x1xf32>
}
// CHECK:      %[[C:.*]] = nn.conv2d {{.*}}data_layout = "NCHW16c"
// CHECK-NEXT: %[[B:.*]] = nn.layout_transform %[[C]] "NCHW16c" to "NHCW" {reason = "nn.global_avg_pool2d keeps its original layout"}
// CHECK-NEXT: nn.global_avg_pool2d %[[B]] : (tensor<1x2x16x2xf32>) -> tensor<1x2x1x1xf32>
