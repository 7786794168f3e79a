"""The bad-input fuzzer of issue 7, bounded for CI (`bench/fuzz_bad_input.py` runs it
long), and a regression test for each bug it found: every one ended in a traceback, a
hang or C that did not compile before its fix."""

import tracemalloc

import numpy as np
import onnx
import pytest
from onnx import TensorProto, helper, numpy_helper

from relayout.fuzz.bad_input import c_problems, campaign, problems, run_cli
from relayout.fuzz.mutations import KINDS

EXAMPLES = 50


@pytest.mark.parametrize("kind", KINDS)
def test_bad_input_ends_cleanly(kind):
    result = campaign(kind, EXAMPLES, seed_=0)
    assert result.tried > 0
    assert not result.failures, "\n\n".join(
        f"{case}\n" + "\n".join(found) for case, found in result.failures[:3]
    )


def clean_error(argv, *fragments, timeout=10):
    outcome = run_cli([str(a) for a in argv], timeout)
    assert not problems(outcome, valid=False), outcome.err
    assert outcome.code == 2
    for fragment in fragments:
        assert fragment in outcome.err
    return outcome


def write(tmp_path, name, data):
    path = tmp_path / name
    path.write_bytes(data if isinstance(data, bytes) else data.encode())
    return path


def test_unterminated_string_literal_does_not_hang(tmp_path):
    """xDSL's string pattern backtracked exponentially: a file cut inside a long hex
    constant never finished lexing."""
    text = 'func.func @main() {\n  %c = nn.constant dense<"0x' + "3DCCCCCD" * 200
    clean_error(["compile", write(tmp_path, "cut.mlir", text), "--layout", "NHWC"],
                "cut.mlir:2:", "End of file reached before closing string literal")


HUGE_IR = {
    # A splat was expanded to a list of 10^10 Python floats while parsing.
    "splat": "func.func @main() -> tensor<100000x100000xf32> {\n"
             "  %c = nn.constant dense<1.0> : tensor<100000x100000xf32>\n"
             "  func.return %c : tensor<100000x100000xf32>\n}\n",
    # `run` drew a random input of 10^15 elements.
    "argument": "func.func @main(%x: tensor<100000x100000x100000xf32>) -> "
                "tensor<100000x100000x100000xf32> {\n"
                "  func.return %x : tensor<100000x100000x100000xf32>\n}\n",
}


def peak_bytes(argv, *fragments):
    tracemalloc.start()
    try:
        clean_error(argv, *fragments)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize("kind", sorted(HUGE_IR))
def test_huge_ir_shape_is_refused_before_allocating(tmp_path, kind):
    path = write(tmp_path, "huge.mlir", HUGE_IR[kind])
    peak = peak_bytes(["run", path], "huge.mlir:1:", "more than the limit of 268435456")
    assert peak < 32 << 20


def one_node_model(x_dims=(1, 4), initializer=None, op_type="Relu") -> onnx.ModelProto:
    inputs = ["x"] if initializer is None else ["x", initializer.name]
    graph = helper.make_graph(
        [helper.make_node(op_type, inputs, ["y"], name="n")], "g",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, list(x_dims))],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, list(x_dims))],
        [initializer] if initializer is not None else [],
    )
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)],
                             ir_version=8)


def test_huge_onnx_dims_are_refused_before_allocating(tmp_path):
    path = write(tmp_path, "in.onnx", one_node_model((100000, 100000, 100000))
                 .SerializeToString())
    assert peak_bytes(["run", path], "graph input 'x'", "more than the limit") < 32 << 20
    claim = numpy_helper.from_array(np.zeros(4, np.float32), "w")
    claim.dims[:] = [1000000, 1000000]
    model = one_node_model(initializer=claim, op_type="Add")
    path = write(tmp_path, "init.onnx", model.SerializeToString())
    assert peak_bytes(["import", path], "initializer 'w'", "more than the limit") < 32 << 20


def test_unknown_initializer_data_type(tmp_path):
    """numpy_helper raised a KeyError for a data_type outside the enum."""
    w = numpy_helper.from_array(np.ones(4, np.float32), "w")
    w.data_type = 999
    model = one_node_model(initializer=w, op_type="Add")
    path = write(tmp_path, "m.onnx", model.SerializeToString())
    clean_error(["import", path], "initializer 'w' has an unknown data type (999)")


def test_invalid_utf8_name(tmp_path):
    """Protobuf returns bytes for a string field that is not UTF-8, which broke the
    unsupported-operator message (sorting bytes with str)."""
    data = one_node_model().SerializeToString().replace(b"Relu", b"R\xfflu")
    clean_error(["import", write(tmp_path, "m.onnx", data)],
                "model.graph.node[0].op_type is not valid UTF-8 text")


FUSED = """func.func @main(%x: tensor<4xf32>) -> tensor<4xf32> {{
  %y = nn.fused {first}(%x) {{
  ^bb0(%a: tensor<4xf32>):
    %r = nn.relu %a : tensor<4xf32>
    nn.yield %r : tensor<4xf32>
  }} : (tensor<4xf32>) -> tensor<4xf32>
  %z = nn.fused {second}(%y) {{
  ^bb0(%b: tensor<4xf32>):
    %s = nn.sigmoid %b : tensor<4xf32>
    nn.yield %s : tensor<4xf32>
  }} : (tensor<4xf32>) -> tensor<4xf32>
  func.return %z : tensor<4xf32>
}}
"""


def test_kernel_name_never_reaches_the_c(tmp_path):
    """An nn.fused kernel name was pasted into the C as the function name."""
    text = FUSED.format(first='"fused_a\\22*/ evil(); /*"', second='"fused_b"')
    cu = tmp_path / "m.cu"
    clean_error(["compile", write(tmp_path, "m.mlir", text), "--layout", "NHWC",
                 "--emit", "cuda", "-o", cu], "nn.fused: kernel name", "must be 'fused_'")
    assert not cu.exists()


def test_one_kernel_name_for_two_kernels(tmp_path):
    """The plan kept the first kernel of a name, so the second group ran relu too."""
    text = FUSED.format(first='"fused_a"', second='"fused_a"')
    clean_error(["run", write(tmp_path, "m.mlir", text), "--device", "emulate"],
                "two different nn.fused kernels are both named 'fused_a'")


def test_nan_clip_bound_compiles(tmp_path):
    """c_float printed NaN as `nan.0f`, which is not C."""
    nan = numpy_helper.from_array(np.array(np.nan, np.float32), "lo")
    model = one_node_model(initializer=nan, op_type="Clip")
    cu = tmp_path / "m.cu"
    outcome = run_cli(["compile", str(write(tmp_path, "m.onnx", model.SerializeToString())),
                       "--layout", "NHWC", "--emit", "cuda", "-o", str(cu), "--quiet"])
    assert outcome.code == 0, outcome.err
    assert "NAN" in cu.read_text()
    assert c_problems(cu.read_text()) == []


def test_no_numpy_warnings_on_ieee_results(tmp_path):
    """Dividing by a zero weight printed numpy's RuntimeWarning with our source line."""
    zero = numpy_helper.from_array(np.zeros((1, 4), np.float32), "w")
    path = write(tmp_path, "m.onnx", one_node_model(initializer=zero, op_type="Div")
                 .SerializeToString())
    outcome = run_cli(["run", str(path)])
    assert outcome.code == 0 and outcome.err == "" and outcome.warnings == ()
