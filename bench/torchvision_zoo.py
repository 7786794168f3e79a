"""The torchvision zoo (test/frontend/zoo/, no PyTorch needed) through relayout: a
markdown table of what imports, how many layout transforms NHWC keeps, how close the
converted model stays to ONNX Runtime, and, where nvcc is found, whether the generated
CUDA C compiles for sm_90.

    python bench/torchvision_zoo.py [--only MODEL ...] [--no-nvcc]

Columns: ``imports`` (y, or the import's error); ``NHWC`` and ``io NHWC``: transforms
left by ``optimize-layout{conv2d=NHWC,default}`` without and with ``io-layout=NHWC``;
``error``: the largest over the imported, NHWC and io-NHWC models of max |error| / max
|output| against ONNX Runtime; ``pass``: optimize-layout's time on the NHWC model;
``nvcc sm_90``: the NHWC model lowered to CUDA C (fp32) and compiled to a cubin.
Figures from a 2-core CPU; compare ratios across machines.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import onnxruntime as ort

from relayout import api
from relayout import layout as L
from relayout.cli import transforms
from relayout.frontend.onnx_import import from_onnx
from relayout.interpreters.check import compare
from relayout.interpreters.nn import interpret
from relayout.lowering.cuda.plan import build_plan
from relayout.test.frontend.zoo.fixtures import EXPORTERS, ZOO, inputs, load, manifest

COLUMNS = ["model", "exporter", "imports", "NHWC", "io NHWC", "error", "pass", "nvcc sm_90"]


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


def row(model: str, exporter: str, nvcc_path: str | None) -> list[str]:
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
    errors.append(compare(interpret(nhwc, x)[0], want, 1e-4).relative)
    io = api.optimize(module.clone(), ("NHWC", "default"), "NHWC")
    (got,) = interpret(io, [L.transform(a, "NCHW", "NHWC") for a in x])
    got = L.transform(got, "NHWC", "NCHW") if got.ndim == 4 else got
    errors.append(compare(got, want, 1e-4).relative)
    cells += [str(len(transforms(nhwc))), str(len(transforms(io))),
              f"{max(errors):.1e}", f"{elapsed:.1f} s"]
    if nvcc_path is None:
        cells.append("skipped (no nvcc)")
    else:
        try:
            source = build_plan(nhwc).source
        except Exception as e:  # noqa: BLE001 - the table shows whatever stops lowering
            cells.append("lowering fails: " + first_line(e))
        else:
            cells.append(nvcc(nvcc_path, source))
    return cells


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--only", nargs="*", help="models to run (default: all)")
    ap.add_argument("--no-nvcc", action="store_true", help="skip the CUDA compile column")
    args = ap.parse_args()
    nvcc_path = None if args.no_nvcc else shutil.which("nvcc")
    print(f"fixtures: {ZOO}; nvcc: {nvcc_path or 'not used'}\n")
    print("| " + " | ".join(COLUMNS) + " |")
    print("|" + "---|" * len(COLUMNS))
    for model in args.only or manifest():
        for exporter in EXPORTERS:
            cells = row(model, exporter, nvcc_path)
            print("| " + " | ".join(cells) + " |", flush=True)


if __name__ == "__main__":
    main()
