"""The data-movement report: for each launch of a plan, the compulsory bytes it reads
and writes (each distinct input buffer read once, its output written once) and its
FLOPs, and for the function the total against the floor (weights, inputs and outputs
each read or written once). Caches are not modelled, nor split-K partials: the report
says what the program must move, which a kernel can only approach.

The rules live with the kernels (`kernels.FLOPS`, `kernels.READS`); this module only
adds them up over each fused group's ops."""

from __future__ import annotations

from dataclasses import dataclass
from math import prod
from typing import Any

from xdsl.dialects.builtin import ModuleOp
from xdsl.ir import SSAValue

from relayout.dialects.nn import FusedOp, NNOp
from relayout.dialects.nn.base import shape_of
from relayout.dialects.nn.registry import lookup
from relayout.lowering.cuda.kernels import FLOPS, READS
from relayout.lowering.cuda.placement import Slice, place
from relayout.lowering.cuda.plan import (
    F32,
    Kind,
    Launch,
    Plan,
    build_plan,
    function_named,
    fused_module,
)


@dataclass(frozen=True, kw_only=True)
class Movement:
    """What one launch must move and compute."""

    kernel: str
    bytes_read: int
    bytes_written: int
    flops: int

    @property
    def intensity(self) -> float:
        """FLOPs per compulsory byte (arithmetic intensity)."""
        moved = self.bytes_read + self.bytes_written
        return self.flops / moved if moved else 0.0


@dataclass(frozen=True, kw_only=True)
class Report:
    launches: tuple[Movement, ...]
    aliases: int
    """Groups that launch nothing (reshapes, flattens): they move no bytes."""
    weight_bytes: int
    input_bytes: int
    output_bytes: int
    """Bytes of the function's results the launches write (not a returned input)."""

    @property
    def floor(self) -> int:
        """The least any program computing the function moves."""
        return self.weight_bytes + self.input_bytes + self.output_bytes

    @property
    def bytes_read(self) -> int:
        return sum(m.bytes_read for m in self.launches)

    @property
    def bytes_written(self) -> int:
        return sum(m.bytes_written for m in self.launches)

    @property
    def total(self) -> int:
        return self.bytes_read + self.bytes_written

    @property
    def flops(self) -> int:
        return sum(m.flops for m in self.launches)

    @property
    def over_floor(self) -> float:
        return self.total / self.floor if self.floor else 0.0

    def summary(self) -> str:
        return (f"movement: {self.bytes_read} bytes read, {self.bytes_written} bytes written, "
                f"{self.flops} FLOPs; floor {self.floor} bytes (weights {self.weight_bytes}, "
                f"inputs {self.input_bytes}, outputs {self.output_bytes}): "
                f"{self.over_floor:.2f}x the floor")

    def table(self) -> str:
        head = ("launch", "kernel", "bytes read", "bytes written", "FLOPs", "FLOP/byte")
        rows = [(str(i), m.kernel, str(m.bytes_read), str(m.bytes_written), str(m.flops),
                 f"{m.intensity:.2f}") for i, m in enumerate(self.launches)]
        total_intensity = self.flops / self.total if self.total else 0.0
        rows.append(("total", f"{len(self.launches)} launches, {self.aliases} aliases",
                     str(self.bytes_read), str(self.bytes_written), str(self.flops),
                     f"{total_intensity:.2f}"))
        widths = [max(len(r[i]) for r in (head, *rows)) for i in range(len(head))]
        lines = ["  ".join(c.ljust(w) if i == 1 else c.rjust(w)
                           for i, (c, w) in enumerate(zip(row, widths)))
                 for row in (head, *rows)]
        return "\n".join([*lines, self.summary()])

    def as_json(self) -> dict[str, Any]:
        return {
            "launches": [
                {"launch": i, "kernel": m.kernel, "bytes_read": m.bytes_read,
                 "bytes_written": m.bytes_written, "flops": m.flops,
                 "intensity": round(m.intensity, 4)}
                for i, m in enumerate(self.launches)
            ],
            "aliases": self.aliases,
            "total": {"bytes_read": self.bytes_read, "bytes_written": self.bytes_written,
                      "bytes": self.total, "flops": self.flops},
            "floor": {"weights": self.weight_bytes, "inputs": self.input_bytes,
                      "outputs": self.output_bytes, "bytes": self.floor},
            "over_floor": round(self.over_floor, 4),
        }


def plan_and_report(
    module: ModuleOp, func_name: str = "main", precision: str = "fp32"
) -> tuple[Plan, Report]:
    """The plan of function ``func_name`` (see `build_plan`) and its report."""
    fused = fused_module(module)
    plan = build_plan(fused, func_name, precision)
    fn = function_named(fused, func_name)
    placement = place(fn)
    groups = [op for op in fn.body.block.ops
              if isinstance(op, FusedOp) and placement.launches(op)]
    launches = tuple(_movement(plan, launch, group, placement.present(group))
                     for launch, group in zip(plan.launches, groups, strict=True))
    written = {_region(plan, b)[0] for b in plan.outputs}
    return plan, Report(
        launches=launches, aliases=len(plan.aliases),
        weight_bytes=sum(w.size for w in plan.weights) * F32,
        input_bytes=sum(plan.buffers[b].nbytes for b in plan.inputs),
        output_bytes=sum(plan.buffers[b].nbytes for b in written
                         if plan.buffers[b].kind is Kind.OUTPUT),
    )


def _region(plan: Plan, buffer: int) -> tuple[int, Slice | None]:
    """The buffer that holds ``buffer``'s bytes (itself unless it is an alias or a
    slice), and which slice of it ``buffer`` is."""
    b = plan.buffers[buffer]
    return (buffer if b.alias_of is None else b.alias_of), b.view


def _movement(plan: Plan, launch: Launch, group: FusedOp, present: frozenset[int]) -> Movement:
    """``present``: the operands (a concat's) that their producers wrote in place, which
    the launch neither reads nor writes."""
    assert launch.kernel.startswith(group.kernel.data), (launch.kernel, group.kernel.data)
    args = [a for a in group.block.args if a.index not in present]
    # Two operands may be one buffer (through an alias); it is read once.
    reads: dict[tuple[int, Slice | None], int] = {}
    for arg, buffer in zip(args, launch.args[:-1], strict=True):
        region = _region(plan, buffer)
        reads[region] = max(reads.get(region, 0), _elements_read(arg))
    in_place = sum(prod(shape_of(group.block.args[i])) for i in present)
    return Movement(
        kernel=launch.kernel, bytes_read=sum(reads.values()) * F32,
        bytes_written=(prod(shape_of(group.output)) - in_place) * F32,
        flops=sum(_flops(op) for op in group.ops if isinstance(op, NNOp)),
    )


def _elements_read(arg: SSAValue) -> int:
    """The most elements of ``arg`` that one of its readers in the group needs."""
    size = prod(shape_of(arg))
    needs = [rule(use.operation, arg) if (rule := lookup(READS, type(use.operation))) else size
             for use in arg.uses if isinstance(use.operation, NNOp)]
    return min(size, max(needs, default=size))


def _flops(op: NNOp) -> int:
    rule = lookup(FLOPS, type(op))
    return rule(op) if rule is not None else prod(shape_of(op.result))
