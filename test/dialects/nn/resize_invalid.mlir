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

// -----
func.func @f(%x: tensor<1x4x5x5xf32>) {
  %y = nn.resize2d %x {size = array<i64: 10, 10>, coordinate_mode = "tf_crop_and_resize"} : (tensor<1x4x5x5xf32>) -> tensor<1x4x10x10xf32>
  func.return
}
// CHECK: nn.resize2d: 'tf_crop_and_resize' is not one of half_pixel, pytorch_half_pixel, align_corners, asymmetric

// -----
func.func @f(%x: tensor<1x4x5x5xf32>) {
  %y = nn.resize2d %x {size = array<i64: 10, 10>, layout = "NCHW16c"} : (tensor<1x4x5x5xf32>) -> tensor<1x4x10x10xf32>
  func.return
}
// CHECK: nn.resize2d: layout 'NCHW16c' has rank 5, but the tensor has rank 4
