"""The reference interpreter: xDSL's interpreter with every `nn` op run by its own
numpy `reference` method."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from xdsl.dialects.builtin import ModuleOp
from xdsl.interpreter import Interpreter, InterpreterFunctions, impl, register_impls
from xdsl.interpreters.func import FuncFunctions

from relayout.dialects.nn import OPS


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


def interpret(
    module: ModuleOp, inputs: Sequence[np.ndarray], func: str = "main"
) -> tuple[np.ndarray, ...]:
    """Run ``func`` of ``module`` on numpy ``inputs`` and return its results."""
    interpreter = Interpreter(module)
    interpreter.register_implementations(FuncFunctions())
    interpreter.register_implementations(NNFunctions())
    args = tuple(np.ascontiguousarray(x, np.float32) for x in inputs)
    return tuple(interpreter.call_op(func, args))
