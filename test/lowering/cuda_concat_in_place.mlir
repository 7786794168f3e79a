// Each operand of the concat is produced for it alone, so its kernel stores it straight
// into its slice of the concat's buffer and the concat launches nothing.
// RUN: xdsl-opt %s -t cuda | filecheck %s

func.func @main(%x: tensor<1x4x4x8xf32>) -> tensor<1x4x4x16xf32> {
  %a = nn.relu %x : tensor<1x4x4x8xf32>
  %b = nn.max_pool2d %x {pool_size = array<i64: 3, 3>, padding = array<i64: 1, 1, 1, 1>, layout = "NHWC"} : (tensor<1x4x4x8xf32>) -> tensor<1x4x4x8xf32>
  %c = nn.concat %a, %b {axis = 3 : i64} : (tensor<1x4x4x8xf32>, tensor<1x4x4x8xf32>) -> tensor<1x4x4x16xf32>
  %y = nn.sigmoid %c : tensor<1x4x4x16xf32>
  func.return %y : tensor<1x4x4x16xf32>
}

// CHECK:      // plan: 3 launches, 3 kernels, 1 concats in place, 0 weights (0 bytes)
// CHECK-NEXT: // activations: arena 1024 bytes, sum 1024 bytes
// CHECK-NEXT: // launch fused_nn_relu_sliced grid=(1, 1, 1) block=(256, 1, 1) (in0, arena+0[:, :, :, 0:8])
// CHECK-NEXT: // launch fused_nn_max_pool2d_sliced grid=(1, 1, 1) block=(256, 1, 1) (in0, arena+0[:, :, :, 8:16])
// CHECK-NEXT: // in place fused_concatenate arena+0 [1, 4, 4, 16]: no launch
// CHECK-NEXT: // launch fused_sigmoid grid=(1, 1, 1) block=(256, 1, 1) (arena+0, out0)
// CHECK-NEXT: // movement: 2048 bytes read, 2048 bytes written
// CHECK:      void fused_nn_relu_sliced(
// CHECK:      out[(d1) * 64 + (d2) * 16 + d3] = v0;
// CHECK:      void fused_nn_max_pool2d_sliced(
// CHECK:      out[8 + (d1) * 64 + (d2) * 16 + d3] = acc;
// CHECK-NOT:  fused_concatenate
