"""A small ConvNeXt (torchvision's layout of it, as exported to ONNX opset 17): a stem
conv and a LayerNorm2d, one CNBlock and the head. ConvNeXt permutes to channels-last
around every LayerNorm itself; in an NHWC network those permutes are relabelings of
values already channels-last, so the network keeps the one transform at its input (none
with io-layout=NHWC), and its Linear layers, GELU and layer scale follow the layout."""

import numpy as np
import onnx
import onnxruntime as ort
import pytest
from onnx import TensorProto, helper, numpy_helper
from xdsl.ir import BlockArgument

from relayout import layout as L
from relayout.dialects.nn import Conv2DOp, LayerNormOp, LayoutTransformOp, TransposeOp
from relayout.frontend.onnx_import import from_onnx
from relayout.interpreters.check import compare
from relayout.interpreters.nn import interpret
from relayout.lowering.cuda.plan import build_plan
from relayout.passes.pipeline import run_pipeline
from relayout.runtime.driver import load

C, SIZE, CLASSES = 16, 32, 10


class _Graph:
    def __init__(self) -> None:
        self.rng = np.random.default_rng(3)
        self.nodes: list[onnx.NodeProto] = []
        self.inits: list[onnx.TensorProto] = []

    def node(self, op: str, inputs: list[str], **attrs) -> str:
        out = f"t{len(self.nodes)}"
        self.nodes.append(helper.make_node(op, inputs, [out], name=f"{op}{len(self.nodes)}",
                                           **attrs))
        return out

    def const(self, array) -> str:
        name = f"c{len(self.inits)}"
        self.inits.append(numpy_helper.from_array(np.asarray(array, np.float32), name))
        return name

    def rand(self, *shape: int, scale: float = 1.0, low: float = 0.0) -> str:
        return self.const(low + scale * self.rng.standard_normal(shape))

    def layer_norm(self, x: str) -> str:
        return self.node("LayerNormalization", [x, self.rand(C, scale=0.2, low=1.0),
                                                self.rand(C, scale=0.1)], axis=-1, epsilon=1e-6)

    def layer_norm_2d(self, x: str) -> str:
        """torchvision's LayerNorm2d: permute to channels-last, normalize C, permute back."""
        y = self.layer_norm(self.node("Transpose", [x], perm=[0, 2, 3, 1]))
        return self.node("Transpose", [y], perm=[0, 3, 1, 2])

    def linear(self, x: str, cin: int, cout: int) -> str:
        y = self.node("MatMul", [x, self.rand(cin, cout, scale=cin**-0.5)])
        return self.node("Add", [y, self.rand(cout, scale=0.1)])

    def gelu(self, x: str) -> str:
        """As torch exports nn.GELU at opset 17: x * 0.5 * (1 + erf(x / sqrt 2))."""
        e = self.node("Erf", [self.node("Div", [x, self.const(np.sqrt(2.0))])])
        half = self.node("Mul", [x, self.node("Add", [e, self.const(1.0)])])
        return self.node("Mul", [half, self.const(0.5)])

    def block(self, x: str) -> str:
        y = self.node("Conv", [x, self.rand(C, 1, 7, 7, scale=0.15), self.rand(C, scale=0.1)],
                      group=C, pads=[3, 3, 3, 3])
        y = self.layer_norm(self.node("Transpose", [y], perm=[0, 2, 3, 1]))
        y = self.linear(self.gelu(self.linear(y, C, 4 * C)), 4 * C, C)
        y = self.node("Transpose", [y], perm=[0, 3, 1, 2])
        y = self.node("Mul", [self.rand(C, 1, 1, scale=0.3, low=0.5), y])  # layer scale
        return self.node("Add", [y, x])


def convnext() -> onnx.ModelProto:
    g = _Graph()
    x = g.node("Conv", ["x", g.rand(C, 3, 4, 4, scale=0.3), g.rand(C, scale=0.1)],
               strides=[4, 4])
    x = g.block(g.layer_norm_2d(x))
    x = g.layer_norm_2d(g.node("GlobalAveragePool", [x]))
    x = g.node("Gemm", [g.node("Flatten", [x]), g.rand(CLASSES, C, scale=0.25),
                        g.rand(CLASSES, scale=0.1)], transB=1)
    graph = helper.make_graph(
        g.nodes, "convnext",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 3, SIZE, SIZE])],
        [helper.make_tensor_value_info(x, TensorProto.FLOAT, [1, CLASSES])], g.inits,
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], ir_version=8)
    onnx.checker.check_model(model, full_check=True)
    return model


@pytest.fixture(scope="module")
def model() -> onnx.ModelProto:
    return convnext()


@pytest.fixture(scope="module")
def x() -> np.ndarray:
    return np.random.default_rng(0).standard_normal((1, 3, SIZE, SIZE)).astype(np.float32)


def _ort(model: onnx.ModelProto, x: np.ndarray) -> np.ndarray:
    session = ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])
    return session.run(None, {"x": x})[0]


def _check(got: np.ndarray, want: np.ndarray) -> None:
    result = compare(got, want, 1e-4)
    assert result.ok, str(result)


def _transforms(module) -> list[LayoutTransformOp]:
    return [op for op in module.walk() if isinstance(op, LayoutTransformOp)]


def test_imports_and_matches_onnxruntime(model, x):
    module = from_onnx(model)
    assert sum(isinstance(op, LayerNormOp) for op in module.walk()) == 3
    (got,) = interpret(module, [x])
    _check(got, _ort(model, x))


def test_nhwc_keeps_only_the_input_transform(model, x):
    module = run_pipeline(from_onnx(model), "optimize-layout{conv2d=NHWC,default}")
    (kept,) = _transforms(module)
    assert isinstance(kept.x, BlockArgument)  # the caller's NCHW input
    assert not any(isinstance(op, TransposeOp) for op in module.walk())
    assert all(op.data_layout.data == "NHWC" for op in module.walk() if isinstance(op, Conv2DOp))
    # Every LayerNorm normalizes the last axis, C of the NHWC activations.
    assert {tuple(op.axes.get_values()) for op in module.walk() if isinstance(op, LayerNormOp)} \
        == {(3,)}
    (got,) = interpret(module, [x])
    _check(got, _ort(model, x))


def test_io_layout_nhwc_keeps_none(model, x):
    module = run_pipeline(from_onnx(model), "optimize-layout{conv2d=NHWC,default io-layout=NHWC}")
    assert _transforms(module) == []
    (got,) = interpret(module, [L.transform(x, "NCHW", "NHWC")])
    _check(got, _ort(model, x))


def test_nhwc_emulates(model, x, backend):
    module = run_pipeline(from_onnx(model), "optimize-layout{conv2d=NHWC,default}")
    plan = build_plan(module)
    (got,) = load(plan, backend).run(x)
    _check(got, _ort(model, x))
