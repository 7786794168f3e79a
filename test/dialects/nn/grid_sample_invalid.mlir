// nn.grid_sample names the allowed methods and padding modes, and checks the grid's
// shape against the input's.
// RUN: xdsl-opt %s --split-input-file --verify-diagnostics | filecheck %s

func.func @method(%x: tensor<1x4x5x5xf32>, %g: tensor<1x3x3x2xf32>) {
  %y = nn.grid_sample %x, %g {method = "linear"} : (tensor<1x4x5x5xf32>, tensor<1x3x3x2xf32>) -> tensor<1x4x3x3xf32>
  func.return
}
// CHECK: nn.grid_sample: 'linear' is not one of nearest, bilinear, bicubic

// -----
func.func @padding(%x: tensor<1x4x5x5xf32>, %g: tensor<1x3x3x2xf32>) {
  %y = nn.grid_sample %x, %g {padding_mode = "wrap"} : (tensor<1x4x5x5xf32>, tensor<1x3x3x2xf32>) -> tensor<1x4x3x3xf32>
  func.return
}
// CHECK: nn.grid_sample: 'wrap' is not one of zeros, border, reflection

// -----
func.func @pairs(%x: tensor<1x4x5x5xf32>, %g: tensor<1x3x3x3xf32>) {
  %y = nn.grid_sample %x, %g : (tensor<1x4x5x5xf32>, tensor<1x3x3x3xf32>) -> tensor<1x4x3x3xf32>
  func.return
}
// CHECK: nn.grid_sample: grid must be [N, Ho, Wo, 2], got shape [1, 3, 3, 3]

// -----
func.func @volumetric(%x: tensor<1x4x5x5x5xf32>, %g: tensor<1x3x3x3x3xf32>) {
  %y = nn.grid_sample %x, %g : (tensor<1x4x5x5x5xf32>, tensor<1x3x3x3x3xf32>) -> tensor<1x4x3x3x3xf32>
  func.return
}
// CHECK: nn.grid_sample: layout 'NCHW' has rank 4, but the tensor has rank 5

// -----
func.func @batch(%x: tensor<2x4x5x5xf32>, %g: tensor<1x3x3x2xf32>) {
  %y = nn.grid_sample %x, %g : (tensor<2x4x5x5xf32>, tensor<1x3x3x2xf32>) -> tensor<2x4x3x3xf32>
  func.return
}
// CHECK: nn.grid_sample: grid has N = 1, the input N = 2

// -----
func.func @wide(%x: tensor<1x1x1x1048577xf32>, %g: tensor<1x1x1x2xf32>) {
  %y = nn.grid_sample %x, %g : (tensor<1x1x1x1048577xf32>, tensor<1x1x1x2xf32>) -> tensor<1x1x1x1xf32>
  func.return
}
// CHECK: nn.grid_sample: input extents H = 1, W = 1048577 exceed 1048576, beyond which float32 places miss pixels

// -----
func.func @result(%x: tensor<1x4x5x5xf32>, %g: tensor<1x3x2x2xf32>) {
  %y = nn.grid_sample %x, %g : (tensor<1x4x5x5xf32>, tensor<1x3x2x2xf32>) -> tensor<1x4x3x3xf32>
  func.return
}
// CHECK: nn.grid_sample: expected result type tensor<1x4x3x2xf32>, got tensor<1x4x3x3xf32>
