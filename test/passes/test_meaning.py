"""Every FileCheck test of the passes is also a test of meaning: the module before and
after its pipeline computes the same numbers on the reference interpreter."""

import re
from pathlib import Path

import pytest

from relayout.dialects.context import parse_module
from relayout.fuzz.meaning import Pipeline, check_pipeline, random_inputs
from relayout.interpreters.nn import interpret

HERE = Path(__file__).parent
CASES = [
    (path, spec)
    for path in sorted(HERE.glob("*/*.mlir"))
    if "verify-diagnostics" not in (text := path.read_text())
    for spec in re.findall(r"-p '([^']*)'|-p (\S+)", text)
    for spec in [spec[0] or spec[1]]
]


@pytest.mark.parametrize("path, spec", CASES, ids=[f"{p.parent.name}/{p.stem}:{s}" for p, s in CASES])
def test_pipeline_keeps_meaning(path, spec):
    module = parse_module(path)
    inputs = random_inputs(module, low=0.1)
    io = re.search(r"io-layout=(\w+)", spec)
    pipeline = Pipeline(spec.replace(",explain-layout", ""), io[1] if io else None)
    check_pipeline(pipeline, module, inputs, interpret(module, inputs))


def test_cases_were_found():
    assert len(CASES) >= 20
