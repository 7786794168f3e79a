// mean and pad remap their axes; resize follows through its layout.
// RUN: xdsl-opt %s -p 'convert-layout{conv2d=NHWC,default}' | filecheck %s
func.func @main(%x: tensor<1x2x4x4xf32>, %w: tensor<2x2x1x1xf32>) -> (tensor<1x2xf32>, tensor<1x2x10x10xf32>) {
  %y = nn.conv2d %x, %w : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>) -> tensor<1x2x4x4xf32>
  %m = nn.mean %y {axes = array<i64: 2, 3>} : (tensor<1x2x4x4xf32>) -> tensor<1x2xf32>
  %r = nn.resize2d %y {size = array<i64: 8, 8>} : (tensor<1x2x4x4xf32>) -> tensor<1x2x8x8xf32>
  %p = nn.pad %r {pad_width = array<i64: 0, 0, 0, 0, 1, 1, 2, 0>} : (tensor<1x2x8x8xf32>) -> tensor<1x2x10x10xf32>
  func.return %m, %p : tensor<1x2xf32>, tensor<1x2x10x10xf32>
}
// CHECK:      nn.mean %{{.*}} {axes = array<i64: 1, 2>} : (tensor<1x4x4x2xf32>) -> tensor<1x2xf32>
// CHECK-NEXT: nn.resize2d {{.*}}layout = "NHWC"{{.*}} -> tensor<1x8x8x2xf32>
// CHECK-NEXT: nn.pad {{.*}} {pad_width = array<i64: 0, 0, 1, 1, 2, 0, 0, 0>} : (tensor<1x8x8x2xf32>) -> tensor<1x10x10x2xf32>
// CHECK-NEXT: nn.layout_transform {{.*}} "NHWC" to "NCHW"
// CHECK-NEXT: func.return
