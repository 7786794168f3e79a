"""Every FileCheck test of the passes is also a test of meaning: the module before and
after its pipeline computes the same numbers on the reference interpreter."""

import re
from pathlib import Path

import numpy as np
import pytest

from relayout import layout as L
from relayout.context import parse_module
from relayout.interpreters.nn import interpret
from relayout.pipeline import run_pipeline

HERE = Path(__file__).parent
CASES = [
    (path, spec)
    for path in sorted(HERE.glob("*/*.mlir"))
    if "verify-diagnostics" not in (text := path.read_text())
    for spec in re.findall(r"-p '([^']*)'|-p (\S+)", text)
    for spec in [spec[0] or spec[1]]
]


def _inputs(module, rng):
    function = next(iter(module.body.block.ops))
    return [rng.uniform(0.1, 1.0, a.type.get_shape()).astype(np.float32) for a in function.args]


@pytest.mark.parametrize("path, spec", CASES, ids=[f"{p.parent.name}/{p.stem}:{s}" for p, s in CASES])
def test_pipeline_keeps_meaning(path, spec):
    before = parse_module(path)
    inputs = _inputs(before, np.random.default_rng(0))
    expected = interpret(before, inputs)
    after = run_pipeline(parse_module(path), spec.replace(",explain-layout", ""))
    io = re.search(r"io-layout=(\w+)", spec)
    if io:
        inputs = [L.transform(x, "NCHW", io[1]) if x.ndim == 4 and i == 0 else x
                  for i, x in enumerate(inputs)]
    actual = interpret(after, inputs)
    if io:
        actual = [L.transform(y, io[1], "NCHW") if y.ndim == 4 else y for y in actual]
    for a, e in zip(actual, expected, strict=True):
        np.testing.assert_allclose(a, e, rtol=1e-4, atol=1e-5)


def test_cases_were_found():
    assert len(CASES) >= 20
