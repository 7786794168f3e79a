"""The activation ops of `dialects/nn/elementwise.py` (HardSigmoid ... Softplus, Sqrt,
Reciprocal, PRelu, Pow, variadic Sum/Max/Min): each op's reference against ONNX Runtime on a one-node model
imported by `from_onnx`, the emulated CUDA C against the interpreter, a parse/print
round trip, and a PRelu slope that follows a conv into NHWC."""

from __future__ import annotations

import numpy as np
import onnx
import onnxruntime as ort
import pytest
from onnx import TensorProto, helper, numpy_helper

from relayout import api
from relayout.dialects.context import parse_module
from relayout.dialects.nn import elementwise as ew
from relayout.frontend.errors import OnnxImportError
from relayout.frontend.onnx_import import from_onnx
from relayout.fuzz.networks import elementwise_ops
from relayout.interpreters.nn import interpret
from relayout.passes.pipeline import run_pipeline

SHAPE = (2, 3, 4, 5)
RNG = np.random.default_rng(0)
# Standard normal values, and a few far out (Softplus, Elu and Selu must not overflow).
X = (RNG.standard_normal(SHAPE) * 2).astype(np.float32)
X.flat[:6] = [-100.0, -30.0, -0.0, 0.0, 30.0, 88.0]


def model_of(op_type: str, inputs: list, opset: int = 17, **attrs) -> onnx.ModelProto:
    """One node: a shape is a graph input ``x<i>``, an array an initializer."""
    names, graph_inputs, inits = [], [], []
    for i, spec in enumerate(inputs):
        names.append(f"x{i}")
        if isinstance(spec, np.ndarray):
            inits.append(numpy_helper.from_array(spec, f"x{i}"))
        else:
            graph_inputs.append(helper.make_tensor_value_info(f"x{i}", TensorProto.FLOAT, spec))
    node = helper.make_node(op_type, names, ["y"], name="n0", **attrs)
    graph = helper.make_graph([node], "g", graph_inputs,
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)], inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)], ir_version=8)
    inferred = onnx.shape_inference.infer_shapes(model)
    model.graph.output[0].CopyFrom(inferred.graph.output[0])
    onnx.checker.check_model(model)
    return model


def run_ort(model: onnx.ModelProto, feeds: list[np.ndarray]) -> np.ndarray:
    session = ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])
    names = [i.name for i in session.get_inputs()]
    return session.run(None, dict(zip(names, feeds)))[0]


# (ONNX op_type, attributes, opset, the op it imports as, tolerance)
UNARY = [
    ("HardSigmoid", {}, 17, ew.HardSigmoidOp),
    ("HardSigmoid", {"alpha": 0.3, "beta": 0.4}, 17, ew.HardSigmoidOp),
    ("HardSwish", {}, 17, ew.HardSwishOp),
    ("Exp", {}, 17, ew.ExpOp),
    ("Neg", {}, 17, ew.NegOp),
    ("Erf", {}, 17, ew.ErfOp),
    ("LeakyRelu", {}, 17, ew.LeakyReluOp),
    ("LeakyRelu", {"alpha": 0.2}, 17, ew.LeakyReluOp),
    ("Elu", {}, 17, ew.EluOp),
    ("Elu", {"alpha": 0.5}, 17, ew.EluOp),
    ("Selu", {}, 17, ew.SeluOp),
    ("Selu", {"alpha": 1.5, "gamma": 2.0}, 17, ew.SeluOp),
    ("Softplus", {}, 17, ew.SoftplusOp),
]


def _id(case: tuple) -> str:
    return case[0] + "".join(f"-{k}={v}" for k, v in case[1].items())


@pytest.mark.parametrize("case", UNARY, ids=_id)
def test_unary_imports_and_matches_onnxruntime(case):
    op_type, attrs, opset, op = case
    x = X if op_type != "Exp" else np.clip(X, -80, 80)
    model = model_of(op_type, [SHAPE], opset, **attrs)
    module = from_onnx(model)
    module.verify()
    (node,) = [o for o in module.walk() if isinstance(o, op)]
    for name, value in attrs.items():  # an absent attribute takes ONNX's default
        assert getattr(node, name).value.data == pytest.approx(value)
    (ours,) = interpret(module, [x])
    theirs = run_ort(model, [x])
    np.testing.assert_allclose(ours, theirs, rtol=2e-6, atol=1e-6)


def test_absent_attributes_take_onnx_defaults():
    defaults = {
        ew.HardSigmoidOp: {"alpha": 0.2, "beta": 0.5}, ew.LeakyReluOp: {"alpha": 0.01},
        ew.EluOp: {"alpha": 1.0},
        ew.SeluOp: {"alpha": 1.67326319217681884765625, "gamma": 1.05070102214813232421875},
    }
    for op, props in defaults.items():
        onnx_name = op.ONNX[0]
        module = from_onnx(model_of(onnx_name, [SHAPE]))
        (node,) = [o for o in module.walk() if isinstance(o, op)]
        for name, value in props.items():
            assert getattr(node, name).value.data == np.float32(value), (onnx_name, name)


@pytest.mark.parametrize("approximate", ["none", "tanh"])
def test_gelu_imports_by_its_approximation_and_matches_onnxruntime(approximate):
    model = model_of("Gelu", [SHAPE], 20, approximate=approximate)
    theirs = run_ort(model, [X])
    module = from_onnx(model)
    op = ew.GeluOp if approximate == "none" else ew.GeluTanhOp
    assert [o for o in module.walk() if isinstance(o, op)]
    (ours,) = interpret(module, [X])
    np.testing.assert_allclose(ours, theirs, rtol=2e-6, atol=1e-6)


def test_gelu_with_an_unknown_approximation_names_it():
    model = model_of("Gelu", [SHAPE], 20, approximate="tanh")
    model.graph.node[0].attribute[0].s = b"cubic"
    with pytest.raises(OnnxImportError, match="n0.*approximate 'cubic'"):
        from_onnx(model)


@pytest.mark.parametrize("slope", [(3, 1, 1), (5,), (), (2, 3, 4, 5)], ids=str)
def test_prelu_imports_and_matches_onnxruntime(slope):
    s = RNG.uniform(-0.5, 0.5, slope).astype(np.float32)
    model = model_of("PRelu", [SHAPE, s])
    module = from_onnx(model)
    assert any(isinstance(o, ew.PReluOp) for o in module.walk())
    np.testing.assert_array_equal(interpret(module, [X])[0], run_ort(model, [X]))


@pytest.mark.parametrize("op_type", ["Sqrt", "Reciprocal"])
def test_positive_domain_ops_import_and_match_onnxruntime(op_type):
    x = np.abs(X) + np.float32(0.01)
    model = model_of(op_type, [SHAPE])
    module = from_onnx(model)
    op = {"Sqrt": ew.SqrtOp, "Reciprocal": ew.ReciprocalOp}[op_type]
    assert any(isinstance(o, op) for o in module.walk())
    np.testing.assert_allclose(interpret(module, [x])[0], run_ort(model, [x]), rtol=1e-6)


@pytest.mark.parametrize("exponent", [np.array(2, np.float32),
                                      np.array([0.5, 1, 2, 3, -1], np.float32)],
                         ids=["scalar", "row"])
def test_pow_broadcasts_and_matches_onnxruntime(exponent):
    x = np.abs(X) + np.float32(0.1)
    model = model_of("Pow", [SHAPE, exponent])
    module = from_onnx(model)
    assert any(isinstance(o, ew.PowOp) for o in module.walk())
    np.testing.assert_allclose(interpret(module, [x])[0], run_ort(model, [x]), rtol=1e-6)


def test_pow_to_an_integer_exponent_is_refused_naming_the_node():
    with pytest.raises(OnnxImportError, match="n0.*int64 constant"):
        from_onnx(model_of("Pow", [SHAPE, np.array(2, np.int64)]))


@pytest.mark.parametrize("op_type", ["Sum", "Max", "Min"])
@pytest.mark.parametrize("n", [1, 2, 3])
def test_variadic_ops_import_as_a_chain(op_type, n):
    shapes = [SHAPE, (5,), (3, 1, 1)][:n]
    model = model_of(op_type, shapes)
    module = from_onnx(model)
    feeds = [RNG.standard_normal(s).astype(np.float32) for s in shapes]
    np.testing.assert_allclose(interpret(module, feeds)[0], run_ort(model, feeds), rtol=1e-6)


ACTIVATIONS = [
    ew.HardSigmoidOp, ew.HardSwishOp, ew.ExpOp, ew.NegOp, ew.ErfOp, ew.GeluOp,
    ew.GeluTanhOp, ew.LeakyReluOp, ew.EluOp, ew.SeluOp, ew.SoftplusOp, ew.SqrtOp,
    ew.ReciprocalOp,
]


def _unary_module(op: type[ew.UnaryOp], props: str = "") -> str:
    return f"""
func.func @main(%x: tensor<2x3x4x5xf32>) -> tensor<2x3x4x5xf32> {{
  %y = {op.name} %x {props}: tensor<2x3x4x5xf32>
  func.return %y : tensor<2x3x4x5xf32>
}}
"""


@pytest.mark.parametrize("op", ACTIVATIONS, ids=lambda op: op.name)
def test_emulated_c_equals_the_interpreter(op):
    module = parse_module(_unary_module(op))
    x = X if op is not ew.ExpOp else np.clip(X, -80, 80)
    if op in (ew.SqrtOp, ew.ReciprocalOp):
        x = np.abs(X) + np.float32(0.01)
    (want,) = interpret(module, [x])
    (got,) = api.run(module, [x], "emulate")
    np.testing.assert_allclose(got, want, rtol=2e-6, atol=1e-6)


def test_emulated_prelu_equals_the_interpreter():
    module = parse_module("""
func.func @main(%x: tensor<2x3x4x5xf32>, %s: tensor<3x1x1xf32>) -> tensor<2x3x4x5xf32> {
  %y = nn.prelu %x, %s : (tensor<2x3x4x5xf32>, tensor<3x1x1xf32>) -> tensor<2x3x4x5xf32>
  func.return %y : tensor<2x3x4x5xf32>
}
""")
    s = np.array([0.1, -0.2, 0.3], np.float32).reshape(3, 1, 1)
    (want,) = interpret(module, [X, s])
    (got,) = api.run(module, [X, s], "emulate")
    np.testing.assert_array_equal(got, want)


def test_emulated_pow_equals_the_interpreter():
    module = parse_module("""
func.func @main(%x: tensor<2x3x4x5xf32>, %e: tensor<5xf32>) -> tensor<2x3x4x5xf32> {
  %y = nn.pow %x, %e : (tensor<2x3x4x5xf32>, tensor<5xf32>) -> tensor<2x3x4x5xf32>
  func.return %y : tensor<2x3x4x5xf32>
}
""")
    x = np.abs(X) + np.float32(0.1)
    e = np.array([0.5, 1, 2, 3, -1], np.float32)
    (want,) = interpret(module, [x, e])
    (got,) = api.run(module, [x, e], "emulate")
    np.testing.assert_allclose(got, want, rtol=2e-6)


def test_parse_print_round_trip():
    text = """
func.func @main(%x: tensor<2x3xf32>, %s: tensor<3xf32>) {
  %a = nn.hard_sigmoid %x {alpha = 3.000000e-01 : f32, beta = 4.000000e-01 : f32} : tensor<2x3xf32>
  %b = nn.hard_swish %x : tensor<2x3xf32>
  %c = nn.exp %x : tensor<2x3xf32>
  %d = nn.neg %x : tensor<2x3xf32>
  %e = nn.erf %x : tensor<2x3xf32>
  %f = nn.gelu %x : tensor<2x3xf32>
  %g = nn.gelu_tanh %x : tensor<2x3xf32>
  %h = nn.leaky_relu %x {alpha = 2.000000e-01 : f32} : tensor<2x3xf32>
  %i = nn.elu %x : tensor<2x3xf32>
  %j = nn.selu %x : tensor<2x3xf32>
  %k = nn.softplus %x : tensor<2x3xf32>
  %l = nn.prelu %x, %s : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %m = nn.sqrt %x : tensor<2x3xf32>
  %n = nn.reciprocal %x : tensor<2x3xf32>
  %o = nn.pow %x, %s : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  func.return
}
"""
    module = parse_module(text)
    printed = str(module)
    assert str(parse_module(printed)) == printed
    assert "nn.hard_sigmoid %x {alpha = 3.000000e-01 : f32, beta = 4.000000e-01 : f32}" in printed
    assert "nn.prelu %x, %s : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>" in printed
    # An absent property is its default.
    (elu,) = [o for o in module.walk() if isinstance(o, ew.EluOp)]
    assert elu.alpha.value.data == 1.0


def test_the_fuzzer_draws_them():
    drawn = set(elementwise_ops())
    assert {*ACTIVATIONS, ew.PReluOp, ew.PowOp} <= drawn


CONV_PRELU = """
func.func @main(%x: tensor<1x3x8x8xf32>) -> tensor<1x4x8x8xf32> {
  %w = nn.constant dense<0.25> : tensor<4x3x3x3xf32>
  %s = nn.constant dense<[[[0.1]], [[-0.2]], [[0.3]], [[0.5]]]> : tensor<4x1x1xf32>
  %c = nn.conv2d %x, %w {padding = array<i64: 1, 1, 1, 1>} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x8x8xf32>
  %y = nn.prelu %c, %s : (tensor<1x4x8x8xf32>, tensor<4x1x1xf32>) -> tensor<1x4x8x8xf32>
  func.return %y : tensor<1x4x8x8xf32>
}
"""


def test_prelu_channel_slope_follows_the_conv_into_nhwc():
    x = RNG.standard_normal((1, 3, 8, 8)).astype(np.float32)
    module = parse_module(CONV_PRELU)
    (want,) = interpret(module, [x])
    run_pipeline(module, "optimize-layout{conv2d=NHWC,default}")
    (op,) = [o for o in module.walk() if isinstance(o, ew.PReluOp)]
    assert list(op.result.type.get_shape()) == [1, 8, 8, 4]
    assert len(api.explain(module)) == 2  # the function's input and output only
    (got,) = interpret(module, [x])
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)
    (emulated,) = api.run(module, [x], "emulate")
    np.testing.assert_allclose(emulated, want, rtol=1e-5, atol=1e-5)
