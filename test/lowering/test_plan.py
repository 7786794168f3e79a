"""The plan's structure: buffers found by slot or by offset, keyword-only records,
split-K workspaces, and `lower-to-cuda` fusing a module once."""

import dataclasses

import pytest

from relayout.dialects.context import make_context
from relayout.dialects.nn import Conv2DOp, ReluOp, TransposeOp
from relayout.lowering.cuda import gemm, split_k
from relayout.lowering.cuda.lower_to_cuda import LowerToCudaPass
from relayout.lowering.cuda.plan import Buffer, Kind, Launch, Plan, build_plan, is_fused
from relayout.passes import fuse_ops


def chain(nets):
    """Three kernels (relu, transpose, transpose): two activations and one output."""
    return nets.build([(2, 8)], lambda add, x: add(TransposeOp.make(add(TransposeOp.make(
        add(ReluOp.make(x)), axes=(1, 0))), axes=(1, 0))))


def test_buffers_have_a_slot_or_an_offset(nets):
    plan = build_plan(chain(nets))
    for b in plan.buffers:
        if b.kind in (Kind.ACTIVATION, Kind.COUNTERS):
            assert b.slot is None and b.offset is not None
        else:
            assert b.offset is None and b.slot is not None
    assert [str(b) for b in plan.buffers] == ["in0", "out0", "arena+0", "arena+256"]


@pytest.mark.parametrize("kind, where", [
    (Kind.INPUT, {"offset": 0}), (Kind.WEIGHT, {}), (Kind.OUTPUT, {"slot": 0, "offset": 0}),
    (Kind.ACTIVATION, {"slot": 0}), (Kind.COUNTERS, {}),
])
def test_buffer_refuses_the_wrong_position(kind, where):
    with pytest.raises(ValueError, match=kind.value):
        Buffer(kind=kind, shape=(4,), **where)


def test_records_take_keywords_only(nets):
    plan = build_plan(chain(nets))
    with pytest.raises(TypeError):
        Launch("k", (1, 1, 1), (1, 1, 1), (0, 1))
    with pytest.raises(TypeError):
        Plan(*(getattr(plan, f.name) for f in dataclasses.fields(plan)))
    with pytest.raises(dataclasses.FrozenInstanceError):
        plan.arena_bytes = 0


def test_split_k_workspace(nets, monkeypatch):
    """The partials live in the arena at their own offset; every split-K launch shares
    the counters region at offset 0."""
    def schedule(p):
        return gemm.LARGE, split_k.SplitK(2, 32, p.k)

    monkeypatch.setattr(gemm, "schedule", schedule)

    def make(add, x):
        y = add(Conv2DOp.make(x, nets.const(add, (8, 3, 3, 8)), padding=(1, 1, 1, 1),
                              data_layout="NHWC", kernel_layout="OHWI"))
        return add(Conv2DOp.make(add(ReluOp.make(y)), nets.const(add, (8, 3, 3, 8)),
                                 data_layout="NHWC", kernel_layout="OHWI"))

    plan = build_plan(nets.build([(1, 6, 6, 8)], make))
    gemms = [launch for launch in plan.launches if launch.workspace]
    assert len(gemms) == 2
    for launch in gemms:
        partials, counters = (plan.buffers[i] for i in launch.workspace)
        assert partials.kind is Kind.ACTIVATION and partials.offset is not None
        assert counters.kind is Kind.COUNTERS and counters.offset == 0
        assert partials.nbytes <= plan.arena_bytes
    assert plan.counter_bytes == 4 * max(
        plan.buffers[launch.workspace[1]].shape[0] for launch in gemms)


def test_lower_to_cuda_fuses_once(nets, monkeypatch):
    calls = []
    apply = fuse_ops.FuseOpsPass.apply
    monkeypatch.setattr(fuse_ops.FuseOpsPass, "apply",
                        lambda self, ctx, op: (calls.append(op), apply(self, ctx, op))[1])
    module = chain(nets)
    assert not is_fused(module)
    LowerToCudaPass().apply(make_context(), module)
    assert calls == [module] and is_fused(module)
    LowerToCudaPass().apply(make_context(), module)
    assert calls == [module]
