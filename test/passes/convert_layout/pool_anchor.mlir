// A pool kind named in the options is anchored even with no conv in the program.
// RUN: xdsl-opt %s -p 'convert-layout{max_pool2d=NHWC}' | filecheck %s
func.func @main(%x: tensor<1x4x8x8xf32>) -> tensor<1x4x4x4xf32> {
  %p = nn.max_pool2d %x {pool_size = array<i64: 2, 2>, strides = array<i64: 2, 2>} : (tensor<1x4x8x8xf32>) -> tensor<1x4x4x4xf32>
  func.return %p : tensor<1x4x4x4xf32>
}
// CHECK:      nn.layout_transform %x "NCHW" to "NHWC" {reason = "nn.max_pool2d runs in NHWC"}
// CHECK-NEXT: nn.max_pool2d {{.*}}layout = "NHWC"
// CHECK-NEXT: nn.layout_transform {{.*}} "NHWC" to "NCHW"
