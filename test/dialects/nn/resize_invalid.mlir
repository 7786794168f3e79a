// nn.resize2d names the allowed values of a bad method or mode, and checks its size.
// RUN: xdsl-opt %s --split-input-file --verify-diagnostics | filecheck %s

func.func @method(%x: tensor<1x4x5x5xf32>) {
  %y = nn.resize2d %x {size = array<i64: 10, 10>, method = "cubic"} : (tensor<1x4x5x5xf32>) -> tensor<1x4x10x10xf32>
  func.return
}
// CHECK: nn.resize2d: 'cubic' is not one of nearest, bilinear

// -----
func.func @size(%x: tensor<1x4x5x5xf32>) {
  %y = nn.resize2d %x {size = array<i64: 0, 10>} : (tensor<1x4x5x5xf32>) -> tensor<1x4x10x10xf32>
  func.return
}
// CHECK: nn.resize2d: size needs two extents >= 1
