"""The lowering's backstop for IR that skipped the verifier (index math a kernel's
32-bit `int` would get wrong is refused, naming the op), and plans of long chains."""

import numpy as np
import pytest
from xdsl.dialects import func
from xdsl.dialects.builtin import DenseArrayBase, ModuleOp, i64
from xdsl.ir import Block, Region

from relayout.dialects.nn import (
    FusedOp,
    MaxPool2DOp,
    ReluOp,
    ReshapeOp,
    TransposeOp,
    YieldOp,
)
from relayout.dialects.nn.base import tensor
from relayout.lowering.cuda import kernels
from relayout.lowering.cuda.kernel import Kernel
from relayout.lowering.cuda.kernels import IndexRangeError
from relayout.lowering.cuda.memory import Lifetime, assign
from relayout.lowering.cuda.plan import build_plan


def _fused_module(make_op, in_shape, out_shape) -> ModuleOp:
    """A fused module around one op built by ``make_op(arg)``, never verified."""
    body = Block(arg_types=[tensor(in_shape)])
    op = make_op(body.args[0])
    body.add_ops([op, YieldOp(op.results[0])])
    outer = Block(arg_types=[tensor(in_shape)])
    fused = FusedOp.wrap("fused_k", [outer.args[0]], body)
    outer.add_ops([fused, func.ReturnOp(fused.output)])
    fn = func.FuncOp("main", ([tensor(in_shape)], [tensor(out_shape)]), Region(outer))
    return ModuleOp([fn])


def test_unverified_huge_stride_is_refused_naming_the_op():
    def pool(x):
        return MaxPool2DOp.build(
            operands=[x], result_types=[tensor((1, 3, 1, 6))],
            properties={"pool_size": DenseArrayBase.from_list(i64, [3, 3]),
                        "strides": DenseArrayBase.from_list(i64, [2**40, 1])},
        )

    with pytest.raises(IndexRangeError, match=r"nn.max_pool2d: cannot lower: strides"):
        build_plan(_fused_module(pool, (1, 3, 8, 8), (1, 3, 1, 6)))


def test_unverified_reshape_of_another_size_is_not_aliased():
    """An alias launches no kernel that would check its shapes: a result type with more
    elements than its operand, whose readers would run past the operand, is refused."""
    def reshape(x):
        return ReshapeOp.build(operands=[x], result_types=[tensor((3, 3))],
                               properties={"newshape": DenseArrayBase.from_list(i64, [3, 2])})

    with pytest.raises(ValueError, match=r"nn.reshape: result type tensor<3x3xf32> does not"):
        build_plan(_fused_module(reshape, (2, 3), (3, 3)))


def _relu_module() -> ModuleOp:
    return _fused_module(lambda x: ReluOp.make(x), (4,), (4,))


def _with_source(monkeypatch, source: str) -> None:
    kernel = Kernel("fused_k", source, (1, 1, 1), (1, 1, 1))
    monkeypatch.setattr(kernels, "_template", lambda fused, name, out, precision: kernel)


def test_an_integer_beyond_int32_in_a_kernel_is_refused(monkeypatch):
    _with_source(monkeypatch, "for (int i = 0; i < 4294967296; ++i) out[i] = 0.0f;")
    with pytest.raises(IndexRangeError, match="nn.relu: kernel fused_k would index with 42949"):
        build_plan(_relu_module())


def test_floats_hex_and_names_are_not_index_integers(monkeypatch):
    _with_source(monkeypatch, "out[0] = 3000000000.0f + 1e+20f + __int_as_float(0x7f800000)"
                              " + in2147483648[0];")
    build_plan(_relu_module())


def _assign_by_scanning_all(lifetimes: list[Lifetime]) -> list[int]:
    """The first-fit assignment the plan had, comparing every pair of buffers."""
    offsets, placed = [0] * len(lifetimes), list[int]()
    for i in sorted(range(len(lifetimes)), key=lambda i: -lifetimes[i].size):
        busy = sorted((offsets[j], offsets[j] + -(-lifetimes[j].size // 256) * 256)
                      for j in placed if lifetimes[j].overlaps(lifetimes[i]))
        at = 0
        for start, end in busy:
            if at + lifetimes[i].size <= start:
                break
            at = max(at, end)
        offsets[i] = at
        placed.append(i)
    return offsets


def test_assign_places_buffers_as_a_scan_of_all_pairs_does():
    rng = np.random.default_rng(0)
    for _ in range(20):
        firsts = rng.integers(0, 30, 40)
        lifetimes = [Lifetime(int(rng.integers(1, 5000)), int(f), int(f + rng.integers(0, 8)))
                     for f in firsts]
        assert assign(lifetimes)[0] == _assign_by_scanning_all(lifetimes)


def test_a_long_transpose_chain_plans():
    """6,000 launches (a few seconds; the per-value scan of all launches took minutes,
    which CI's time would show: `bench/long_chain.py` measures it)."""
    block = Block(arg_types=[tensor((1, 3, 4, 4))])
    x = block.args[0]
    for i in range(6000):
        op = TransposeOp.make(x, axes=(0, 2, 3, 1) if i % 2 == 0 else (0, 3, 1, 2))
        block.add_op(op)
        x = op.result
    block.add_op(func.ReturnOp(x))
    fn = func.FuncOp("main", ([tensor((1, 3, 4, 4))], [x.type]), Region(block))
    plan = build_plan(ModuleOp([fn]))
    assert len(plan.launches) == 6000
