// A reshape moves nothing: `-t cuda` launches no kernel for it, and the kernel after
// it reads the buffer the kernel before it wrote.
// RUN: xdsl-opt %s -t cuda | filecheck %s

func.func @main(%x: tensor<1x8x4x4xf32>) -> tensor<1x16x8xf32> {
  %a = nn.relu %x : tensor<1x8x4x4xf32>
  %r = nn.reshape %a {newshape = array<i64: 1, 8, 16>} : (tensor<1x8x4x4xf32>) -> tensor<1x8x16xf32>
  %t = nn.transpose %r {axes = array<i64: 0, 2, 1>} : (tensor<1x8x16xf32>) -> tensor<1x16x8xf32>
  func.return %t : tensor<1x16x8xf32>
}

// CHECK:      // plan: 2 launches, 2 kernels, 1 aliases, 0 weights (0 bytes)
// CHECK-NEXT: // activations: arena 512 bytes, sum 512 bytes
// CHECK-NEXT: // launch fused_nn_relu grid=(1, 1, 1) block=(256, 1, 1) (in0, arena+0)
// CHECK-NEXT: // alias fused_reshape arena+0 [1, 8, 4, 4] as [1, 8, 16]: no launch
// CHECK-NEXT: // launch fused_transpose grid=(1, 1, 1) block=(256, 1, 1) (arena+0, out0)
// CHECK-NOT:  fused_reshape(
