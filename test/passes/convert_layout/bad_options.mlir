// Bad options name the option and what is wrong.
// RUN: xdsl-opt %s -p 'convert-layout{conv2d=NHWQ}' --verify-diagnostics | filecheck %s --check-prefix=LAYOUT
// RUN: xdsl-opt %s -p 'convert-layout{conv2d=NHWC,OIH}' --verify-diagnostics | filecheck %s --check-prefix=KERNEL
// RUN: xdsl-opt %s -p 'convert-layout{conv2d=NWCH}' --verify-diagnostics | filecheck %s --check-prefix=DEFAULT
// RUN: xdsl-opt %s -p 'convert-layout{conv2d=NCHW16C}' --verify-diagnostics | filecheck %s --check-prefix=CASE
func.func @main(%x: tensor<1x3x8x8xf32>) -> tensor<1x3x8x8xf32> {
  func.return %x : tensor<1x3x8x8xf32>
}
// LAYOUT:  convert-layout: option conv2d=NHWQ: the layout must have the axes NCHW
// KERNEL:  convert-layout: option conv2d=OIH: the layout must have the axes OIHW
// DEFAULT: convert-layout: option conv2d=NWCH: no default kernel layout for NWCH
// CASE:    a block size must be followed by a lower-case letter
