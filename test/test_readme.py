"""The README's IR example parses, and its Python snippet runs it with the right result."""

import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from relayout.cli import operators_markdown

README = (Path(__file__).parent.parent / "README.md").read_text()


def block(language: str) -> str:
    (text,) = re.findall(rf"```{language}\n(.*?)```", README, re.DOTALL)
    return text


def test_python_snippet_runs_the_ir_example(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "model.mlir").write_text(block("mlir"))
    monkeypatch.chdir(tmp_path)
    scope: dict = {}
    exec(block("python"), scope)  # noqa: S102 -- the README's own snippet
    x, y = scope["x"], scope["y"]

    window_sums = np.lib.stride_tricks.sliding_window_view(
        np.pad(x, ((0, 0), (0, 0), (1, 1), (1, 1))), (3, 3), axis=(2, 3)
    ).sum(axis=(1, 4, 5))
    expected = np.maximum(0.1 * window_sums + 0.5, 0)[:, None].repeat(16, axis=1)
    np.testing.assert_allclose(y, expected, rtol=1e-5)


def test_operator_table_is_the_generated_one() -> None:
    (table,) = re.findall(r"<!-- relayout operators -->\n(.*?)\n<!-- end relayout operators -->",
                          README, re.DOTALL)
    assert table == operators_markdown(), "regenerate it: relayout operators"


def test_cuda_plan_example_is_what_the_command_prints() -> None:
    """The `-t cuda` example in "Where does a layout transform's data movement happen?"."""
    ((pipeline, shown),) = re.findall(
        r"```sh\nxdsl-opt examples/conv_relu\.mlir -p '([^']*)' -t cuda\n```\n```text\n(.*?)```",
        README, re.DOTALL)
    root = Path(__file__).parent.parent
    printed = subprocess.run(
        [Path(sys.executable).parent / "xdsl-opt", "examples/conv_relu.mlir", "-p", pipeline,
         "-t", "cuda"], cwd=root, capture_output=True, text=True, check=True).stdout
    assert printed.startswith(shown), "regenerate it with the command above it"
