// `-t cuda` prints the plan as a comment, then extern "C" kernels with generated names
// and a tiled transpose for a layout_transform whose axes are both 8 or wider.
// RUN: xdsl-opt %s -t cuda | filecheck %s

func.func @main(%user_input: tensor<1x8x5x9xf32>) -> tensor<1x5x9x8xf32> {
  %t = nn.layout_transform %user_input "NCHW" to "NHWC" : tensor<1x8x5x9xf32> -> tensor<1x5x9x8xf32>
  %r = nn.relu %t : tensor<1x5x9x8xf32>
  func.return %r : tensor<1x5x9x8xf32>
}

// CHECK:      // plan: 2 launches, 2 kernels, 0 weights (0 bytes)
// CHECK-NEXT: // activations: arena 1536 bytes, sum 1440 bytes
// CHECK-NEXT: // launch fused_layout_transform grid=(1, 1, 5) block=(32, 8, 1) (in0, arena+0)
// CHECK-NEXT: // launch fused_nn_relu grid=(2, 1, 1) block=(256, 1, 1) (arena+0, out0)
// CHECK:      extern "C" __global__ void fused_layout_transform(const float* __restrict__ in0, float* __restrict__ out)
// CHECK:      __shared__ float tile[32][33];
// CHECK:      extern "C" __global__ void fused_nn_relu(
// CHECK:      out[i] = v0;
// CHECK-NOT:  user_input
