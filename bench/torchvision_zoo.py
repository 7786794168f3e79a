"""The torchvision zoo (test/frontend/zoo/, no PyTorch needed) through relayout: a
markdown table of what imports, how many layout transforms NHWC keeps, how close the
converted model stays to ONNX Runtime, whether the generated CUDA C emulates on the CPU
to the interpreter's numbers and, where nvcc is found, whether it compiles for sm_90.

    python bench/torchvision_zoo.py [--only MODEL ...] [--no-emulate] [--no-nvcc]

Columns: ``imports`` (y, or the import's error); ``NHWC`` and ``io NHWC``: transforms
left by ``optimize-layout{conv2d=NHWC,default}`` without and with ``io-layout=NHWC``;
``error``: the largest over the imported, NHWC and io-NHWC models of max |error| / max
|output| against ONNX Runtime; ``pass``: optimize-layout's time on the NHWC model;
``emulate``: the NHWC model lowered to CUDA C (fp32) and run by the C++ emulator
(runtime/emulate.py) at the fixture's input size, its max |error| / max |output| against
the interpreter on the same model (ok within 1e-4), the g++ time (near 0 when the
library is in the compile cache) and the run time; ``nvcc sm_90``: the same CUDA C
compiled to a cubin.
Figures from a 2-core CPU; compare ratios across machines.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import numpy as np
import onnxruntime as ort

from relayout import api
from relayout import layout as L
from relayout.cli import transforms
from relayout.frontend.onnx_import import from_onnx
from relayout.interpreters.check import compare
from relayout.interpreters.nn import interpret
from relayout.lowering.cuda.plan import Plan, build_plan
from relayout.runtime.driver import load as load_driver
from relayout.test.frontend.zoo.fixtures import EXPORTERS, ZOO, inputs, load, manifest

COLUMNS = ["model", "exporter", "imports", "NHWC", "io NHWC", "error", "pass", "emulate",
           "nvcc sm_90"]


def first_line(e: BaseException) -> str:
    text = str(e).strip().splitlines()[0] if str(e).strip() else ""
    return f"{type(e).__name__}: {text}"[:160].replace("|", "\\|")


def nvcc(nvcc_path: str, source: str) -> str:
    with tempfile.TemporaryDirectory() as folder:
        src, cubin = Path(folder) / "net.cu", Path(folder) / "net.cubin"
        src.write_text(source)
        start = time.perf_counter()
        out = subprocess.run([nvcc_path, "-cubin", "-arch=sm_90", "-o", str(cubin), str(src)],
                             check=False, capture_output=True, text=True)
        if out.returncode or not cubin.exists() or cubin.stat().st_size == 0:
            return "fails: " + first_line(RuntimeError(out.stderr or "no cubin written"))
        return f"ok ({time.perf_counter() - start:.0f} s)"


def emulate(plan: Plan, x: list[np.ndarray], want: np.ndarray) -> str:
    try:
        start = time.perf_counter()
        driver = load_driver(plan, "emulate")
        built = time.perf_counter()
        (got,) = driver.run(*x)
        ran = time.perf_counter()
    except Exception as e:  # noqa: BLE001 - the table shows whatever stops emulation
        return "fails: " + first_line(e)
    result = compare(got, want, 1e-4)
    if result.mismatch:
        verdict = f"FAILED: {result.mismatch}"
    else:
        verdict = f"{'ok' if result else 'FAILED'} {result.relative:.0e}"
    return f"{verdict} (g++ {built - start:.1f} s, run {ran - built:.1f} s)"


def row(model: str, exporter: str, nvcc_path: str | None, emulated: bool) -> list[str]:
    cells = [model, exporter]
    status = manifest()[model][exporter]
    if status != "ok":
        return cells + [str(status)[:160]] + [""] * (len(COLUMNS) - 3)
    proto = load(model, exporter)
    feeds = inputs(proto)
    session = ort.InferenceSession(proto.SerializeToString(),
                                   providers=["CPUExecutionProvider"])
    (want,) = session.run(None, feeds)
    x = list(feeds.values())
    try:
        module = from_onnx(proto)
    except Exception as e:  # noqa: BLE001 - the table shows whatever stops the import
        return cells + ["n: " + first_line(e)] + [""] * (len(COLUMNS) - 3)
    cells.append("y")
    errors = [compare(interpret(module, x)[0], want, 1e-4).relative]
    start = time.perf_counter()
    nhwc = api.optimize(module.clone(), ("NHWC", "default"))
    elapsed = time.perf_counter() - start
    (interpreted,) = interpret(nhwc, x)
    errors.append(compare(interpreted, want, 1e-4).relative)
    io = api.optimize(module.clone(), ("NHWC", "default"), "NHWC")
    (got,) = interpret(io, [L.transform(a, "NCHW", "NHWC") for a in x])
    got = L.transform(got, "NHWC", "NCHW") if got.ndim == 4 else got
    errors.append(compare(got, want, 1e-4).relative)
    cells += [str(len(transforms(nhwc))), str(len(transforms(io))),
              f"{max(errors):.1e}", f"{elapsed:.1f} s"]
    try:
        plan = build_plan(nhwc)
    except Exception as e:  # noqa: BLE001 - the table shows whatever stops lowering
        return cells + ["lowering fails: " + first_line(e)] * 2
    cells.append(emulate(plan, x, interpreted) if emulated else "skipped")
    cells.append("skipped (no nvcc)" if nvcc_path is None else nvcc(nvcc_path, plan.source))
    return cells


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--only", nargs="*", help="models to run (default: all)")
    ap.add_argument("--no-emulate", action="store_true", help="skip the emulator column")
    ap.add_argument("--no-nvcc", action="store_true", help="skip the CUDA compile column")
    args = ap.parse_args()
    nvcc_path = None if args.no_nvcc else shutil.which("nvcc")
    print(f"fixtures: {ZOO}; nvcc: {nvcc_path or 'not used'}\n")
    print("| " + " | ".join(COLUMNS) + " |")
    print("|" + "---|" * len(COLUMNS))
    for model in args.only or manifest():
        for exporter in EXPORTERS:
            cells = row(model, exporter, nvcc_path, not args.no_emulate)
            print("| " + " | ".join(cells) + " |", flush=True)


if __name__ == "__main__":
    main()
