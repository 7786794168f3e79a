// A CHECK that must fail: proves the FileCheck setup can fail at all.
// XFAIL: *
// RUN: xdsl-opt %s | filecheck %s
func.func @f(%x: tensor<2xf32>) -> tensor<2xf32> {
  %y = nn.relu %x : tensor<2xf32>
  func.return %y : tensor<2xf32>
}
// CHECK: nn.sigmoid
