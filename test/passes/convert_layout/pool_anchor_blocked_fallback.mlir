// A pool anchored to a blocked layout its channels do not fill keeps following its
// producer, as a conv does (found by the meaning fuzzer: the pass used to crash).
// RUN: xdsl-opt %s -p 'convert-layout{max_pool2d=NCHW4c}' | filecheck %s
func.func @main(%x: tensor<1x3x4x4xf32>) -> tensor<1x3x4x4xf32> {
  %p = nn.max_pool2d %x {pool_size = array<i64: 1, 1>} : (tensor<1x3x4x4xf32>) -> tensor<1x3x4x4xf32>
  func.return %p : tensor<1x3x4x4xf32>
}
// CHECK-NOT:  nn.layout_transform
// CHECK:      nn.max_pool2d %x {pool_size = array<i64: 1, 1>} : (tensor<1x3x4x4xf32>) -> tensor<1x3x4x4xf32>
// CHECK-NOT:  nn.layout_transform
