// nn.dense needs x [..., K] (rank >= 2) and weight [units, K].
// RUN: xdsl-opt %s --split-input-file --verify-diagnostics | filecheck %s

func.func @inner_extent(%x: tensor<2x64xf32>, %w: tensor<10x32xf32>) {
  %y = nn.dense %x, %w : (tensor<2x64xf32>, tensor<10x32xf32>) -> tensor<2x10xf32>
  func.return
}
// CHECK: nn.dense: needs x [..., K] (rank >= 2) and weight [units, K], got [2, 64] and [10, 32]

// -----
func.func @f(%x: tensor<2x64xf32>, %w: tensor<10x64xf32>) {
  %y = nn.dense %x, %w : (tensor<2x64xf32>, tensor<10x64xf32>) -> tensor<10x2xf32>
  func.return
}
// CHECK: nn.dense: expected result type tensor<2x10xf32>, got tensor<10x2xf32>

// -----
func.func @rank_one(%x: tensor<64xf32>, %w: tensor<10x64xf32>) {
  %y = nn.dense %x, %w : (tensor<64xf32>, tensor<10x64xf32>) -> tensor<10xf32>
  func.return
}
// CHECK: nn.dense: needs x [..., K] (rank >= 2) and weight [units, K], got [64] and [10, 64]
