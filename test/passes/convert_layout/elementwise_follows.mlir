// relu and clip follow their producer: no transform between conv and return.
// RUN: xdsl-opt %s -p 'convert-layout{conv2d=NHWC,default}' | filecheck %s
func.func @main(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x1x1xf32>) -> tensor<1x4x8x8xf32> {
  %y = nn.conv2d %x, %w : (tensor<1x3x8x8xf32>, tensor<4x3x1x1xf32>) -> tensor<1x4x8x8xf32>
  %r = nn.relu %y : tensor<1x4x8x8xf32>
  %c = nn.clip %r {min = 0.0 : f32, max = 6.0 : f32} : tensor<1x4x8x8xf32>
  func.return %c : tensor<1x4x8x8xf32>
}
// CHECK:      = nn.conv2d
// CHECK-NEXT: %[[R:.*]] = nn.relu %{{.*}} : tensor<1x8x8x4xf32>
// CHECK-NEXT: %[[C:.*]] = nn.clip %[[R]] {{.*}} : tensor<1x8x8x4xf32>
// CHECK-NEXT: nn.layout_transform %[[C]] "NHWC" to "NCHW"
