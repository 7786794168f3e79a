"""The reference interpreter: xDSL's interpreter with every `nn` op run by its own
numpy `reference` method."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from xdsl.dialects.builtin import ModuleOp
from xdsl.interpreter import (
    Interpreter,
    InterpreterFunctions,
    ReturnedValues,
    impl,
    impl_terminator,
    register_impls,
)
from xdsl.interpreters.func import FuncFunctions

from relayout.dialects.nn import OPS, FusedOp, YieldOp
from relayout.dialects.nn.base import f32_array


def _run_reference(op_type):
    @impl(op_type)
    def run(self, interpreter, op, args):
        return (op.reference(*args),)

    return run


NNFunctions = register_impls(
    type(
        "NNFunctions",
        (InterpreterFunctions,),
        {f"run_{op.__name__}": _run_reference(op) for op in OPS},
    )
)


@register_impls
class FusedFunctions(InterpreterFunctions):
    """A fused group runs its body op by op, so fusion never changes the semantics."""

    @impl(FusedOp)
    def run_fused(self, interpreter, op: FusedOp, args):
        return interpreter.run_ssacfg_region(op.body, args, op.kernel.data)

    @impl_terminator(YieldOp)
    def run_yield(self, interpreter, op: YieldOp, args):
        return ReturnedValues(args), ()


def interpret(
    module: ModuleOp, inputs: Sequence[np.ndarray], func: str = "main"
) -> tuple[np.ndarray, ...]:
    """Run ``func`` of ``module`` on numpy ``inputs`` and return its results."""
    interpreter = Interpreter(module)
    interpreter.register_implementations(FuncFunctions())
    interpreter.register_implementations(NNFunctions())
    interpreter.register_implementations(FusedFunctions())
    args = tuple(f32_array(x) for x in inputs)
    return tuple(interpreter.call_op(func, args))
