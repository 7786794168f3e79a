"""The reference interpreter: xDSL's interpreter with every `nn` op run by its own
numpy `reference` method."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Any

import numpy as np
from xdsl.dialects.builtin import ModuleOp
from xdsl.interpreter import (
    Interpreter,
    InterpreterFunctions,
    OpImpl,
    ReturnedValues,
    impl,
    impl_terminator,
    register_impls,
)
from xdsl.interpreters.func import FuncFunctions

from relayout.dialects.nn import ConstantOp, FusedOp, NNOp, YieldOp
from relayout.dialects.nn.base import f32_array
from relayout.dialects.nn.registry import registered_ops, registry_version


def _run_reference(op_type: type[NNOp | ConstantOp]) -> OpImpl:
    @impl(op_type)
    def run(self: InterpreterFunctions, interpreter: Interpreter, op: NNOp | ConstantOp,
            args: tuple[Any, ...]) -> tuple[np.ndarray]:
        return (op.reference(*args),)

    return run


@cache
def _nn_functions(version: int) -> type[InterpreterFunctions]:
    """Every op registered at ``version`` run by its `reference`; built per version, so an
    op a test registers with `extra_ops` runs too."""
    ops: tuple[type[NNOp | ConstantOp], ...] = (ConstantOp, *registered_ops())
    return register_impls(type("NNFunctions", (InterpreterFunctions,),
                               {f"run_{op.__name__}": _run_reference(op) for op in ops}))


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
    interpreter.register_implementations(_nn_functions(registry_version())())
    interpreter.register_implementations(FusedFunctions())
    args = tuple(f32_array(x) for x in inputs)
    return tuple(interpreter.call_op(func, args))
