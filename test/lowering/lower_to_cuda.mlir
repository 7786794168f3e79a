// lower-to-cuda fuses and records each kernel's launch and output buffer; the two
// activations whose lifetimes do not overlap share the arena (blocked transforms, which
// no kernel's store can absorb).
// RUN: xdsl-opt %s -p lower-to-cuda | filecheck %s

func.func @main(%x: tensor<1x8x8x8xf32>) -> tensor<1x8x8x8xf32> {
  %a = nn.relu %x : tensor<1x8x8x8xf32>
  %b = nn.max_pool2d %a {pool_size = array<i64: 3, 3>, padding = array<i64: 1, 1, 1, 1>, layout = "NHWC"} : (tensor<1x8x8x8xf32>) -> tensor<1x8x8x8xf32>
  %c = nn.layout_transform %b "NHWC" to "NCHW4c" : tensor<1x8x8x8xf32> -> tensor<1x2x8x8x4xf32>
  %d = nn.layout_transform %c "NCHW4c" to "NHWC" : tensor<1x2x8x8x4xf32> -> tensor<1x8x8x8xf32>
  func.return %d : tensor<1x8x8x8xf32>
}

// CHECK:      func.func @main({{.*}} attributes {cuda.arena_bytes = 4096 : i64, cuda.activation_bytes = 6144 : i64}
// CHECK:      nn.fused "fused_nn_relu"
// CHECK:      } {cuda.grid = array<i64: 2, 1, 1>, cuda.block = array<i64: 256, 1, 1>, cuda.buffer = "arena+0"}
// CHECK:      nn.fused "fused_nn_max_pool2d"
// CHECK:      } {cuda.grid = array<i64: 2, 1, 1>, cuda.block = array<i64: 256, 1, 1>, cuda.buffer = "arena+2048"}
// CHECK:      nn.fused "fused_layout_transform"
// CHECK:      } {cuda.grid = array<i64: 2, 1, 1>, cuda.block = array<i64: 256, 1, 1>, cuda.buffer = "arena+0"}
// CHECK:      nn.fused "fused_layout_transform_1"
// CHECK:      } {cuda.grid = array<i64: 2, 1, 1>, cuda.block = array<i64: 256, 1, 1>, cuda.buffer = "out0"}
