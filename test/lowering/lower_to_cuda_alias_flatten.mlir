// A batch_flatten moves nothing: lower-to-cuda gives its group no launch (`cuda.alias`)
// and the buffer of its operand, which the dense then reads.
// RUN: xdsl-opt %s -p lower-to-cuda | filecheck %s

func.func @main(%x: tensor<1x4x4x8xf32>) -> tensor<1x10xf32> {
  %w = nn.constant dense<0.5> : tensor<10x8xf32>
  %p = nn.global_avg_pool2d %x {layout = "NHWC"} : (tensor<1x4x4x8xf32>) -> tensor<1x1x1x8xf32>
  %f = nn.batch_flatten %p : (tensor<1x1x1x8xf32>) -> tensor<1x8xf32>
  %d = nn.dense %f, %w : (tensor<1x8xf32>, tensor<10x8xf32>) -> tensor<1x10xf32>
  func.return %d : tensor<1x10xf32>
}

// The pool's result is the only activation: the flattened value allocates nothing.
// CHECK:      func.func @main({{.*}} {cuda.arena_bytes = 256 : i64, cuda.activation_bytes = 32 : i64}
// CHECK:      nn.fused "fused_nn_global_avg_pool2d"
// CHECK:      } {cuda.grid = array<i64: 1, 1, 1>, cuda.block = array<i64: 256, 1, 1>, cuda.buffer = "arena+0"}
// CHECK:      nn.fused "fused_nn_batch_flatten"
// CHECK:      } {cuda.alias, cuda.buffer = "arena+0"}
// CHECK:      nn.fused "fused_nn_dense"
// CHECK:      } {cuda.grid = {{.*}}, cuda.buffer = "out0"}
