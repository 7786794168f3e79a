// A tiny NCHW network: conv + batch_norm + relu + max_pool, then a global pool and a
// classifier. `xdsl-opt examples/conv_relu.mlir -p 'optimize-layout{conv2d=NHWC,default}'`
// runs it in NHWC with one transform left (the input) and every weight pre-transformed.
func.func @main(%x: tensor<1x3x16x16xf32>) -> tensor<1x10xf32> {
  %w1 = nn.constant dense<0.1> : tensor<8x3x3x3xf32>
  %g = nn.constant dense<1.5> : tensor<8xf32>
  %b = nn.constant dense<0.2> : tensor<8xf32>
  %m = nn.constant dense<0.1> : tensor<8xf32>
  %v = nn.constant dense<2.0> : tensor<8xf32>
  %w2 = nn.constant dense<0.05> : tensor<10x8xf32>
  %c = nn.conv2d %x, %w1 {padding = array<i64: 1, 1, 1, 1>} : (tensor<1x3x16x16xf32>, tensor<8x3x3x3xf32>) -> tensor<1x8x16x16xf32>
  %n = nn.batch_norm %c, %g, %b, %m, %v : (tensor<1x8x16x16xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<1x8x16x16xf32>
  %r = nn.relu %n : tensor<1x8x16x16xf32>
  %p = nn.max_pool2d %r {pool_size = array<i64: 2, 2>, strides = array<i64: 2, 2>} : (tensor<1x8x16x16xf32>) -> tensor<1x8x8x8xf32>
  %gp = nn.global_avg_pool2d %p : (tensor<1x8x8x8xf32>) -> tensor<1x8x1x1xf32>
  %f = nn.batch_flatten %gp : (tensor<1x8x1x1xf32>) -> tensor<1x8xf32>
  %y = nn.dense %f, %w2 : (tensor<1x8xf32>, tensor<10x8xf32>) -> tensor<1x10xf32>
  func.return %y : tensor<1x10xf32>
}
