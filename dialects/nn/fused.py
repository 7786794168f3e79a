"""`nn.fused`: a group of nn ops that runs as one kernel, and `nn.yield`, its terminator.

The body is a single block whose arguments are the group's operands (activations and
constants alike, which stay outside as kernel arguments) and which yields one value.
"""

from __future__ import annotations

import re

from xdsl.dialects.builtin import StringAttr
from xdsl.ir import Block, Operation, Region, SSAValue
from xdsl.irdl import (
    IRDLOperation,
    irdl_op_definition,
    prop_def,
    region_def,
    result_def,
    traits_def,
    var_operand_def,
)
from xdsl.traits import HasParent, IsTerminator, Pure
from xdsl.utils.exceptions import VerifyException

from relayout.dialects.nn.base import F32Tensor

# The kernel name becomes a C function name in the generated source; the prefix keeps it
# clear of C keywords, macros and the host code's names.
KERNEL_NAME = re.compile(r"fused_[A-Za-z0-9_]*")


# nn.fused and nn.yield are structure, not NNOps: not in the op registry; the dialect
# lists them itself (`relayout.dialects.nn.all_ops`).
@irdl_op_definition
class FusedOp(IRDLOperation):
    name = "nn.fused"

    inputs = var_operand_def(F32Tensor)
    output = result_def(F32Tensor)
    kernel = prop_def(StringAttr)
    body = region_def("single_block")

    traits = traits_def(Pure())
    assembly_format = (
        "$kernel `(` $inputs `)` $body attr-dict `:` functional-type($inputs, results)"
    )

    @staticmethod
    def wrap(kernel: str, inputs: list[SSAValue], body: Block) -> FusedOp:
        """``body`` (ending with `nn.yield`) as a fused op over ``inputs``."""
        assert body.last_op is not None, "nn.fused: the body is empty"
        return FusedOp.build(
            operands=[inputs],
            result_types=[body.last_op.operands[0].type],
            properties={"kernel": StringAttr(kernel)},
            regions=[Region(body)],
        )

    @property
    def block(self) -> Block:
        return self.body.block

    @property
    def ops(self) -> list[Operation]:
        """The fused nn ops in order, without the terminator."""
        return list(self.block.ops)[:-1]

    @property
    def yielded(self) -> SSAValue:
        last = self.block.last_op
        assert last is not None, "nn.fused: the body is empty"
        return last.operands[0]

    def verify_(self) -> None:
        if not KERNEL_NAME.fullmatch(self.kernel.data):
            raise VerifyException(
                f"nn.fused: kernel name {self.kernel.data!r} must be 'fused_' followed by "
                "letters, digits and underscores"
            )
        args = self.block.args
        if [a.type for a in args] != [v.type for v in self.inputs]:
            raise VerifyException("nn.fused: block arguments must match the operand types")
        if not isinstance(self.block.last_op, YieldOp):
            raise VerifyException("nn.fused: body must end with nn.yield")
        if self.yielded.type != self.output.type:
            raise VerifyException("nn.fused: yielded type must match the result type")


@irdl_op_definition
class YieldOp(IRDLOperation):
    name = "nn.yield"

    values = var_operand_def(F32Tensor)

    traits = traits_def(IsTerminator(), HasParent(FusedOp), Pure())
    assembly_format = "$values attr-dict `:` type($values)"

    def __init__(self, value: SSAValue):
        super().__init__(operands=[[value]])
