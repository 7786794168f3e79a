"""`nn.resize2d`: nearest or bilinear, with ONNX's coordinate modes; coordinates are
computed in double as the numpy reference does, so rounding ties agree."""

from __future__ import annotations

from collections.abc import Sequence

from relayout.dialects.nn import FusedOp, Resize2DOp
from relayout.dialects.nn.base import ints, shape_of
from relayout.lowering.cuda.index import element, logical
from relayout.lowering.cuda.kernel import Kernel, per_element

_NEAREST = {
    "round_prefer_floor": "ceil({0} - 0.5)",
    "round_prefer_ceil": "floor({0} + 0.5)",
    "floor": "floor({0})",
    "ceil": "ceil({0})",
}


def source_coord(i: str, out: int, size: int, mode: str) -> str:
    scale = out / size
    if mode == "align_corners":
        return f"(double){i} * {float(size - 1)!r} / {float(out - 1)!r}" if out > 1 else "0.0"
    if mode == "asymmetric":
        return f"(double){i} / {scale!r}"
    if mode == "pytorch_half_pixel" and out == 1:
        return "0.0"
    return f"((double){i} + 0.5) / {scale!r} - 0.5"


def _clamp(v: str, size: int) -> str:
    return f"min(max({v}, 0), {size - 1})"


def lower(fused: FusedOp, name: str) -> Kernel:
    (op,) = fused.ops
    assert isinstance(op, Resize2DOp)
    layout, shape, e = op.data_layout, shape_of(op.x), op.extents()
    (oh, ow), mode = ints(op.size), op.coordinate_mode.data
    rounding = _NEAREST[op.nearest_mode.data]

    def compute(coords: Sequence[str]) -> tuple[list[str], str]:
        at = logical(layout, coords)

        def load(h: str, w: str) -> str:
            return f"in0[{element(layout, shape, {**at, 'H': h, 'W': w})}]"

        lines = [
            f"const double ch = {source_coord(at['H'], oh, e['H'], mode)};",
            f"const double cw = {source_coord(at['W'], ow, e['W'], mode)};",
        ]
        if op.method.data == "nearest":
            lines += [
                f"const int h = {_clamp('(int)' + rounding.format('ch'), e['H'])};",
                f"const int w = {_clamp('(int)' + rounding.format('cw'), e['W'])};",
            ]
            return lines, load("h", "w")
        for axis, c, size in (("h", "ch", e["H"]), ("w", "cw", e["W"])):
            lines += [
                f"const double {axis}c = fmin(fmax({c}, 0.0), {float(size - 1)!r});",
                f"const int {axis}0 = (int)floor({axis}c), {axis}1 = min({axis}0 + 1, {size - 1});",
                f"const float {axis}f = (float)({axis}c - {axis}0);",
            ]
        lines += [
            f"const float left = {load('h0', 'w0')} * (1.0f - hf) + {load('h1', 'w0')} * hf;",
            f"const float right = {load('h0', 'w1')} * (1.0f - hf) + {load('h1', 'w1')} * hf;",
        ]
        return lines, "left * (1.0f - wf) + right * wf"

    return per_element(fused, name, compute)
