// With precision=tf32 a conv whose GEMM is at least 16 wide runs on tensor cores: the
// translation unit includes <mma.h> (for nvcc only) and the kernel launches 4 warps;
// lower-to-cuda records the same launch. The default fp32 includes no header.
// RUN: xdsl-opt %s -t 'cuda{precision=tf32}' | filecheck %s
// RUN: xdsl-opt %s -p 'lower-to-cuda{precision=tf32}' | filecheck %s --check-prefix=LOWER
// RUN: xdsl-opt %s -t cuda | filecheck %s --check-prefix=FP32

func.func @main(%x: tensor<1x8x8x16xf32>) -> tensor<1x8x8x32xf32> {
  %w = nn.constant dense<0.25> : tensor<32x3x3x16xf32>
  %c = nn.conv2d %x, %w {padding = array<i64: 1, 1, 1, 1>, data_layout = "NHWC", kernel_layout = "OHWI"} : (tensor<1x8x8x16xf32>, tensor<32x3x3x16xf32>) -> tensor<1x8x8x32xf32>
  %r = nn.relu %c : tensor<1x8x8x32xf32>
  func.return %r : tensor<1x8x8x32xf32>
}

// CHECK:      // launch fused_nn_conv2d_nn_relu grid=(1, 1, 1) block=(128, 1, 1) (in0, w0, out0)
// CHECK:      #ifdef __CUDACC__
// CHECK-NEXT: #include <mma.h>
// CHECK-NEXT: #endif
// CHECK:      namespace wmma = nvcuda::wmma;
// CHECK:      wmma::mma_sync(acc[i][j], fa[i], fb[j], acc[i][j]);

// LOWER:      cuda.block = array<i64: 128, 1, 1>

// FP32:       // launch fused_nn_conv2d_nn_relu grid=(2, 1, 1) block=(64, 1, 1)
// FP32-NOT:   #include
