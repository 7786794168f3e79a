// RUN: %roundtrip
// RUN: xdsl-opt %s | xdsl-opt | filecheck %s --check-prefix=CUSTOM

func.func @main() -> tensor<2x2xf32> {
  %small = nn.constant dense<[[1.0, 2.0], [3.0, 4.5]]> : tensor<2x2xf32>
  %splat = nn.constant dense<0.5> : tensor<4x8xf32>
  %hex = nn.constant dense<"0x0000803F000000400000404000008040000080400000A0400000C0400000E0400000004100001041000020410000304100004041000050410000604100007041"> : tensor<16xf32>
  %res = nn.constant dense_resource<constant_blob> : tensor<2xf32>
  func.return %small : tensor<2x2xf32>
}
{-#
  dialect_resources: {
    builtin: {
      constant_blob: "0x040000000000803F00000040"
    }
  }
#-}

// CHECK:      %small = "nn.constant"() <{value = dense<{{\[\[}}1.000000e+00, 2.000000e+00], [3.000000e+00, 4.500000e+00]]> : tensor<2x2xf32>}> : () -> tensor<2x2xf32>
// CHECK-NEXT: %splat = "nn.constant"() <{value = dense<5.000000e-01> : tensor<4x8xf32>}> : () -> tensor<4x8xf32>
// CHECK-NEXT: %hex = "nn.constant"() <{value = dense<[1.000000e+00, 2.000000e+00, 3.000000e+00, 4.000000e+00, 4.000000e+00, 5.000000e+00, 6.000000e+00, 7.000000e+00, 8.000000e+00, 9.000000e+00, 1.000000e+01, 1.100000e+01, 1.200000e+01, 1.300000e+01, 1.400000e+01, 1.500000e+01]> : tensor<16xf32>}> : () -> tensor<16xf32>
// CHECK-NEXT: %res = "nn.constant"() <{value = dense_resource<constant_blob> : tensor<2xf32>}> : () -> tensor<2xf32>
// CHECK:      constant_blob: "0x040000000000803F00000040"

// Small and splat values print the stock way; from 16 elements on, raw hex.
// CUSTOM:      %small = nn.constant dense<{{\[\[}}1.000000e+00, 2.000000e+00], [3.000000e+00, 4.500000e+00]]> : tensor<2x2xf32>
// CUSTOM-NEXT: %splat = nn.constant dense<5.000000e-01> : tensor<4x8xf32>
// CUSTOM-NEXT: %hex = nn.constant dense<"0x0000803F000000400000404000008040000080400000A0400000C0400000E0400000004100001041000020410000304100004041000050410000604100007041"> : tensor<16xf32>
// CUSTOM-NEXT: %res = nn.constant dense_resource<constant_blob> : tensor<2xf32>
// CUSTOM:      constant_blob: "0x040000000000803F00000040"
