// In NCHW16c a slice of whole blocks of channels follows the blocks; one that cuts a
// block takes the channels back to NCHW, and says why.
// RUN: xdsl-opt %s -p 'convert-layout{conv2d=NCHW16c,default}' | filecheck %s
func.func @main(%x: tensor<1x16x2x2xf32>, %w: tensor<48x16x1x1xf32>) -> (tensor<1x16x2x2xf32>, tensor<1x8x2x2xf32>) {
  %y = nn.conv2d %x, %w : (tensor<1x16x2x2xf32>, tensor<48x16x1x1xf32>) -> tensor<1x48x2x2xf32>
  %a = nn.slice %y {begin = array<i64: 0, 16, 0, 0>, end = array<i64: 1, 32, 2, 2>, strides = array<i64: 1, 1, 1, 1>} : (tensor<1x48x2x2xf32>) -> tensor<1x16x2x2xf32>
  %b = nn.slice %y {begin = array<i64: 0, 4, 0, 0>, end = array<i64: 1, 12, 2, 2>, strides = array<i64: 1, 1, 1, 1>} : (tensor<1x48x2x2xf32>) -> tensor<1x8x2x2xf32>
  func.return %a, %b : tensor<1x16x2x2xf32>, tensor<1x8x2x2xf32>
}
// CHECK:      %a = nn.slice %y {begin = array<i64: 0, 1, 0, 0, 0>, end = array<i64: 1, 2, 2, 2, 16>, {{.*}} -> tensor<1x1x2x2x16xf32>
// CHECK-NEXT: %[[B:.*]] = nn.layout_transform %y "NCHW16c" to "NCHW" {reason = "nn.slice keeps its original layout"}
// CHECK-NEXT: %b = nn.slice %[[B]]
