"""bench/kernel_report.py on a generated conv net: ptxas's figures for every kernel, and
the SASS main loop's FFMA : LDS ratio for the GEMM kernels where cuobjdump is found
(skipped without nvcc)."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent.parent


@pytest.mark.skipif(shutil.which("nvcc") is None, reason="nvcc is not installed")
def test_reports_every_kernel(tmp_path: Path) -> None:
    source = tmp_path / "net.cu"
    subprocess.run([sys.executable, "-m", "relayout.cli", "compile", "--example", "resnet18",
                    "--size", "32", "--layout", "NHWC", "--emit", "cuda", "-o", str(source)],
                   check=True, capture_output=True)
    launched = set(re.findall(r"^// launch (\w+)", source.read_text(), re.MULTILINE))
    out = subprocess.run([sys.executable, str(ROOT / "bench" / "kernel_report.py"), str(source)],
                         check=True, capture_output=True, text=True).stdout
    rows = {line.split()[0]: line.split() for line in out.splitlines()[1:]
            if not line.startswith("(")}
    assert set(rows) == launched
    for name, row in rows.items():
        assert int(row[4]) == 0, f"{name} spills"
        gemm = "conv2d" in name or "dense" in name
        if "no cuobjdump" in out:
            assert row[7] == "-"
        elif gemm:
            ratio = re.fullmatch(r"\((.*)/f\)", row[-1])
            assert ratio, f"{name}: no main loop found in the SASS"
            per_float = float(ratio[1])
            assert per_float >= 2, f"{name} reuses each shared float only {per_float} times"
