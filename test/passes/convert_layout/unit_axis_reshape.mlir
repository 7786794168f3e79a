// A 1-D conv imported as 2-D (reshape [N,C,L] -> [N,C,1,L], conv, reshape back) keeps
// the conversion through its reshapes: the 3-D value between two convs is the converted
// one with the unit axis dropped (NWC, NCW16c), and the next reshape puts it back where
// the next conv wants it. Only the function's input and result move data.
// RUN: xdsl-opt %s -p 'optimize-layout{conv2d=NHWC,default},explain-layout' | filecheck %s
// RUN: xdsl-opt %s -p 'optimize-layout{conv2d=NCHW16c,default},explain-layout' | filecheck %s --check-prefix=BLOCKED
func.func @main(%x: tensor<1x16x12xf32>) -> tensor<1x16x8xf32> {
  %w = nn.constant dense<0.1> : tensor<16x16x1x3xf32>
  %x4 = nn.reshape %x {newshape = array<i64: 1, 16, 1, 12>} : (tensor<1x16x12xf32>) -> tensor<1x16x1x12xf32>
  %c1 = nn.conv2d %x4, %w : (tensor<1x16x1x12xf32>, tensor<16x16x1x3xf32>) -> tensor<1x16x1x10xf32>
  %y1 = nn.reshape %c1 {newshape = array<i64: 1, 16, 10>} : (tensor<1x16x1x10xf32>) -> tensor<1x16x10xf32>
  %r = nn.relu %y1 : tensor<1x16x10xf32>
  %r4 = nn.reshape %r {newshape = array<i64: 1, 16, 1, 10>} : (tensor<1x16x10xf32>) -> tensor<1x16x1x10xf32>
  %c2 = nn.conv2d %r4, %w : (tensor<1x16x1x10xf32>, tensor<16x16x1x3xf32>) -> tensor<1x16x1x8xf32>
  %y2 = nn.reshape %c2 {newshape = array<i64: 1, 16, 8>} : (tensor<1x16x1x8xf32>) -> tensor<1x16x8xf32>
  func.return %y2 : tensor<1x16x8xf32>
}
// CHECK:      // explain-layout: 2 layout transform(s) move data
// CHECK-NEXT: // @main: %x4 NCHW -> NHWC [1, 16, 1, 12] (768 bytes): nn.conv2d runs in NHWC
// CHECK-NEXT: // @main: %y2 NWC -> NCW [1, 8, 16] (512 bytes): function boundary: returned in NCW
// CHECK:      %[[C1:.*]] = nn.conv2d {{.*}} -> tensor<1x1x10x16xf32>
// CHECK-NEXT: %[[Y1:.*]] = nn.reshape %[[C1]] {newshape = array<i64: 1, 10, 16>}
// CHECK-NEXT: %[[R:.*]] = nn.relu %[[Y1]] : tensor<1x10x16xf32>
// CHECK-NEXT: %[[R4:.*]] = nn.reshape %[[R]] {newshape = array<i64: 1, 1, 10, 16>}
// CHECK-NEXT: nn.conv2d %[[R4]]

// BLOCKED:      // explain-layout: 2 layout transform(s) move data
// BLOCKED-NEXT: // @main: %x4 NCHW -> NCHW16c [1, 16, 1, 12] (768 bytes): nn.conv2d runs in NCHW16c
// BLOCKED-NEXT: // @main: %y2 NCW16c -> NCW [1, 1, 8, 16] (512 bytes): function boundary: returned in NCW
// BLOCKED:      nn.relu %{{.*}} : tensor<1x1x10x16xf32>
