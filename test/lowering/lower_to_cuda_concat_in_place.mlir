// A concat whose operands are written in place launches nothing: lower-to-cuda marks
// its group `cuda.in_place`, and each producer's buffer is its slice of the concat's.
// RUN: xdsl-opt %s -p lower-to-cuda | filecheck %s

func.func @main(%x: tensor<1x8x4x4xf32>) -> tensor<1x16x4x4xf32> {
  %a = nn.relu %x : tensor<1x8x4x4xf32>
  %b = nn.sigmoid %x : tensor<1x8x4x4xf32>
  %c = nn.concat %a, %b {axis = 1 : i64} : (tensor<1x8x4x4xf32>, tensor<1x8x4x4xf32>) -> tensor<1x16x4x4xf32>
  func.return %c : tensor<1x16x4x4xf32>
}

// CHECK:      func.func @main({{.*}} {cuda.arena_bytes = 0 : i64, cuda.activation_bytes = 0 : i64}
// CHECK:      nn.fused "fused_nn_relu"
// CHECK:      } {cuda.grid = {{.*}}, cuda.buffer = "out0[:, 0:8]"}
// CHECK:      nn.fused "fused_sigmoid"
// CHECK:      } {cuda.grid = {{.*}}, cuda.buffer = "out0[:, 8:16]"}
// CHECK:      nn.fused "fused_concatenate"
// CHECK:      } {cuda.in_place, cuda.buffer = "out0"}
