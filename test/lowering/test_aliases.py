"""Reshapes and flattens launch nothing: the plan aliases their result to their
operand's buffer (an argument, a weight, an activation or an output), the arena keeps
that buffer while any alias is read, and the emulated run equals the interpreter."""

from relayout.dialects.nn import (
    AddOp,
    BatchFlattenOp,
    GlobalAvgPool2DOp,
    ReluOp,
    ReshapeOp,
    TransposeOp,
)
from relayout.dialects.nn.base import shape_of
from relayout.fuzz.meaning import NHWC
from relayout.lowering.cuda.memory import ALIGN
from relayout.lowering.cuda.plan import Kind
from relayout.passes.pipeline import run_pipeline
from relayout.test.passes.test_unit_axes import _net_1d


def test_reshapes_of_an_argument_alias_it(nets):
    """A chain of reshapes of the input, returned: no launch, and each result is the
    input's buffer in its own shape."""
    def make(add, x):
        r = add(ReshapeOp.make(x, newshape=(6, 20)))
        return [r, add(ReshapeOp.make(r, newshape=(120,))), add(BatchFlattenOp.make(x))]

    plan = nets.check(nets.build([(2, 3, 4, 5)], make))
    assert plan.launches == () and len(plan.aliases) == 3
    assert [str(plan.buffers[o]) for o in plan.outputs] == ["in0"] * 3
    assert [plan.buffers[o].shape for o in plan.outputs] == [(6, 20), (120,), (2, 60)]
    assert {plan.buffers[o].alias_of for o in plan.outputs} == {plan.inputs[0]}


def test_reshape_of_a_weight_aliases_it(nets):
    def make(add, x):
        w = add(ReshapeOp.make(nets.const(add, (2, 3, 4)), newshape=(6, 4)))
        return [add(AddOp.make(x, w)), w]

    plan = nets.check(nets.build([(6, 4)], make))
    (launch,) = plan.launches
    assert [str(plan.buffers[a]) for a in launch.args] == ["in0", "w0", "out0"]
    assert str(plan.buffers[plan.outputs[1]]) == "w0"


def test_returned_reshape_is_written_in_place(nets):
    """The producer of a returned reshape writes the output buffer itself, once, also
    when the producer's own value is returned too."""
    def make(add, x):
        y = add(ReluOp.make(x))
        return [add(ReshapeOp.make(y, newshape=(4, 6))), y]

    plan = nets.check(nets.build([(2, 3, 4)], make))
    (launch,) = plan.launches
    assert [str(plan.buffers[i]) for i in plan.outputs] == ["out0", "out0"]
    assert str(plan.buffers[launch.args[-1]]) == "out0"
    assert sum(b.kind is Kind.OUTPUT and b.alias_of is None for b in plan.buffers) == 1
    assert plan.arena_bytes == 0


def test_alias_keeps_its_buffer_alive(nets):
    """The relu's result is read only through its reshapes, three launches later. Were
    its lifetime to end with its last direct reader (none), the transposes would reuse
    its bytes and the add would read theirs."""
    def make(add, x):
        a = add(ReshapeOp.make(add(ReluOp.make(x)), newshape=(64,)))
        d = add(TransposeOp.make(add(TransposeOp.make(x, axes=(1, 0))), axes=(1, 0)))
        return add(AddOp.make(add(ReshapeOp.make(a, newshape=(8, 8))), d))

    plan = nets.check(nets.build([(8, 8)], make))
    assert len(plan.launches) == 4 and len(plan.aliases) == 2
    relu, first, second, _ = (plan.buffers[launch.args[-1]] for launch in plan.launches)
    offsets = [b.offset for b in (relu, first, second)]
    assert len(set(offsets)) == 3 and plan.arena_bytes == 3 * ALIGN
    add = plan.launches[-1]
    assert plan.buffers[add.args[0]].offset == relu.offset


def test_flatten_after_a_pool_reads_the_pool(nets):
    """A classifier head's flatten: the next kernel reads the pool's buffer."""
    def make(add, x):
        p = add(GlobalAvgPool2DOp.make(x, layout="NHWC"))
        return add(ReluOp.make(add(BatchFlattenOp.make(p))))

    plan = nets.check(nets.build([(2, 3, 3, 8)], make))
    pool, exp = plan.launches
    assert plan.buffers[exp.args[0]].offset == plan.buffers[pool.args[-1]].offset


def test_1d_network_launches_no_reshape(nets):
    """A 1-D conv net in NHWC reshapes around every conv and pool ([N,C,L] <->
    [N,C,1,L]): all of them alias, and it still computes the interpreter's numbers."""
    module = run_pipeline(_net_1d(), NHWC)
    plan = nets.check(module)
    reshapes = [op for op in module.walk() if isinstance(op, ReshapeOp)]
    assert len(plan.aliases) == len(reshapes) == 10
    assert [launch.kernel for launch in plan.launches if "reshape" in launch.kernel] == []
    assert len(plan.launches) == 7  # the input transform fuses into the first conv
    assert [plan.buffers[a.view].shape for a in plan.aliases] == [
        shape_of(op.result) for op in reshapes]
