"""The meaning fuzzer, bounded for CI: random networks compute the same numbers after
every pipeline, a few small ones as emulated CUDA C too, and the generator keeps
drawing every op kind and shape of graph the issue asks for. `bench/fuzz_meaning.py`
runs thousands."""

from collections import Counter
from typing import ClassVar

import numpy as np
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from xdsl.dialects.builtin import ModuleOp
from xdsl.irdl import irdl_op_definition

from relayout.dialects import nn
from relayout.dialects.nn.base import ints, shape_of
from relayout.dialects.nn.registry import extra_ops, registered_ops
from relayout.fuzz.meaning import PIPELINES, check_meaning
from relayout.fuzz.networks import PLAN_PATHS, elementwise_ops, networks
from relayout.passes.pipeline import run_pipeline

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


@settings(CI, max_examples=20)
@given(networks(max_ops=5, ops=PLAN_PATHS))
def test_plan_paths_emulate(module):
    """Networks of the ops the CUDA plan treats apart (transforms read by convs,
    concats, reshapes and flattens) compute the same numbers emulated."""
    pytest.importorskip("relayout.runtime.emulate")
    check_meaning(module, emulate=True)


def test_emulated_networks_draw_the_plan_paths() -> None:
    """The emulated networks hold reshapes and flattens that their plans alias (no
    launch), read by later kernels or returned; transforms that a conv's operand load
    absorbs; and concats, some written in place by their producers: so the emulated
    fuzzing covers each of the plan's paths."""
    from relayout.lowering.cuda.plan import build_plan, fused_module

    seen: Counter[str] = Counter()

    @settings(CI, max_examples=20, phases=[Phase.generate])
    @given(networks(max_ops=5, ops=PLAN_PATHS))
    def sample(module: ModuleOp) -> None:
        for pipeline in (p for p in PIPELINES if p.emulate):
            fused = fused_module(run_pipeline(module.clone(), pipeline.spec))
            plan = build_plan(fused)
            views = {a.view for a in plan.aliases}
            seen["aliases"] += len(views)
            seen["returned"] += len(views.intersection(plan.outputs))
            seen["read"] += sum(bool(views.intersection(launch.args)) for launch in plan.launches)
            kernels = [op for op in fused.walk() if isinstance(op, nn.FusedOp)]
            seen["prologue"] += sum(k.kernel.data.startswith("fused_layout_transform_nn_conv2d")
                                    for k in kernels)
            seen["concat"] += sum(isinstance(k.ops[0], nn.ConcatOp) for k in kernels)
            seen["in place"] += len(plan.in_place)

    sample()
    # A prologue needs a conv as the only reader of an input in the NHWC pipeline.
    least = {"aliases": 10, "returned": 5, "read": 5, "prologue": 3, "concat": 10,
             "in place": 10}
    assert all(seen[k] >= n for k, n in least.items()), seen


PLAIN_WINDOW = {"strides": 1, "dilation": 1, "padding": 0}


def _conv_features(op: nn.Conv2DOp) -> set[str]:
    c = shape_of(op.data)[1]
    return {
        "conv" if op.group_count == 1 else
        "depthwise conv" if op.group_count == c else "grouped conv",
        *(f"conv {p}" for p, plain in PLAIN_WINDOW.items()
          if any(v != plain for v in ints(getattr(op, p)))),
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


NOT_DRAWN = {nn.ReshapeOp}
"""Registered ops besides the elementwise ones that the generator does not draw."""


def expected_ops() -> set[str]:
    """The op kinds the generator must draw, from the registry as it is now:
    `nn.constant`, the elementwise ops marked ``FUZZ`` and every other registered op
    but `NOT_DRAWN` (a new one needs a generator in fuzz/networks.py)."""
    fuzzed = set(elementwise_ops())
    assert fuzzed == {op for op in registered_ops() if op.FUZZ}
    return {"nn.constant", *(
        op.name for op in registered_ops()
        if op in fuzzed or not (issubclass(op, nn.UnaryOp | nn.BinaryOp) or op in NOT_DRAWN)
    )}


GRAPH_FEATURES = {
    "conv", "depthwise conv", "grouped conv", "conv strides", "conv dilation", "conv padding",
    "kernel layout OIHW", "kernel layout HWIO", "kernel layout HWOI", "blocks by 16",
    "falls back from 16c", "scalar operand", "lower-rank operand",
    "broadcast full-rank operand", "same-shape operand", "activation operands",
    "conv + batch_norm", "shared constant", "folds", "several consumers", "several outputs",
}


def sample_features(examples: int, max_ops: int = 10) -> Counter[str]:
    seen: Counter[str] = Counter()

    @settings(CI, max_examples=examples, phases=[Phase.generate])
    @given(networks(max_ops=max_ops))
    def sample(module):
        seen.update(features(module))

    sample()
    return seen


def test_generator_draws_every_kind() -> None:
    expected = expected_ops() | GRAPH_FEATURES
    assert {"nn.relu", "nn.clip", "nn.divide", "nn.conv2d"} <= expected
    # Many elementwise ops share the unary and binary generators: enough networks
    # that the rarest is still drawn a dozen times.
    assert expected - set(sample_features(1000)) == set()


@irdl_op_definition
class NegateOp(nn.UnaryOp):
    name = "nn.test_fuzz_negate"
    FUZZ: ClassVar = True
    NUMPY_FN: ClassVar = staticmethod(np.negative)
    C_TEMPLATE: ClassVar = "(-({0}))"


@irdl_op_definition
class MeanOfOp(nn.BinaryOp):
    name = "nn.test_fuzz_mean_of"
    FUZZ: ClassVar = True
    NUMPY_FN: ClassVar = staticmethod(lambda a, b: (a + b) / 2)
    C_TEMPLATE: ClassVar = "(0.5f * ({0} + {1}))"


@irdl_op_definition
class UnfuzzedOp(nn.UnaryOp):
    name = "nn.test_fuzz_unfuzzed"
    NUMPY_FN: ClassVar = staticmethod(np.abs)
    C_TEMPLATE: ClassVar = "fabsf({0})"


def test_ops_registered_later_are_drawn_and_keep_meaning() -> None:
    """The elementwise ops come from the registry at each draw: ops a test registers
    are drawn (and their meaning checked) when marked FUZZ, and not otherwise."""
    extra = {NegateOp.name, MeanOfOp.name}
    with extra_ops(NegateOp, MeanOfOp, UnfuzzedOp):
        assert {NegateOp, MeanOfOp} <= set(elementwise_ops())
        assert UnfuzzedOp not in elementwise_ops()
        seen: Counter[str] = Counter()
        drawn: list[ModuleOp] = []

        @settings(CI, max_examples=1000, phases=[Phase.generate])
        @given(networks())
        def sample(module: ModuleOp) -> None:
            names = {op.name for op in module.walk()}
            seen.update(names)
            if names & extra and len(drawn) < 12:
                drawn.append(module)

        sample()
        assert extra <= set(seen)
        assert UnfuzzedOp.name not in seen
        for module in drawn:
            check_meaning(module)
    assert NegateOp not in elementwise_ops()
