"""Building small nn modules in Python and checking a run of their generated CUDA C
(emulated, and on a GPU where there is one) against the reference interpreter."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import pytest
from xdsl.dialects import func
from xdsl.dialects.builtin import ModuleOp
from xdsl.ir import Block, Operation, Region, SSAValue

from relayout.dialects.nn import ConstantOp
from relayout.dialects.nn.base import shape_of, tensor
from relayout.interpreters.nn import interpret
from relayout.lowering.cuda.plan import Plan, build_plan
from relayout.runtime.driver import load


class Nets:
    def __init__(self, backend: str = "emulate") -> None:
        self.rng = np.random.default_rng(0)
        self.backend = backend

    def build(
        self, arg_shapes: Sequence[Sequence[int]],
        make: Callable[..., SSAValue | Sequence[SSAValue]],
    ) -> ModuleOp:
        """``make(add, *args)`` builds the body; ``add(op)`` appends an op, gives its result."""
        block = Block(arg_types=[tensor(s) for s in arg_shapes])

        def add(op: Operation) -> SSAValue:
            block.add_op(op)
            return op.results[0]

        results = make(add, *block.args)
        results = [results] if isinstance(results, SSAValue) else list(results)
        block.add_op(func.ReturnOp(*results))
        fn = func.FuncOp(
            "main", ([a.type for a in block.args], [r.type for r in results]), Region(block)
        )
        module = ModuleOp([fn])
        module.verify()
        return module

    def const(self, add, shape: Sequence[int], low: float | None = None) -> SSAValue:
        values = self.rng.standard_normal(shape).astype(np.float32)
        if low is not None:
            values = np.abs(values) + np.float32(low)
        return add(ConstantOp.of(values))

    def inputs(self, module: ModuleOp) -> list[np.ndarray]:
        fn = next(iter(module.ops))
        return [
            self.rng.standard_normal(shape_of(a)).astype(np.float32)
            for a in fn.body.block.args
        ]

    def check(self, module: ModuleOp, rtol: float = 1e-4, precision: str = "fp32") -> Plan:
        """Run ``module`` on the backend and compare with the interpreter; return its plan."""
        inputs = self.inputs(module)
        expected = interpret(module, inputs)
        plan = build_plan(module, precision=precision)
        got = load(plan, self.backend).run(*inputs)
        for g, e in zip(got, expected, strict=True):
            scale = max(1.0, float(np.abs(e).max()))
            np.testing.assert_allclose(g, e, rtol=rtol, atol=rtol * scale)
        return plan


@pytest.fixture
def nets(backend: str) -> Nets:
    return Nets(backend)
