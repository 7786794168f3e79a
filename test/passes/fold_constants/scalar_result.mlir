// A fold whose result is a scalar gives a rank-0 constant, not a [1] one (found with the
// meaning fuzzer: numpy's ascontiguousarray turns 0-d arrays into 1-d ones).
// RUN: xdsl-opt %s -p fold-constants | filecheck %s
func.func @main(%x: tensor<2xf32>) -> tensor<2xf32> {
  %c = nn.constant dense<[1.0, 3.0]> : tensor<2xf32>
  %m = nn.mean %c {axes = array<i64: 0>} : (tensor<2xf32>) -> tensor<f32>
  %y = nn.add %x, %m : (tensor<2xf32>, tensor<f32>) -> tensor<2xf32>
  func.return %y : tensor<2xf32>
}
// CHECK:      %[[M:.*]] = nn.constant dense<2.000000e+00> : tensor<f32>
// CHECK-NEXT: nn.add %x, %[[M]] : (tensor<2xf32>, tensor<f32>) -> tensor<2xf32>
