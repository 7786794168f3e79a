// A flatten of an NHWC value in NCHW order (its reader is no dense, whose weight could
// be permuted instead) reorders data: convert-layout puts that movement in a
// layout_transform back to NCHW, which the conv's kernel does in its store, and the
// flatten of its result then moves nothing more.
// RUN: xdsl-opt %s -p 'optimize-layout{conv2d=NHWC,default}' -t cuda | filecheck %s

func.func @main(%x: tensor<1x3x4x4xf32>) -> tensor<1x128xf32> {
  %w = nn.constant dense<0.5> : tensor<8x3x3x3xf32>
  %c = nn.conv2d %x, %w {padding = array<i64: 1, 1, 1, 1>} : (tensor<1x3x4x4xf32>, tensor<8x3x3x3xf32>) -> tensor<1x8x4x4xf32>
  %f = nn.batch_flatten %c : (tensor<1x8x4x4xf32>) -> tensor<1x128xf32>
  %r = nn.relu %f : tensor<1x128xf32>
  func.return %r : tensor<1x128xf32>
}

// CHECK:      // plan: 2 launches, 2 kernels, 1 aliases, 1 weights (864 bytes)
// CHECK:      // launch fused_layout_transform_nn_conv2d_layout_transform {{.*}} (in0, w0, arena+0)
// CHECK-NEXT: // alias fused_nn_batch_flatten arena+0 [1, 8, 4, 4] as [1, 128]: no launch
// CHECK-NEXT: // launch fused_nn_relu {{.*}} (arena+0, out0)
// CHECK-NOT:  void fused_layout_transform(
