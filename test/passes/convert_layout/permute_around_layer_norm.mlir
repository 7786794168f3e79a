// ConvNeXt permutes to channels-last around its LayerNorm and Linear layers itself. In
// NHWC both permutes are relabelings: the one to channels-last of a value stored NHWC,
// and the one back, whose NCHW consumers (the layer scale, the residual add) follow it.
// Only the input's transform is left; the [C,1,1] layer scale folds to [1,1,1,C].
// RUN: xdsl-opt %s -p 'optimize-layout{conv2d=NHWC,default}' | filecheck %s
// RUN: xdsl-opt %s -p 'optimize-layout{conv2d=NHWC,default io-layout=NHWC}' | filecheck %s --check-prefix=IO
func.func @main(%x: tensor<1x8x5x5xf32>, %w: tensor<8x1x3x3xf32>, %fc: tensor<8x8xf32>) -> tensor<1x8x5x5xf32> {
  %s = nn.constant dense<1.5> : tensor<1x1x1x8xf32>
  %g = nn.constant dense<0.5> : tensor<8x1x1xf32>
  %y = nn.conv2d %x, %w {groups = 8 : i64, padding = array<i64: 1, 1, 1, 1>} : (tensor<1x8x5x5xf32>, tensor<8x1x3x3xf32>) -> tensor<1x8x5x5xf32>
  %t = nn.transpose %y {axes = array<i64: 0, 2, 3, 1>} : (tensor<1x8x5x5xf32>) -> tensor<1x5x5x8xf32>
  %n = nn.layer_norm %t, %s, %s {axes = array<i64: -1>} : (tensor<1x5x5x8xf32>, tensor<1x1x1x8xf32>, tensor<1x1x1x8xf32>) -> tensor<1x5x5x8xf32>
  %d = nn.dense %n, %fc : (tensor<1x5x5x8xf32>, tensor<8x8xf32>) -> tensor<1x5x5x8xf32>
  %b = nn.transpose %d {axes = array<i64: 0, 3, 1, 2>} : (tensor<1x5x5x8xf32>) -> tensor<1x8x5x5xf32>
  %m = nn.multiply %g, %b : (tensor<8x1x1xf32>, tensor<1x8x5x5xf32>) -> tensor<1x8x5x5xf32>
  %r = nn.add %m, %x : (tensor<1x8x5x5xf32>, tensor<1x8x5x5xf32>) -> tensor<1x8x5x5xf32>
  func.return %r : tensor<1x8x5x5xf32>
}
// CHECK:      %[[X:.*]] = nn.layout_transform %x "NCHW" to "NHWC"
// CHECK-NOT:  nn.transpose
// CHECK:      %y = nn.conv2d %[[X]]
// CHECK-NEXT: %n = nn.layer_norm %y, %s, %s {axes = array<i64: -1>}
// CHECK-NEXT: %d = nn.dense %n, %fc
// CHECK-NOT:  nn.transpose
// CHECK:      %[[G:.*]] = nn.constant dense<5.000000e-01> : tensor<1x1x1x8xf32>
// CHECK-NEXT: %m = nn.multiply %[[G]], %d : (tensor<1x1x1x8xf32>, tensor<1x5x5x8xf32>)
// CHECK-NEXT: %r = nn.add %m, %[[X]]
// CHECK-NEXT: %[[R:.*]] = nn.layout_transform %r "NHWC" to "NCHW" {reason = "function boundary
// CHECK-NEXT: func.return %[[R]]

// IO:     func.func @main(%x: tensor<1x5x5x8xf32>, {{.*}}) -> tensor<1x5x5x8xf32>
// IO-NOT: nn.transpose
// IO:     %y = nn.conv2d %x
// IO-NOT: nn.layout_transform
// IO-NOT: nn.transpose
