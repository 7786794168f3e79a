"""Example networks as ONNX models with seeded random weights, shaped like what
`torch.onnx.export` gives for the torchvision models in eval mode: Conv without bias
followed by BatchNormalization, Relu, Add residuals, pools, Flatten and Gemm.

``batch=None`` gives a symbolic batch axis ``N``, as a dynamic-axes export does. Each
builder refuses an image ``size`` its windows do not fit, with a ValueError that says
which sizes it takes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import onnx
from onnx import ModelProto, TensorProto, helper, numpy_helper

OPSET = 17
IR_VERSION = 8  # the IR version of opset 17, which ONNX Runtime releases all read


def _check_args(batch: int | None, size: int, minimum: int = 1, multiple: int = 1) -> None:
    # The CLI names the example before the message.
    if batch is not None and batch < 1:
        raise ValueError(f"batch must be at least 1, got {batch}")
    if size < minimum or size % multiple:
        what = f"a multiple of {multiple} and at least {minimum}" if multiple > 1 \
            else f"at least {minimum}"
        raise ValueError(f"the image size must be {what}, got {size}")


class _Net:
    """Accumulates the nodes and initializers of one model."""

    def __init__(self, seed: int) -> None:
        self.rng = np.random.default_rng(seed)
        self.nodes: list[onnx.NodeProto] = []
        self.initializers: list[onnx.TensorProto] = []
        self.count = 0

    def _fresh(self, kind: str) -> str:
        self.count += 1
        return f"{kind}_{self.count}"

    def node(self, op_type: str, inputs: list[str], **attrs: Any) -> str:
        name = self._fresh(op_type.lower())
        self.nodes.append(helper.make_node(op_type, inputs, [f"{name}_out"], name=name, **attrs))
        return f"{name}_out"

    def weight(self, array: np.ndarray, kind: str) -> str:
        name = self._fresh(kind)
        self.initializers.append(numpy_helper.from_array(array.astype(np.float32), name))
        return name

    def const(self, array: np.ndarray) -> str:
        """A `Constant` node, as exports make for shapes, pads, scales and Clip bounds."""
        name = self._fresh("const")
        tensor = numpy_helper.from_array(array, f"{name}_value")
        self.nodes.append(helper.make_node("Constant", [], [name], name=name, value=tensor))
        return name

    def conv(self, x: str, cin: int, cout: int, k: int, stride: int = 1, groups: int = 1,
             bias: bool = False, pad: int | None = None) -> str:
        fan_in = cin // groups * k * k
        w = self.rng.normal(0, np.sqrt(2 / fan_in), (cout, cin // groups, k, k))
        inputs = [x, self.weight(w, "weight")]
        if bias:
            inputs.append(self.weight(self.rng.normal(0, 0.1, cout), "bias"))
        p = k // 2 if pad is None else pad
        return self.node("Conv", inputs, kernel_shape=[k, k], strides=[stride, stride],
                         pads=[p, p, p, p], group=groups, dilations=[1, 1])

    def bn(self, x: str, c: int, gain: float = 1.0) -> str:
        """BatchNormalization with running statistics of a trained net (var > 0);
        ``gain`` < 1 on the last BN of a residual branch keeps deep nets' sums tame."""
        params = (
            self.rng.uniform(0.5, 1.0, c) * gain,  # gamma
            self.rng.normal(0, 0.1, c),  # beta
            self.rng.normal(0, 0.1, c),  # running mean
            self.rng.uniform(0.5, 1.5, c),  # running var
        )
        names = [self.weight(p, kind) for p, kind in zip(params, ("gamma", "beta", "mean", "var"))]
        return self.node("BatchNormalization", [x, *names], epsilon=1e-5, momentum=0.9)

    def relu(self, x: str) -> str:
        return self.node("Relu", [x])

    def relu6(self, x: str) -> str:
        lo, hi = self.const(np.array(0, np.float32)), self.const(np.array(6, np.float32))
        return self.node("Clip", [x, lo, hi])

    def conv_bn(self, x: str, cin: int, cout: int, k: int, stride: int = 1, groups: int = 1,
                act: Callable[[str], str] | None = None, gain: float = 1.0) -> str:
        y = self.bn(self.conv(x, cin, cout, k, stride, groups), cout, gain)
        return act(y) if act else y

    def max_pool(self, x: str, k: int, stride: int, pad: int = 0, ceil: bool = False) -> str:
        return self.node("MaxPool", [x], kernel_shape=[k, k], strides=[stride, stride],
                         pads=[pad] * 4, ceil_mode=int(ceil))

    def classifier(self, x: str, features: int, classes: int) -> str:
        """GlobalAveragePool, Flatten and Gemm (nn.Linear: transB=1)."""
        flat = self.node("Flatten", [self.node("GlobalAveragePool", [x])], axis=1)
        return self.gemm(flat, features, classes)

    def gemm(self, x: str, features: int, classes: int) -> str:
        w = self.weight(self.rng.normal(0, 1 / np.sqrt(features), (classes, features)), "fc_w")
        b = self.weight(self.rng.normal(0, 0.1, classes), "fc_b")
        return self.node("Gemm", [x, w, b], alpha=1.0, beta=1.0, transB=1)

    def model(self, name: str, batch: int | None, channels: int, size: int,
              output: str) -> ModelProto:
        dims = ["N" if batch is None else batch, channels, size, size]
        graph = helper.make_graph(
            self.nodes, name, [helper.make_tensor_value_info("input", TensorProto.FLOAT, dims)],
            [helper.make_tensor_value_info(output, TensorProto.FLOAT, None)], self.initializers,
        )
        model = helper.make_model(
            graph, opset_imports=[helper.make_opsetid("", OPSET)], ir_version=IR_VERSION,
            producer_name="relayout.frontend.models",
        )
        # The output's shape is whatever ONNX infers; the checker wants it spelled out.
        inferred = onnx.shape_inference.infer_shapes(model)
        model.graph.output[0].CopyFrom(inferred.graph.output[0])
        onnx.checker.check_model(model)
        return model


def _basic_block(net: _Net, x: str, cin: int, cout: int, stride: int) -> str:
    y = net.conv_bn(x, cin, cout, 3, stride, act=net.relu)
    y = net.conv_bn(y, cout, cout, 3, gain=0.2)
    if stride != 1 or cin != cout:
        x = net.conv_bn(x, cin, cout, 1, stride)
    return net.relu(net.node("Add", [y, x]))


def _bottleneck(net: _Net, x: str, cin: int, width: int, stride: int) -> str:
    cout = width * 4
    y = net.conv_bn(x, cin, width, 1, act=net.relu)
    y = net.conv_bn(y, width, width, 3, stride, act=net.relu)  # stride on 3x3 (ResNet v1.5)
    y = net.conv_bn(y, width, cout, 1, gain=0.2)
    if stride != 1 or cin != cout:
        x = net.conv_bn(x, cin, cout, 1, stride)
    return net.relu(net.node("Add", [y, x]))


# A residual block: the net, its input, input channels, width and stride.
_Block = Callable[[_Net, str, int, int, int], str]


def _resnet(name: str, block: _Block, expansion: int, depths: Sequence[int],
            batch: int | None, size: int, classes: int, seed: int) -> ModelProto:
    _check_args(batch, size)  # every conv and pool is padded: any size fits
    net = _Net(seed)
    x = net.conv_bn("input", 3, 64, 7, 2, act=net.relu)
    x = net.max_pool(x, 3, 2, pad=1)
    cin = 64
    for stage, (depth, width) in enumerate(zip(depths, (64, 128, 256, 512))):
        for i in range(depth):
            stride = 2 if stage > 0 and i == 0 else 1
            x = block(net, x, cin, width, stride)
            cin = width * expansion
    return net.model(name, batch, 3, size, net.classifier(x, cin, classes))


def resnet18(batch: int | None = 1, size: int = 224, classes: int = 1000,
             seed: int = 0) -> ModelProto:
    return _resnet("resnet18", _basic_block, 1, (2, 2, 2, 2), batch, size, classes, seed)


def resnet50(batch: int | None = 1, size: int = 224, classes: int = 1000,
             seed: int = 0) -> ModelProto:
    return _resnet("resnet50", _bottleneck, 4, (3, 4, 6, 3), batch, size, classes, seed)


# torchvision's MobileNetV2 settings: expansion t, channels c, repeats n, first stride s.
_MOBILENET_V2 = ((1, 16, 1, 1), (6, 24, 2, 2), (6, 32, 3, 2), (6, 64, 4, 2),
                 (6, 96, 3, 1), (6, 160, 3, 2), (6, 320, 1, 1))


def _inverted_residual(net: _Net, x: str, cin: int, cout: int, stride: int, t: int) -> str:
    hidden = cin * t
    y = net.conv_bn(x, cin, hidden, 1, act=net.relu6) if t != 1 else x
    y = net.conv_bn(y, hidden, hidden, 3, stride, groups=hidden, act=net.relu6)  # depthwise
    y = net.conv_bn(y, hidden, cout, 1, gain=0.2)
    return net.node("Add", [x, y]) if stride == 1 and cin == cout else y


def mobilenet_v2(batch: int | None = 1, size: int = 224, classes: int = 1000,
                 seed: int = 0) -> ModelProto:
    _check_args(batch, size)  # every conv is padded: any size fits
    net = _Net(seed)
    x = net.conv_bn("input", 3, 32, 3, 2, act=net.relu6)
    cin = 32
    for t, c, n, s in _MOBILENET_V2:
        for i in range(n):
            x = _inverted_residual(net, x, cin, c, s if i == 0 else 1, t)
            cin = c
    x = net.conv_bn(x, cin, 1280, 1, act=net.relu6)
    return net.model("mobilenet_v2", batch, 3, size, net.classifier(x, 1280, classes))


def _fire(net: _Net, x: str, cin: int, squeeze: int, expand: int) -> str:
    s = net.relu(net.conv(x, cin, squeeze, 1, bias=True))
    e1 = net.relu(net.conv(s, squeeze, expand, 1, bias=True))
    e3 = net.relu(net.conv(s, squeeze, expand, 3, bias=True))
    return net.node("Concat", [e1, e3], axis=1)


# SqueezeNet 1.1's fire modules (squeeze, expand) between its three max pools.
_SQUEEZENET_FIRES = (((16, 64), (16, 64)), ((32, 128), (32, 128)),
                     ((48, 192), (48, 192), (64, 256), (64, 256)))


def squeezenet(batch: int | None = 1, size: int = 224, classes: int = 1000,
               seed: int = 0) -> ModelProto:
    """SqueezeNet 1.1: convs with bias and no BN, ceil-mode pools, fire modules."""
    # The last unpadded 3x3 pool needs 3 pixels: 6 before the second, 12 before the
    # first, 25 before the unpadded stride-2 3x3 conv.
    _check_args(batch, size, minimum=25)
    net = _Net(seed)
    x = net.relu(net.conv("input", 3, 64, 3, 2, bias=True, pad=0))
    cin = 64
    for stage in _SQUEEZENET_FIRES:
        x = net.max_pool(x, 3, 2, ceil=True)
        for squeeze, expand in stage:
            x = _fire(net, x, cin, squeeze, expand)
            cin = 2 * expand
    x = net.relu(net.conv(x, cin, classes, 1, bias=True))
    flat = net.node("Flatten", [net.node("GlobalAveragePool", [x])], axis=1)
    return net.model("squeezenet", batch, 3, size, flat)


def _double_conv(net: _Net, x: str, cin: int, cout: int) -> str:
    y = net.conv_bn(x, cin, cout, 3, act=net.relu)
    return net.conv_bn(y, cout, cout, 3, act=net.relu)


def _up(net: _Net, x: str, skip: str, cin: int, cout: int) -> str:
    """Nearest 2x upsampling (as nn.Upsample exports), an unpadded 3x3 conv, then Pad
    back to the skip's size (as UNet ports do with F.pad) and Concat with the skip."""
    scales = net.const(np.array([1, 1, 2, 2], np.float32))
    y = net.node("Resize", [x, "", scales], mode="nearest",
                 coordinate_transformation_mode="asymmetric", nearest_mode="floor")
    y = net.relu(net.conv(y, cin, cout, 3, bias=True, pad=0))
    pads = net.const(np.array([0, 0, 1, 1, 0, 0, 1, 1], np.int64))
    y = net.node("Pad", [y, pads], mode="constant")
    return _double_conv(net, net.node("Concat", [skip, y], axis=1), 2 * cout, cout)


def unet(batch: int | None = 1, size: int = 64, classes: int = 2, width: int = 8,
         seed: int = 0) -> ModelProto:
    """A three-level UNet whose output is a per-pixel map of ``classes`` channels;
    ``size`` must be divisible by 4."""
    # Two 2x2 pools, then the unpadded 3x3 conv after upsampling needs 4 pixels; Pad
    # restores the skip's size only when both pools halve it exactly.
    _check_args(batch, size, minimum=8, multiple=4)
    net = _Net(seed)
    e1 = _double_conv(net, "input", 3, width)
    e2 = _double_conv(net, net.max_pool(e1, 2, 2), width, 2 * width)
    mid = _double_conv(net, net.max_pool(e2, 2, 2), 2 * width, 4 * width)
    d2 = _up(net, mid, e2, 4 * width, 2 * width)
    d1 = _up(net, d2, e1, 2 * width, width)
    return net.model("unet", batch, 3, size, net.conv(d1, width, classes, 1, bias=True))


def gemm_softmax_head(batch: int | None = 1, size: int = 32, classes: int = 10,
                      seed: int = 0) -> ModelProto:
    """Two conv stages, then Flatten of the whole spatial map, Gemm and Softmax."""
    _check_args(batch, size, minimum=4)  # two 2x2 pools need 4 pixels
    net = _Net(seed)
    x = net.max_pool(net.relu(net.conv("input", 3, 8, 3, bias=True)), 2, 2)
    x = net.max_pool(net.relu(net.conv(x, 8, 16, 3, bias=True)), 2, 2)
    flat = net.node("Flatten", [x], axis=1)
    logits = net.gemm(flat, 16 * (size // 4) ** 2, classes)
    return net.model("gemm_softmax", batch, 3, size, net.node("Softmax", [logits], axis=1))


EXAMPLES: dict[str, Callable[..., ModelProto]] = {
    "resnet18": resnet18,
    "resnet50": resnet50,
    "mobilenet_v2": mobilenet_v2,
    "squeezenet": squeezenet,
    "unet": unet,
    "gemm_softmax": gemm_softmax_head,
}
