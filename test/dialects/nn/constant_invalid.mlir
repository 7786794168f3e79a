// nn.constant holds f32 tensors only.
// RUN: xdsl-opt %s --split-input-file --verify-diagnostics | filecheck %s

func.func @not_f32() {
  %c = nn.constant dense<1> : tensor<4xi32>
  func.return
}
// CHECK: nn.constant: value must be an f32 tensor, got tensor<4xi32>
