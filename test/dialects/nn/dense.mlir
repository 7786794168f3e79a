// nn.dense round-trips.
// RUN: xdsl-opt %s | xdsl-opt | filecheck %s
// RUN: %roundtrip --check-prefix=GENERIC

func.func @dense(%x: tensor<2x64xf32>, %w: tensor<10x64xf32>) {
  %y = nn.dense %x, %w : (tensor<2x64xf32>, tensor<10x64xf32>) -> tensor<2x10xf32>
  func.return
}

// A stack of rows: the Linear of a channels-last block.
func.func @dense_rows(%x: tensor<1x3x3x8xf32>, %w: tensor<16x8xf32>) {
  %y = nn.dense %x, %w : (tensor<1x3x3x8xf32>, tensor<16x8xf32>) -> tensor<1x3x3x16xf32>
  func.return
}

// CHECK:   %y = nn.dense %x, %w : (tensor<2x64xf32>, tensor<10x64xf32>) -> tensor<2x10xf32>
// GENERIC: "nn.dense"(%x, %w) : (tensor<2x64xf32>, tensor<10x64xf32>) -> tensor<2x10xf32>
// CHECK:   %y = nn.dense %x, %w : (tensor<1x3x3x8xf32>, tensor<16x8xf32>) -> tensor<1x3x3x16xf32>
