"""conv2d is the anchor: it runs in the layout the user names, weights included (their
transforms fold away at compile time).

With a blocked target such as NCHW16c, each side of a conv (data, weight, output) takes
the largest block that divides its channels: 24 channels go by 8 (NCHW8c), so a chain of
24-channel convs and their residual adds stays blocked, and the conv that changes the
channel count changes the block too, since its kernel reads and writes any layout. Data
that arrives with a smaller block than the target's (two 24-channel branches in NCHW8c
concatenated) is read as it is. A side with no block (the RGB stem's 3 channels) keeps
its original layout; only a conv with neither side blocked keeps its layout as a whole,
as TVM does.
"""

from __future__ import annotations

from math import gcd

from xdsl.dialects.builtin import StringAttr

from relayout import layout as L
from relayout.dialects.nn import Conv2DOp
from relayout.passes.layout_rules.common import fits, state
from relayout.passes.layout_rules.converter import REASON, Converter, Outcome


def _blocks_for(target: L.Layout, channels: int) -> L.Layout | None:
    """``target`` with its C block shrunk to the largest one that divides ``channels``;
    None when only a block of 1 does (which would block nothing)."""
    k = target.factor_of("C")
    f = gcd(channels, k)
    return None if f == 1 < k else target.with_factors({"C": f})


def _smaller_blocks(cv: Converter, op: Conv2DOp, target: L.Layout,
                    channels: int) -> L.Layout | None:
    """The layout the data arrives in when it is ``target`` with a smaller C block that
    divides ``channels`` (a concat of two 24-channel branches in NCHW8c, read by a
    48-channel conv under NCHW16c): the conv reads it as it is rather than have it
    moved to the larger block."""
    s = cv.relayout(op.data)
    if s is None:
        return None
    k = s.cur.factor_of("C") if "C" in s.cur.primal else 1
    if 1 < k < target.factor_of("C") and channels % target.factor_of("C") == 0 \
            and s.cur == target.with_factors({"C": k}):
        return s.cur
    return None


def _kernel_blocks(kernel: L.Layout, w: dict[str, int]) -> L.Layout:
    """The weight's I and O blocks shrink alike (I counts a group's channels, and a
    depthwise conv's block of 1 stays)."""
    return kernel.with_factors({a: gcd(w[a], kernel.factor_of(a)) for a in "IO"})


def _choice(target: L.Layout, channels: str, moved: str, got: L.Layout) -> str | None:
    """Why one side of the conv (its ``channels``, ``moved`` in ``got``) is not in
    ``target``, or None when it is."""
    if got == target:
        return None
    return f"{channels} channels do not divide by {target.factor_of('C')}: {moved} in {got}"


def convert(op: Conv2DOp, cv: Converter) -> Outcome | None:
    target = cv.options.conv2d_data
    if target is None:
        return None
    old_data, old_kernel, old_out = op.layouts
    x, w = op.extents()
    blocked_data, blocked_out = _blocks_for(target, x["C"]), _blocks_for(target, w["O"])
    arrives = _smaller_blocks(cv, op, target, x["C"])
    blocked_data = arrives or blocked_data
    if blocked_data is None and blocked_out is None:
        return None
    data, out = blocked_data or old_data, blocked_out or old_out
    depthwise = op.group_count == x["C"] and op.group_count > 1
    kernel = cv.options.kernel_layout_for(target, depthwise)
    assert kernel is not None, "LayoutOptions.from_pass refuses a data layout without one"
    kernel = _kernel_blocks(kernel, w)
    if not (fits(data, x) and fits(kernel, w) and fits(out, {**x, "C": w["O"]})):
        return None
    if (data, kernel, out) == (old_data, old_kernel, old_out):
        return None
    why = f"nn.conv2d runs in {data}"
    new = cv.rebuild(
        op,
        [
            cv.as_layout(op.data, old_data, data, why),
            cv.as_layout(op.weight, old_kernel, kernel, f"weight of nn.conv2d in {kernel}"),
        ],
        data_layout=str(data),
        kernel_layout=str(kernel),
        out_layout=None if out == data else str(out),
    )
    read = (f"{x['C']} input channels read as they arrive, in {data}" if arrives
            else _choice(target, f"{x['C']} input", "read", data))
    choices = [c for c in (read, _choice(target, f"{w['O']} output", "written", out)) if c]
    if choices:
        new.attributes[REASON] = StringAttr("; ".join(choices))
    return [(new.result, state(old_out, out))]
