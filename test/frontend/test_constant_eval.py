"""Import-time constant evaluation (frontend/constant_eval.py): shape arithmetic and
weight preprocessing become arrays before any `nn` op exists, the ops that can allocate
far more than they read are sized before they run, and what must not be evaluated (a
random op, an unknown domain) is left to the converters, which name it."""

from __future__ import annotations

import tracemalloc

import numpy as np
import pytest
from onnx import TensorProto, helper, numpy_helper

from relayout.dialects.nn.base import MAX_ELEMENTS
from relayout.frontend.constant_eval import constant_nodes
from relayout.frontend.errors import OnnxImportError
from relayout.frontend.onnx_import import from_onnx

X_SHAPE = (2, 3, 4, 4)


def _x():
    return helper.make_tensor_value_info("x", TensorProto.FLOAT, X_SHAPE)


def _ints(name: str, values) -> TensorProto:
    return numpy_helper.from_array(np.array(values, np.int64), name)


def _op_names(module) -> set[str]:
    return {op.name for op in module.walk()} - {"builtin.module", "func.func", "func.return"}


def _flatten_chain(opset: int) -> list:
    """`x.view(x.size(0), -1)` as the legacy torch exporter writes it."""
    if opset < 13:
        unsqueeze = helper.make_node("Unsqueeze", ["n"], ["n1"], axes=[0])
    else:
        unsqueeze = helper.make_node("Unsqueeze", ["n", "axis0"], ["n1"])
    return [
        helper.make_node("Shape", ["x"], ["s"]),
        helper.make_node("Gather", ["s", "zero"], ["n"], axis=0),
        unsqueeze,
        helper.make_node("Concat", ["n1", "minus_one"], ["target"], axis=0),
        helper.make_node("Reshape", ["x", "target"], ["flat"]),
        helper.make_node("Gemm", ["flat", "w", "b"], ["y"], transB=1),
    ]


@pytest.mark.parametrize("opset", [11, 13])
def test_legacy_flatten_chain_leaves_no_shape_ops(matches_ort, opset):
    rng = np.random.default_rng(0)
    initializers = [
        numpy_helper.from_array(np.array(0, np.int64), "zero"),
        _ints("axis0", [0]), _ints("minus_one", [-1]),
        numpy_helper.from_array(rng.standard_normal((5, 48)).astype(np.float32), "w"),
        numpy_helper.from_array(rng.standard_normal(5).astype(np.float32), "b"),
    ]
    # The exporter writes the output's shape, which ONNX inference cannot find before
    # opset 13 without propagating the shape's values.
    y = helper.make_tensor_value_info("y", TensorProto.FLOAT, (2, 5))
    graph = helper.make_graph(_flatten_chain(opset), "g", [_x()], [y], initializers)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])
    # Shape, Gather, Unsqueeze and Concat; the Reshape reads x.
    assert constant_nodes(model.graph, {t.name for t in initializers}) == {0, 1, 2, 3}
    x = rng.standard_normal(X_SHAPE).astype(np.float32)
    module = matches_ort(model, {"x": x})
    assert _op_names(module) == {"nn.constant", "nn.reshape", "nn.dense", "nn.add"}


def test_shape_slice_cast_range_constant_of_shape_expand(graph_model, matches_ort):
    """y = x * [0, 1, 2] over channels + a [H, W] plane of 0.5 + x's shape of 2.0, each
    operand built from x's shape; only the multiply and adds remain."""
    half = numpy_helper.from_array(np.array([0.5], np.float32))
    nodes = [
        helper.make_node("Shape", ["x"], ["s"]),
        helper.make_node("Slice", ["s", "one", "two"], ["c"]),          # [C]
        helper.make_node("Squeeze", ["c"], ["c0"]),
        helper.make_node("Range", ["zero", "c0", "step"], ["ramp"]),    # [0, 1, 2]
        helper.make_node("Cast", ["ramp"], ["ramp_f"], to=TensorProto.FLOAT),
        helper.make_node("Reshape", ["ramp_f", "c11"], ["scale"]),      # [C, 1, 1]
        helper.make_node("Slice", ["s", "two", "four"], ["hw"]),
        helper.make_node("ConstantOfShape", ["hw"], ["plane"], value=half),
        helper.make_node("Expand", ["two_f", "s"], ["full"]),
        helper.make_node("Mul", ["x", "scale"], ["m"]),
        helper.make_node("Add", ["m", "plane"], ["a"]),
        helper.make_node("Add", ["a", "full"], ["y"]),
    ]
    initializers = [
        _ints("one", [1]), _ints("two", [2]), _ints("four", [4]), _ints("c11", [3, 1, 1]),
        numpy_helper.from_array(np.array(0, np.int64), "zero"),
        numpy_helper.from_array(np.array(1, np.int64), "step"),
        numpy_helper.from_array(np.array([2.0], np.float32), "two_f"),
    ]
    model = graph_model(nodes, [_x()], ["y"], initializers, 17)
    x = np.random.default_rng(1).standard_normal(X_SHAPE).astype(np.float32)
    module = matches_ort(model, {"x": x})
    assert _op_names(module) == {"nn.constant", "nn.multiply", "nn.add"}


def test_unused_dropout_mask_is_ignored(graph_model, matches_ort):
    nodes = [helper.make_node("Dropout", ["x"], ["d", "mask"], name="drop"),
             helper.make_node("Relu", ["d"], ["y"])]
    model = graph_model(nodes, [_x()], ["y"], (), 13)
    x = np.random.default_rng(2).standard_normal(X_SHAPE).astype(np.float32)
    module = matches_ort(model, {"x": x})
    assert _op_names(module) == {"nn.relu"}


def _sized(op_type: str, inputs: list[str], initializers: list[TensorProto], **attrs):
    """``x + op(...)``, the op reading only initializers (so evaluated at import)."""
    nodes = [helper.make_node(op_type, inputs, ["big"], name="huge", **attrs),
             helper.make_node("Add", ["x", "big"], ["y"])]
    graph = helper.make_graph(nodes, "g", [_x()],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)],
                              initializers)
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])


def _scalar(name: str, value, dtype=np.int64) -> TensorProto:
    return numpy_helper.from_array(np.array(value, dtype), name)


ONE_F = numpy_helper.from_array(np.ones(1, np.float32), "one_f")
JUST_OVER = [1 << 14, (MAX_ELEMENTS >> 14) + 1]
"""Over the limit by a row, small enough that evaluating it would succeed (1 GiB): only
the size check, not a failed allocation, can refuse it."""

HUGE = [
    pytest.param("ConstantOfShape", ["shape"], [_ints("shape", [1 << 20, 1 << 20])],
                 id="constant_of_shape-2^40"),
    pytest.param("ConstantOfShape", ["shape"], [_ints("shape", JUST_OVER)],
                 id="constant_of_shape-just-over-limit"),
    pytest.param("Expand", ["one_f", "shape"], [ONE_F, _ints("shape", [1 << 20, 1 << 20])],
                 id="expand-2^40"),
    pytest.param("Expand", ["one_f", "shape"], [ONE_F, _ints("shape", JUST_OVER)],
                 id="expand-just-over-limit"),
    pytest.param("Tile", ["one_f", "reps"], [ONE_F, _ints("reps", [1 << 40])], id="tile-2^40"),
    pytest.param("Range", ["start", "limit", "delta"],
                 [_scalar("start", 0), _scalar("limit", 1 << 62), _scalar("delta", 1)],
                 id="range-2^62"),
    pytest.param("Range", ["start", "limit", "delta"],
                 [_scalar("start", 0.0, np.float32), _scalar("limit", 1e30, np.float32),
                  _scalar("delta", 1e-30, np.float32)], id="range-float-1e60"),
]


@pytest.mark.parametrize("op_type, inputs, initializers", HUGE)
def test_oversized_constant_is_refused_before_allocating(op_type, inputs, initializers):
    model = _sized(op_type, inputs, initializers)
    tracemalloc.start()
    try:
        with pytest.raises(OnnxImportError) as info:
            from_onnx(model)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    message = str(info.value)
    assert message.startswith(f"node 'huge' ({op_type}): the output of shape [")
    assert f"has more than the limit of {MAX_ELEMENTS} elements" in message
    assert peak < 16 << 20


def test_range_without_a_finite_length_names_the_node():
    initializers = [_scalar("start", 0.0, np.float32), _scalar("limit", 1.0, np.float32),
                    _scalar("delta", 0.0, np.float32)]
    with pytest.raises(OnnxImportError, match=r"^node 'huge' \(Range\): Range from 0.0 to 1.0 "
                       r"by 0.0 has no finite length$"):
        from_onnx(_sized("Range", ["start", "limit", "delta"], initializers))


@pytest.mark.parametrize("op_type, inputs, attrs", [
    ("RandomNormal", [], {"shape": list(X_SHAPE), "seed": 1.0}),
    ("RandomUniformLike", ["one_f"], {}),
], ids=["RandomNormal", "RandomUniformLike"])
def test_random_op_is_not_evaluated(op_type, inputs, attrs):
    # Evaluating it would freeze one draw into the model: it is left to the converters,
    # and there is none.
    model = _sized(op_type, inputs, [ONE_F], **attrs)
    assert constant_nodes(model.graph, {"one_f"}) == set()
    with pytest.raises(OnnxImportError, match=rf"^node 'huge' \({op_type}\): unsupported "
                       r"operator \(domain 'ai.onnx'\)"):
        from_onnx(model)


def test_unsupported_op_names_itself_and_its_node(graph_model):
    nodes = [helper.make_node("Hardmax", ["x"], ["y"], name="hm")]
    model = graph_model(nodes, [_x()], ["y"], (), 17)
    with pytest.raises(OnnxImportError, match=r"^node 'hm' \(Hardmax\): unsupported operator "
                       r"\(domain 'ai.onnx'\); this model uses 1 unsupported node\(s\) of "
                       r"type Hardmax$"):
        from_onnx(model)


def test_constant_op_of_another_domain_is_not_evaluated():
    node = helper.make_node("Twice", ["one_f"], ["big"], name="huge", domain="com.example")
    add = helper.make_node("Add", ["x", "big"], ["y"])
    graph = helper.make_graph([node, add], "g", [_x()],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)],
                              [ONE_F])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17),
                                                    helper.make_opsetid("com.example", 1)])
    assert constant_nodes(model.graph, {"one_f"}) == set()
    with pytest.raises(OnnxImportError, match=r"^node 'huge' \(Twice\): unsupported operator "
                       r"\(domain 'com.example'\)"):
        from_onnx(model)


def test_constant_node_the_evaluator_rejects_names_the_node():
    model = _sized("Reshape", ["one_f", "shape"], [ONE_F, _ints("shape", [2, 2])])
    with pytest.raises(OnnxImportError, match=r"^node 'huge' \(Reshape\): cannot evaluate this "
                       r"constant node at import: "):
        from_onnx(model)
