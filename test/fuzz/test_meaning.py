"""The meaning fuzzer, bounded for CI: random networks compute the same numbers after
every pipeline, a few small ones as emulated CUDA C too, and the generator keeps
drawing every op kind and shape of graph the issue asks for. `bench/fuzz_meaning.py`
runs thousands."""

from collections import Counter

import pytest
from hypothesis import HealthCheck, Phase, given, settings

from relayout.dialects import nn
from relayout.dialects.nn.base import ints, shape_of
from relayout.fuzz.meaning import check_meaning
from relayout.fuzz.networks import networks

CI = settings(
    max_examples=1200, deadline=None, derandomize=True, database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@CI
@given(networks())
def test_pipelines_keep_meaning(module):
    check_meaning(module)


@settings(CI, max_examples=20)
@given(networks(max_ops=4))
def test_lowered_networks_emulate(module):
    pytest.importorskip("relayout.runtime.emulate")
    check_meaning(module, emulate=True)


PLAIN_WINDOW = {"strides": 1, "dilation": 1, "padding": 0}


def _conv_features(op: nn.Conv2DOp) -> set[str]:
    c = shape_of(op.data)[1]
    return {
        "conv" if op.group_count == 1 else
        "depthwise conv" if op.group_count == c else "grouped conv",
        *(f"conv {p}" for p, plain in PLAIN_WINDOW.items()
          if any(v != plain for v in ints(op.properties[p]))),
        f"kernel layout {op.kernel_layout.data}",
        "blocks by 16" if c % 16 == 0 else "falls back from 16c",
    }


def _operand_features(op: nn.BinaryOp) -> set[str]:
    out = shape_of(op.result)
    shapes = [shape_of(v) for v in op.operands]
    found = {
        "scalar operand" if not s else
        "lower-rank operand" if len(s) < len(out) else
        "broadcast full-rank operand" if s != out else "same-shape operand"
        for s in shapes
    }
    if not any(isinstance(v.owner, nn.ConstantOp) for v in op.operands):
        found.add("activation operands")
    return found


def features(module) -> set[str]:
    """What a network exercises: its op kinds and the shapes of graph around them."""
    found = set()
    for op in module.walk():
        found.add(op.name)
        if isinstance(op, nn.Conv2DOp):
            found |= _conv_features(op)
        if isinstance(op, nn.BinaryOp):
            found |= _operand_features(op)
        if isinstance(op, nn.BatchNormOp) and isinstance(op.x.owner, nn.Conv2DOp):
            found.add("conv + batch_norm")
        if len(op.results) == 1 and len({u.operation for u in op.results[0].uses}) > 1:
            found.add("shared constant" if isinstance(op, nn.ConstantOp) else "several consumers")
        if op.name == "func.return" and len(op.operands) > 1:
            found.add("several outputs")
        if isinstance(op, nn.NNOp) and all(isinstance(v.owner, nn.ConstantOp) for v in op.operands):
            found.add("folds")
    return found


EXPECTED = {
    *(op.name for op in nn.OPS if op is not nn.ReshapeOp),
    "conv", "depthwise conv", "grouped conv", "conv strides", "conv dilation", "conv padding",
    "kernel layout OIHW", "kernel layout HWIO", "kernel layout HWOI", "blocks by 16",
    "falls back from 16c", "scalar operand", "lower-rank operand",
    "broadcast full-rank operand", "same-shape operand", "activation operands",
    "conv + batch_norm", "shared constant", "folds", "several consumers", "several outputs",
}


def test_generator_draws_every_kind():
    seen = Counter()

    @settings(CI, max_examples=300, phases=[Phase.generate])
    @given(networks())
    def sample(module):
        seen.update(features(module))

    sample()
    assert EXPECTED - set(seen) == set()
