"""Where each value's bytes live, decided before any kernel is lowered.

Most values own a buffer. A reshape or flatten launches nothing (`is_alias`): its
result is its operand's bytes under another shape. And a concat's operand may live in
a slice of the concat's buffer: the kernel that produces it stores each element
straight into its place in the concat's result, so the concat copies nothing for it
(concat in place). Such an operand must come from a kernel (or a concat) and be read
only by concats and by kernels that read it wherever it lies (`kernels.reads_in_place`:
the elementwise loads); a function argument, a weight, an alias's bytes, a returned
value or one that another kernel reads stays where it is, and the concat's kernel
copies it (`Output.present` names the operands it skips). A concat launches nothing
when all its operands are in place.

Concats are visited last first, so that a value read by several concats takes its
place in the last one, and a concat's own place is known before its operands take
theirs: the operands of a concat whose result lies in a later concat's buffer are
placed in that buffer, so every slice is of an outermost value (its `Place.root`), which
owns the buffer. And a concat whose operands already lie one after another along its
axis is that run of slices: DenseNet's concat of all the features so far is a slice of
the block's last concat, read where it lies.

Each slice is written once, by the producer of the value placed there (a concat's copy
for an operand that is not), before any kernel reads it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from xdsl.dialects import func
from xdsl.ir import BlockArgument, OpResult, SSAValue

from relayout.dialects.nn import BatchFlattenOp, ConcatOp, FusedOp, ReshapeOp
from relayout.dialects.nn.base import shape_of
from relayout.lowering.cuda.kernels import check_index_range, reads_in_place
from relayout.lowering.cuda.output import Output, Strided


def is_alias(fused: FusedOp) -> bool:
    """Whether ``fused`` moves nothing, so the plan launches nothing for it: a lone
    reshape or batch_flatten (flatten, squeeze and unsqueeze import as these). A value's
    type is its memory order, row-major (a layout change is a `layout_transform` of its
    own), so the result is the operand's bytes under another shape."""
    ops = fused.ops
    return len(ops) == 1 and isinstance(ops[0], ReshapeOp | BatchFlattenOp)


def is_concat(fused: FusedOp) -> bool:
    ops = fused.ops
    return len(ops) == 1 and isinstance(ops[0], ConcatOp)


@dataclass(frozen=True)
class Slice:
    """A value of ``shape`` from ``start`` along each axis of a row-major buffer of
    shape ``within``."""

    start: tuple[int, ...]
    shape: tuple[int, ...]
    within: tuple[int, ...]

    def __str__(self) -> str:
        """numpy's slicing of the buffer: ``[:, :, :, 64:128]``."""
        axes = [":" if a == 0 and e == w else f"{a}:{a + e}"
                for a, e, w in zip(self.start, self.shape, self.within)]
        while axes and axes[-1] == ":":
            axes.pop()
        return f"[{', '.join(axes)}]"


@dataclass(frozen=True)
class Place:
    root: SSAValue
    """The value whose buffer holds the slice (placed nowhere itself)."""
    slice: Slice


@dataclass(frozen=True)
class Placement:
    places: dict[SSAValue, Place]
    """Each value that lives in a slice of another's buffer."""

    def root(self, value: SSAValue) -> SSAValue:
        """The value whose buffer holds ``value``'s bytes (through slices, not aliases)."""
        place = self.places.get(value)
        return value if place is None else place.root

    def present(self, fused: FusedOp) -> frozenset[int]:
        """``fused``'s operands (block argument indices) that their producers write in
        place in its result (a concat's)."""
        if not is_concat(fused):
            return frozenset()
        root, origin = _origin(fused, self.places)
        slots = _slots(fused, origin)
        once = _once(slots)
        return frozenset(
            arg.index for arg, start in slots
            if arg in once
            and (p := self.places.get(fused.inputs[arg.index])) is not None
            and p.root is root and p.slice.start == start
        )

    def launches(self, fused: FusedOp) -> bool:
        """Whether ``fused`` launches a kernel: neither an alias nor a concat whose
        operands are all in place."""
        if is_concat(fused):
            return len(self.present(fused)) < len(fused.inputs)
        return not is_alias(fused)

    def output(self, fused: FusedOp) -> Output:
        """Where ``fused``'s kernel finds its operands and writes its result."""
        present = self.present(fused)
        views = tuple(
            (i, self._strided(v)) for i, v in enumerate(fused.inputs)
            if v in self.places and i not in present
        )
        return Output(self._strided(fused.output), present, views)

    def _strided(self, value: SSAValue) -> Strided:
        place = self.places.get(value)
        if place is None:
            return Strided.own(shape_of(value))
        return Strided.within(shape_of(value), place.slice.within, place.slice.start)


def place(fn: func.FuncOp) -> Placement:
    """The placement of ``fn``'s values (a fused function)."""
    places: dict[SSAValue, Place] = {}
    for op in reversed(list(fn.body.block.ops)):
        if isinstance(op, FusedOp) and is_concat(op):
            _place_concat(op, places)
    return Placement(places)


def _slots(fused: FusedOp, start: Sequence[int]) -> list[tuple[BlockArgument, tuple[int, ...]]]:
    """Each operand of concat ``fused`` (a block argument, once per appearance) and where
    it starts in the concat's result, which starts at ``start``."""
    (concat,) = fused.ops
    assert isinstance(concat, ConcatOp)
    axis, at = concat.concat_axis, list(start)
    slots = []
    for arg in concat.inputs:
        assert isinstance(arg, BlockArgument)  # the fused group's operand in<index>
        slots.append((arg, tuple(at)))
        at[axis] += shape_of(arg)[axis]
    return slots


def _once(slots: list[tuple[BlockArgument, tuple[int, ...]]]) -> set[BlockArgument]:
    """The operands that fill one slot only: one value cannot lie in two places."""
    counts = Counter(arg for arg, _ in slots)
    return {arg for arg, n in counts.items() if n == 1}


def _origin(fused: FusedOp, places: dict[SSAValue, Place]) -> tuple[SSAValue, tuple[int, ...]]:
    """The value whose buffer holds ``fused``'s result, and where the result starts."""
    place = places.get(fused.output)
    if place is None:
        return fused.output, (0,) * len(shape_of(fused.output))
    return place.root, place.slice.start


def _place_concat(fused: FusedOp, places: dict[SSAValue, Place]) -> None:
    # Slices are cut by the shapes: they must pass the shape rule, in IR never verified.
    check_index_range(fused)
    run = _run(fused, places) if fused.output not in places else None
    if run is not None and _readers_take_slices(fused.output):
        # Its operands lie one after another already: the concat is that run of slices.
        places[fused.output] = run
        return
    root, origin = _origin(fused, places)
    slots = _slots(fused, origin)
    once = _once(slots)
    for arg, start in slots:
        value = fused.inputs[arg.index]
        if value not in places and arg in once and _placeable(value):
            places[value] = Place(root, Slice(start, shape_of(value), shape_of(root)))


def _run(fused: FusedOp, places: dict[SSAValue, Place]) -> Place | None:
    """``fused``'s place where its operands lie one after another in one buffer."""
    (concat,) = fused.ops
    head = concat.operands[0]
    assert isinstance(head, BlockArgument)
    first = places.get(fused.inputs[head.index])
    if first is None:
        return None
    if all((p := places.get(fused.inputs[arg.index])) is not None and p.root is first.root
           and p.slice.start == start for arg, start in _slots(fused, first.slice.start)):
        return Place(first.root, Slice(first.slice.start, shape_of(fused.output),
                                       first.slice.within))
    return None


def _placeable(value: SSAValue) -> bool:
    """Whether ``value`` may take a slice of a concat's buffer: a kernel (or a concat)
    produces it, and its readers take slices."""
    producer = value.owner if isinstance(value, OpResult) else None
    return (isinstance(producer, FusedOp) and not is_alias(producer)
            and _readers_take_slices(value))


def _readers_take_slices(value: SSAValue) -> bool:
    """Whether every reader of ``value`` reads it wherever it lies: concats, and the
    elementwise loads of other kernels (not a reshape, not the function's return)."""
    return all(
        isinstance(user := use.operation, FusedOp) and not is_alias(user)
        and reads_in_place(user, user.block.args[use.index])
        for use in value.uses
    )
