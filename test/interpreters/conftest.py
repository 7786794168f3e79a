import numpy as np
import pytest
from xdsl.dialects import func
from xdsl.dialects.builtin import ModuleOp, TensorType, f32
from xdsl.ir import Block, Region

from relayout.interpreters.nn import interpret


def _run_single(op_type, *inputs: np.ndarray, **props) -> np.ndarray:
    """Run one op, built with ``make``, as the only op of a function."""
    types = [TensorType(f32, x.shape) for x in inputs]
    block = Block(arg_types=types)
    op = op_type.make(*block.args, **props)
    block.add_ops([op, func.ReturnOp(op.result)])
    module = ModuleOp([func.FuncOp("main", (types, [op.result.type]), Region(block))])
    module.verify()
    (y,) = interpret(module, inputs)
    return y


@pytest.fixture(scope="session")
def run_single():
    return _run_single
