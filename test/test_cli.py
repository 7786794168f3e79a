"""The `relayout` command line: summaries, explanations, --check, and that every kind
of bad input is a one-paragraph message with exit code 2, never a traceback."""

import subprocess
import sys
from pathlib import Path

import numpy as np
import onnx
import pytest
from onnx import TensorProto, helper

from relayout.cli import check, main
from relayout.frontend.onnx_ops import converters

NET = ["--example", "resnet18", "--size", "32"]


def cli(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


def bad(capsys, *argv, fragments):
    code, _, err = cli(capsys, *argv)
    assert code == 2
    for fragment in fragments:
        assert fragment in err
    return err


def onnx_file(tmp_path, node, x_shape, y_shape, name="m.onnx"):
    graph = helper.make_graph(
        [node], "g", [helper.make_tensor_value_info("x", TensorProto.FLOAT, x_shape)],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, y_shape)],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    path = tmp_path / name
    onnx.save(model, path)
    return path


def test_compile_summary(capsys):
    code, out, _ = cli(capsys, "compile", *NET, "--layout", "NHWC")
    assert code == 0
    assert "layout_transforms: 21 → 1" in out
    assert "weights folded: 20" in out and "convert-layout" in out


def test_compile_json_times_every_stage_run(capsys):
    """fold-constants runs twice in optimize-layout; both runs are reported."""
    import json

    from relayout.api import optimize_pass

    code, out, _ = cli(capsys, "compile", *NET, "--layout", "NHWC", "--json")
    assert code == 0
    stages = [name for name, _ in json.loads(out)["stages_ms"]]
    assert stages == [s.name for s in optimize_pass("NHWC").stages()]
    assert stages.count("fold-constants") == 2


def test_compile_io_layout_leaves_none(capsys, tmp_path):
    target = tmp_path / "out.mlir"
    code, out, _ = cli(capsys, "compile", *NET, "--layout", "NHWC", "--io-layout", "NHWC",
                       "-o", str(target))
    assert code == 0 and "→ 0" in out
    assert "nn.layout_transform" not in target.read_text()


def test_explain_and_dot(capsys, tmp_path):
    dot = tmp_path / "g.dot"
    code, out, _ = cli(capsys, "explain", *NET, "--layout", "NHWC", "--dot", str(dot))
    assert code == 0
    assert "1 layout transform(s)" in out
    assert "%input NCHW -> NHWC" in out and "function boundary" in out
    text = dot.read_text()
    assert text.startswith("digraph") and text.count("fillcolor=red") == 1


def test_run_check_passes_against_onnxruntime(capsys):
    code, out, _ = cli(capsys, "run", "--example", "squeezenet", "--layout", "NHWC",
                       "--check")
    assert code == 0 and "max abs error" in out and "max |output|" in out
    assert "relative to magnitude" in out and ": ok (tolerance 1e-04)" in out


def test_run_check_mlir_against_unconverted(capsys, tmp_path):
    path = tmp_path / "m.mlir"
    assert cli(capsys, "import", "--example", "gemm_softmax", "-o", str(path))[0] == 0
    code, out, err = cli(capsys, "run", str(path), "--layout", "NHWC", "--check")
    assert code == 0 and ": ok (tolerance 1e-04)" in out and err == ""


def test_unsupported_onnx_op(capsys, tmp_path):
    path = onnx_file(tmp_path, helper.make_node("LpNormalization", ["x"], ["y"],
                                                name="norm"), [1, 4], [1, 4])
    bad(capsys, "compile", str(path), "--layout", "NHWC",
        fragments=[str(path), "'norm'", "unsupported operator"])


def test_old_opset_is_upgraded_with_a_note(capsys, tmp_path):
    path = onnx_file(tmp_path, helper.make_node("Relu", ["x"], ["y"]), [1, 2, 4, 4], [1, 2, 4, 4])
    model = onnx.load(path)
    model.opset_import[0].version = 6
    onnx.save(model, path)
    code, out, err = cli(capsys, "compile", str(path), "--layout", "NHWC")
    assert code == 0 and "optimized" in out
    assert f"relayout: note: {path}: opset 6 upgraded to 13 by onnx.version_converter" in err


def test_truncated_onnx(capsys, tmp_path):
    path = onnx_file(tmp_path, helper.make_node("Relu", ["x"], ["y"]), [1, 4], [1, 4])
    path.write_bytes(path.read_bytes()[:-7])
    bad(capsys, "import", str(path), fragments=[str(path), "cannot read the ONNX model"])


def test_dynamic_shape_needs_batch(capsys, tmp_path):
    path = onnx_file(tmp_path, helper.make_node("Relu", ["x"], ["y"]), ["N", 4], ["N", 4])
    bad(capsys, "import", str(path), fragments=[str(path), "'x'", "batch"])
    assert cli(capsys, "import", str(path), "--batch", "2")[0] == 0


def test_wrong_input_shape(capsys, tmp_path):
    x = tmp_path / "x.npy"
    np.save(x, np.zeros((1, 3, 16, 16), np.float32))
    bad(capsys, "run", "--example", "gemm_softmax", "--input", str(x),
        fragments=[str(x), "[1, 3, 16, 16]", "expects [1, 3, 32, 32]"])


def test_bad_layout(capsys):
    bad(capsys, "compile", *NET, "--layout", "NHWQ", fragments=["conv2d=NHWQ", "NCHW"])


@pytest.mark.parametrize("text, fragment", [
    ("func.func @main(\n", "ParseError"),
    (('func.func @main(%x: tensor<1xf32>) -> tensor<2xf32> {\n'
     '  %y = "nn.relu"(%x) : (tensor<1xf32>) -> tensor<2xf32>\n'
     '  func.return %y : tensor<2xf32>\n}\n'), "nn.relu"),
])
def test_malformed_mlir(capsys, tmp_path, text, fragment):
    path = tmp_path / "bad.mlir"
    path.write_text(text)
    bad(capsys, "compile", str(path), "--layout", "NHWC", fragments=[str(path), fragment])


def test_missing_file(capsys, tmp_path):
    bad(capsys, "run", str(tmp_path / "none.onnx"), fragments=["no such file"])


def test_module_entry_point_exit_code(tmp_path):
    """The real process: the message on stderr, exit code 2, no traceback."""
    result = subprocess.run(
        [sys.executable, "-m", "relayout.cli", "compile", str(tmp_path / "x.mlir"),
         "--layout", "NHWC"], check=False, capture_output=True, text=True,
    )
    assert result.returncode == 2
    assert "no such file" in result.stderr and "Traceback" not in result.stderr


def test_emit_cuda(capsys, tmp_path):
    pytest.importorskip("relayout.lowering.cuda.target")
    target = tmp_path / "m.cu"
    code, out, _ = cli(capsys, "compile", "--example", "gemm_softmax", "--layout", "NHWC",
                       "--emit", "cuda", "-o", str(target), "--quiet")
    assert code == 0 and out == ""
    assert "__global__" in target.read_text()


def test_emit_cuda_tf32(capsys, tmp_path):
    target = tmp_path / "m.cu"
    code, _, _ = cli(capsys, "compile", *NET, "--layout", "NHWC", "--emit", "cuda",
                     "--precision", "tf32", "-o", str(target), "--quiet")
    assert code == 0
    assert "#include <mma.h>" in target.read_text()
    assert "wmma::mma_sync" in target.read_text()


def test_run_tf32_check_against_onnxruntime(capsys):
    code, out, _ = cli(capsys, "run", *NET, "--layout", "NHWC", "--device", "emulate",
                       "--precision", "tf32", "--check")
    assert code == 0 and ": ok (tolerance 1e-02)" in out


def test_bad_precision(capsys):
    with pytest.raises(SystemExit) as exit:
        main(["run", *NET, "--precision", "bf16"])
    assert exit.value.code == 2
    assert "invalid choice: 'bf16'" in capsys.readouterr().err
    bad(capsys, "run", *NET, "--precision", "tf32",
        fragments=["precision tf32 needs device emulate or cuda"])
    bad(capsys, "compile", *NET, "--layout", "NHWC", "--precision", "tf32",
        fragments=["--precision tf32 applies to --emit cuda only"])


def test_check_failure_is_exit_1(capsys):
    want = (np.ones((2, 2), np.float32),)
    assert check((want[0] + 1e-3,), want) == 1
    assert ": FAILED (tolerance 1e-04)" in capsys.readouterr().out
    assert check((want[0] + 1e-3,), want, "tf32") == 0
    assert check(want, want) == 0
    assert check((), want) == 1
    assert "FAILED" in capsys.readouterr().out


def test_check_is_relative_to_the_output_magnitude(capsys):
    """Errors of 1e-5 on outputs of 100 pass (elementwise rtol/atol failed them); any
    error on outputs of 1e-14 that is not small against 1e-14 fails (atol passed it)."""
    rng = np.random.default_rng(0)
    big = (100 * rng.standard_normal((1, 1000))).astype(np.float32)
    big[0, 0] = 1e-6
    assert check((big + np.float32(4.5e-5),), (big,)) == 0
    out = capsys.readouterr().out
    assert out.startswith("check output #0: max abs error 4.")
    assert "max |output| " in out and "relative to magnitude " in out
    tiny = big * np.float32(1e-16)
    assert check((np.zeros_like(tiny),), (tiny,)) == 1
    assert check((np.zeros((3,), np.float32),), (np.zeros((3,), np.float32),)) == 0


def test_check_nan_positions_must_match(capsys):
    want = np.array([1.0, np.nan, np.inf], np.float32)
    assert check((want.copy(),), (want,)) == 0
    assert check((np.array([np.nan, 1.0, np.inf], np.float32),), (want,)) == 1
    assert "NaN/inf at different positions" in capsys.readouterr().out


def test_check_warns_when_the_output_ignores_the_input(capsys, tmp_path):
    """y = 0 * x + 1: any computation matching it proves little; a warning, exit 0."""
    zero = helper.make_tensor("zero", TensorProto.FLOAT, [], [0.0])
    one = helper.make_tensor("one", TensorProto.FLOAT, [], [1.0])
    graph = helper.make_graph(
        [helper.make_node("Mul", ["x", "zero"], ["t"]), helper.make_node("Add", ["t", "one"], ["y"])],
        "g", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 4])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 4])], [zero, one],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    onnx.save(model, tmp_path / "const.onnx")
    code, out, err = cli(capsys, "run", str(tmp_path / "const.onnx"), "--check")
    assert code == 0 and ": ok (tolerance" in out
    assert err.startswith("relayout: warning: output #0 barely depends on the input")
    assert "identical" in err and len(err.strip().splitlines()) == 1


def test_check_does_not_warn_for_a_real_network(capsys):
    code, out, err = cli(capsys, "run", "--example", "gemm_softmax", "--check")
    assert code == 0 and ": ok (tolerance" in out and err == ""


def test_api_round_trip():
    import relayout
    from relayout.frontend.models import gemm_softmax_head

    module = relayout.from_onnx(gemm_softmax_head(size=16))
    x = np.random.default_rng(1).standard_normal((1, 3, 16, 16)).astype(np.float32)
    (want,) = relayout.run(module.clone(), x)
    relayout.optimize(module, "NHWC", io_layout="NHWC")
    assert relayout.explain(module) == []
    (got,) = relayout.run(module, x.transpose(0, 2, 3, 1))
    np.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-5)
    with pytest.raises(ValueError, match="expects inputs of shapes"):
        relayout.run(module, [x, x])


def test_example_script():
    result = subprocess.run([sys.executable, "examples/lower_resnet.py"],
                            check=False, capture_output=True, text=True,
                            cwd=Path(__file__).parents[1])
    assert result.returncode == 0, result.stderr
    assert "layout_transform left: 1" in result.stdout


def test_operators_lists_every_converter(capsys):
    code, out, _ = cli(capsys, "operators")
    assert code == 0
    rows = [line.split(" | ")[0].strip("| ") for line in out.splitlines()[2:] if line.startswith("|")]
    assert rows == sorted(converters())
    assert all(line.count("|") == 3 and not line.endswith("|  |") for line in out.splitlines()
               if line.startswith("|"))
