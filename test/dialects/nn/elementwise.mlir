// Unary and broadcasting binary elementwise ops round-trip, including scalar and
// lower-rank operands.
// RUN: xdsl-opt %s | xdsl-opt | filecheck %s
// RUN: %roundtrip --check-prefix=GENERIC

func.func @elementwise(%x: tensor<1x4x5x5xf32>, %s: tensor<f32>, %c: tensor<4x1x1xf32>, %r: tensor<5xf32>) {
  %relu = nn.relu %x : tensor<1x4x5x5xf32>
  %sigmoid = nn.sigmoid %x : tensor<1x4x5x5xf32>
  %tanh = nn.tanh %x : tensor<1x4x5x5xf32>
  %clip = nn.clip %x {min = 0.0 : f32, max = 6.0 : f32} : tensor<1x4x5x5xf32>
  %add = nn.add %x, %s : (tensor<1x4x5x5xf32>, tensor<f32>) -> tensor<1x4x5x5xf32>
  %sub = nn.subtract %c, %x : (tensor<4x1x1xf32>, tensor<1x4x5x5xf32>) -> tensor<1x4x5x5xf32>
  %mul = nn.multiply %x, %r : (tensor<1x4x5x5xf32>, tensor<5xf32>) -> tensor<1x4x5x5xf32>
  %div = nn.divide %x, %x : (tensor<1x4x5x5xf32>, tensor<1x4x5x5xf32>) -> tensor<1x4x5x5xf32>
  %max = nn.maximum %c, %r : (tensor<4x1x1xf32>, tensor<5xf32>) -> tensor<4x1x5xf32>
  %min = nn.minimum %s, %s : (tensor<f32>, tensor<f32>) -> tensor<f32>
  func.return
}

// CHECK:      %relu = nn.relu %x : tensor<1x4x5x5xf32>
// CHECK-NEXT: %sigmoid = nn.sigmoid %x : tensor<1x4x5x5xf32>
// CHECK-NEXT: %tanh = nn.tanh %x : tensor<1x4x5x5xf32>
// CHECK-NEXT: %clip = nn.clip %x {min = 0.000000e+00 : f32, max = 6.000000e+00 : f32} : tensor<1x4x5x5xf32>
// CHECK-NEXT: %add = nn.add %x, %s : (tensor<1x4x5x5xf32>, tensor<f32>) -> tensor<1x4x5x5xf32>
// CHECK-NEXT: %sub = nn.subtract %c, %x : (tensor<4x1x1xf32>, tensor<1x4x5x5xf32>) -> tensor<1x4x5x5xf32>
// CHECK-NEXT: %mul = nn.multiply %x, %r : (tensor<1x4x5x5xf32>, tensor<5xf32>) -> tensor<1x4x5x5xf32>
// CHECK-NEXT: %div = nn.divide %x, %x : (tensor<1x4x5x5xf32>, tensor<1x4x5x5xf32>) -> tensor<1x4x5x5xf32>
// CHECK-NEXT: %max = nn.maximum %c, %r : (tensor<4x1x1xf32>, tensor<5xf32>) -> tensor<4x1x5xf32>
// CHECK-NEXT: %min = nn.minimum %s, %s : (tensor<f32>, tensor<f32>) -> tensor<f32>

// GENERIC:      "nn.relu"(%x) : (tensor<1x4x5x5xf32>) -> tensor<1x4x5x5xf32>
// GENERIC:      "nn.clip"(%x) <{min = 0.000000e+00 : f32, max = 6.000000e+00 : f32}>
// GENERIC-NEXT: "nn.add"(%x, %s) : (tensor<1x4x5x5xf32>, tensor<f32>) -> tensor<1x4x5x5xf32>
