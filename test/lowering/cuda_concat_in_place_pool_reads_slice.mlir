// A UNet's skip: the relu's result is pooled and later concatenated. Pools read their
// input where it lies, so the relu still writes straight into its slice of the
// concat's buffer and the pool reads its windows there: no concat copy.
// RUN: xdsl-opt %s -t cuda | filecheck %s

func.func @main(%x: tensor<1x4x4x8xf32>) -> tensor<1x4x4x16xf32> {
  %skip = nn.relu %x : tensor<1x4x4x8xf32>
  %p = nn.max_pool2d %skip {pool_size = array<i64: 3, 3>, padding = array<i64: 1, 1, 1, 1>, layout = "NHWC"} : (tensor<1x4x4x8xf32>) -> tensor<1x4x4x8xf32>
  %up = nn.sigmoid %p : tensor<1x4x4x8xf32>
  %c = nn.concat %skip, %up {axis = 3 : i64} : (tensor<1x4x4x8xf32>, tensor<1x4x4x8xf32>) -> tensor<1x4x4x16xf32>
  func.return %c : tensor<1x4x4x16xf32>
}

// CHECK:      // plan: 3 launches, 3 kernels, 1 concats in place, 0 weights (0 bytes)
// CHECK:      // launch fused_nn_relu_sliced {{.*}} (in0, out0[:, :, :, 0:8])
// CHECK-NEXT: // launch fused_nn_max_pool2d_sliced {{.*}} (out0[:, :, :, 0:8], arena+0)
// CHECK-NEXT: // launch fused_sigmoid_sliced {{.*}} (arena+0, out0[:, :, :, 8:16])
// CHECK-NEXT: // in place fused_concatenate out0 [1, 4, 4, 16]: no launch
// CHECK-NOT:  void fused_concatenate
