// A LayerNorm over C follows the conversion in either layout: C is axis 3 in NHWC, and
// axes 1 and 4 (C's blocks and their elements) in NCHW16c; its [1,C,1,1] parameters
// move beside it and fold. No transform between the convs.
// RUN: xdsl-opt %s -p 'optimize-layout{conv2d=NHWC,default}' | filecheck %s --check-prefix=NHWC
// RUN: xdsl-opt %s -p 'optimize-layout{conv2d=NCHW16c,default}' | filecheck %s --check-prefix=BLOCKED
func.func @main(%x: tensor<1x16x4x4xf32>, %w: tensor<16x16x1x1xf32>) -> tensor<1x16x4x4xf32> {
  %y = nn.conv2d %x, %w : (tensor<1x16x4x4xf32>, tensor<16x16x1x1xf32>) -> tensor<1x16x4x4xf32>
  %s = nn.constant dense<1.5> : tensor<1x16x1x1xf32>
  %b = nn.constant dense<0.5> : tensor<1x16x1x1xf32>
  %n = nn.layer_norm %y, %s, %b {axes = array<i64: 1>} : (tensor<1x16x4x4xf32>, tensor<1x16x1x1xf32>, tensor<1x16x1x1xf32>) -> tensor<1x16x4x4xf32>
  %z = nn.conv2d %n, %w : (tensor<1x16x4x4xf32>, tensor<16x16x1x1xf32>) -> tensor<1x16x4x4xf32>
  func.return %z : tensor<1x16x4x4xf32>
}
// NHWC:      %y = nn.conv2d
// NHWC-NEXT: %[[S:.*]] = nn.constant dense<1.500000e+00> : tensor<1x1x1x16xf32>
// NHWC-NEXT: %[[B:.*]] = nn.constant dense<5.000000e-01> : tensor<1x1x1x16xf32>
// NHWC-NEXT: nn.layer_norm %y, %[[S]], %[[B]] {axes = array<i64: 3>} : (tensor<1x4x4x16xf32>
// NHWC-NEXT: nn.conv2d

// BLOCKED:      %y = nn.conv2d
// BLOCKED-NEXT: %[[S:.*]] = nn.constant dense<1.500000e+00> : tensor<1x1x1x1x16xf32>
// BLOCKED-NEXT: %[[B:.*]] = nn.constant dense<5.000000e-01> : tensor<1x1x1x1x16xf32>
// BLOCKED-NEXT: nn.layer_norm %y, %[[S]], %[[B]] {axes = array<i64: 1, 4>} : (tensor<1x1x4x4x16xf32>
// BLOCKED-NEXT: nn.conv2d
