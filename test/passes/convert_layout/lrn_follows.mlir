// LRN normalizes over C alone, so it follows its producer into NHWC and NCHW16c (as a
// pool does) and log_softmax follows with its axis remapped: in an NHWC network only the
// input and the result move (and the weight, which folds). A blocked C is no axis for
// log_softmax, which takes its operand back in NCHW.
// RUN: xdsl-opt %s -p 'convert-layout{conv2d=NHWC,default}' | filecheck %s
// RUN: xdsl-opt %s -p 'convert-layout{conv2d=NCHW16c,default}' | filecheck %s --check-prefix=BLOCKED
func.func @main(%x: tensor<1x16x8x8xf32>) -> tensor<1x16x4x4xf32> {
  %w = nn.constant dense<0.25> : tensor<16x16x3x3xf32>
  %c = nn.conv2d %x, %w {padding = array<i64: 1, 1, 1, 1>} : (tensor<1x16x8x8xf32>, tensor<16x16x3x3xf32>) -> tensor<1x16x8x8xf32>
  %r = nn.relu %c : tensor<1x16x8x8xf32>
  %n = nn.lrn %r {size = 5 : i64, alpha = 5.000000e-01 : f32} : (tensor<1x16x8x8xf32>) -> tensor<1x16x8x8xf32>
  %p = nn.max_pool2d %n {pool_size = array<i64: 2, 2>, strides = array<i64: 2, 2>} : (tensor<1x16x8x8xf32>) -> tensor<1x16x4x4xf32>
  %m = nn.lrn %p {size = 3 : i64, bias = 2.000000e+00 : f32} : (tensor<1x16x4x4xf32>) -> tensor<1x16x4x4xf32>
  %s = nn.log_softmax %m {axis = 1 : i64} : (tensor<1x16x4x4xf32>) -> tensor<1x16x4x4xf32>
  func.return %s : tensor<1x16x4x4xf32>
}
// CHECK:      nn.layout_transform %x "NCHW" to "NHWC"
// CHECK:      = nn.conv2d
// CHECK-NOT:  nn.layout_transform
// CHECK:      nn.lrn {{.*}}layout = "NHWC"{{.*}} : (tensor<1x8x8x16xf32>) -> tensor<1x8x8x16xf32>
// CHECK-NOT:  nn.layout_transform
// CHECK:      nn.max_pool2d {{.*}}layout = "NHWC"
// CHECK-NOT:  nn.layout_transform
// CHECK:      nn.lrn {{.*}}layout = "NHWC"{{.*}} : (tensor<1x4x4x16xf32>) -> tensor<1x4x4x16xf32>
// CHECK-NOT:  nn.layout_transform
// CHECK:      nn.log_softmax {{.*}}{axis = 3 : i64} : (tensor<1x4x4x16xf32>) -> tensor<1x4x4x16xf32>
// CHECK-NEXT: nn.layout_transform {{.*}} "NHWC" to "NCHW"
// CHECK-NOT:  nn.layout_transform

// BLOCKED:     = nn.conv2d {{.*}}data_layout = "NCHW16c"
// BLOCKED-NOT: nn.layout_transform
// BLOCKED:     nn.lrn {{.*}}layout = "NCHW16c"{{.*}} : (tensor<1x1x8x8x16xf32>) -> tensor<1x1x8x8x16xf32>
// BLOCKED-NOT: nn.layout_transform
// BLOCKED:     nn.lrn {{.*}}layout = "NCHW16c"{{.*}} : (tensor<1x1x4x4x16xf32>) -> tensor<1x1x4x4x16xf32>
// BLOCKED-NEXT: nn.layout_transform {{.*}} "NCHW16c" to "NCHW" {reason = "nn.log_softmax keeps its original layout"}
// BLOCKED-NEXT: nn.log_softmax {{.*}}{axis = 1 : i64} : (tensor<1x16x4x4xf32>)
