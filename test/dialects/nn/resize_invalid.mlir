// nn.resize2d names the allowed values of a bad method or mode, and checks its size,
// scales, roi and antialiasing.
// RUN: xdsl-opt %s --split-input-file --verify-diagnostics | filecheck %s

func.func @method(%x: tensor<1x4x5x5xf32>) {
  %y = nn.resize2d %x {size = array<i64: 10, 10>, method = "cubic"} : (tensor<1x4x5x5xf32>) -> tensor<1x4x10x10xf32>
  func.return
}
// CHECK: nn.resize2d: 'cubic' is not one of nearest, bilinear, bicubic

// -----
func.func @size(%x: tensor<1x4x5x5xf32>) {
  %y = nn.resize2d %x {size = array<i64: 0, 10>} : (tensor<1x4x5x5xf32>) -> tensor<1x4x10x10xf32>
  func.return
}
// CHECK: nn.resize2d: size needs two extents >= 1

// -----
func.func @f(%x: tensor<1x4x5x5xf32>) {
  %y = nn.resize2d %x {size = array<i64: 10, 10>, coordinate_mode = "tf_half_pixel_for_nn"} : (tensor<1x4x5x5xf32>) -> tensor<1x4x10x10xf32>
  func.return
}
// CHECK: nn.resize2d: 'tf_half_pixel_for_nn' is not one of half_pixel, half_pixel_symmetric, pytorch_half_pixel, align_corners, asymmetric, tf_crop_and_resize

// -----
func.func @f(%x: tensor<1x4x5x5xf32>) {
  %y = nn.resize2d %x {size = array<i64: 10, 10>, layout = "NCHW16c"} : (tensor<1x4x5x5xf32>) -> tensor<1x4x10x10xf32>
  func.return
}
// CHECK: nn.resize2d: layout 'NCHW16c' has rank 5, but the tensor has rank 4

// -----
func.func @f(%x: tensor<1x4x5x5xf32>) {
  %y = nn.resize2d %x {size = array<i64: 3, 3>, antialias = true} : (tensor<1x4x5x5xf32>) -> tensor<1x4x3x3xf32>
  func.return
}
// CHECK: nn.resize2d: antialias needs method bilinear or bicubic

// -----
func.func @f(%x: tensor<1x4x5x5xf32>) {
  %y = nn.resize2d %x {size = array<i64: 3, 3>, scales = array<f64: 0.6, 0.1>} : (tensor<1x4x5x5xf32>) -> tensor<1x4x3x3xf32>
  func.return
}
// CHECK: nn.resize2d: scale 0.1 of an extent 5 does not give the size 3

// -----
func.func @f(%x: tensor<1x4x5x5xf32>) {
  %y = nn.resize2d %x {size = array<i64: 3, 3>, roi = array<f64: 0.0, 0.0, 1.0, 1.0>} : (tensor<1x4x5x5xf32>) -> tensor<1x4x3x3xf32>
  func.return
}
// CHECK: nn.resize2d: roi is read by coordinate_mode tf_crop_and_resize only
