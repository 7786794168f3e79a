"""The Python API: optimize a module's layouts, run it, and explain what is left.

    import relayout
    module = relayout.from_onnx("model.onnx")   # or relayout.from_torch(model, x)
    reference = module.clone()
    relayout.optimize(module, conv2d=("NHWC", "default"))
    for line in relayout.explain(module):
        print(line)
    (logits,) = relayout.run(module, [x])
    (want,) = relayout.run(reference, [x])
    print(relayout.check(logits, want))   # max abs error ..., relative to magnitude ...: ok
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from xdsl.dialects import func as func_dialect
from xdsl.dialects.builtin import ModuleOp

from relayout.dialects.context import make_context, parse_module
from relayout.dialects.nn.base import shape_of
from relayout.interpreters import check as _check
from relayout.interpreters.check import CheckResult
from relayout.interpreters.nn import interpret
from relayout.passes.explain_layout import Explanation
from relayout.passes.explain_layout import explain as _explain
from relayout.passes.optimize_layout import OptimizeLayoutPass

__all__ = [
    "DEVICES", "CheckResult", "check", "explain", "optimize", "optimize_pass", "parse_module",
    "run",
]

DEVICES = ("cpu", "emulate", "cuda")


def optimize_pass(
    conv2d: str | Sequence[str] = ("NHWC", "default"), io_layout: str | None = None,
    **anchors: str,
) -> OptimizeLayoutPass:
    """The `optimize-layout` pass for these options (``anchors``: ``max_pool2d="NHWC"``
    and the other op kinds `convert-layout` takes). Options are checked when it runs."""
    conv = (conv2d,) if isinstance(conv2d, str) else tuple(conv2d)
    return OptimizeLayoutPass(conv2d=conv, io_layout=io_layout or "", **anchors)


def optimize(
    module: ModuleOp, conv2d: str | Sequence[str] = ("NHWC", "default"),
    io_layout: str | None = None, **anchors: str,
) -> ModuleOp:
    """Run `optimize-layout` on ``module`` in place and return it.

    ``conv2d`` is ``(DATA, KERNEL)`` (KERNEL may be ``"default"``) or just ``DATA``;
    ``io_layout`` also changes the layout of the function's inputs and outputs.
    Bad options raise xDSL's ``PassFailedException`` naming the option.
    """
    optimize_pass(conv2d, io_layout, **anchors).apply(make_context(), module)
    module.verify()
    return module


def run(
    module: ModuleOp, inputs: np.ndarray | Sequence[np.ndarray], device: str = "cpu",
    precision: str = "fp32",
) -> tuple[np.ndarray, ...]:
    """Run ``@main`` on numpy ``inputs`` and return its results.

    ``cpu`` is the reference interpreter; ``emulate`` (generated CUDA C compiled with
    g++) and ``cuda`` (pycuda) lower the module first, with ``precision="tf32"``
    running the convs and dense layers that fit on TF32 tensor cores. Raises
    ``ValueError`` for an unknown device or precision, tf32 on the (fp32) interpreter,
    or inputs of the wrong shapes.
    """
    args = [inputs] if isinstance(inputs, np.ndarray) else list(inputs)
    check_shapes(module, args)
    if device == "cpu":
        if precision != "fp32":
            raise ValueError(f"precision {precision} needs device emulate or cuda: the "
                             "cpu interpreter computes in fp32")
        return interpret(module, args)
    if device not in DEVICES:
        raise ValueError(f"unknown device {device!r}: use one of {', '.join(DEVICES)}")
    from relayout.lowering.cuda.plan import build_plan
    from relayout.runtime.driver import load

    return load(build_plan(module, precision=precision), device).run(*args)


def check(got: np.ndarray, want: np.ndarray, precision: str = "fp32") -> CheckResult:
    """Compare an output with its reference by the output's magnitude: ok when
    ``max |got - want| <= tol * max |want|`` (tol 1e-4 for ``fp32``, 1e-2 for
    ``tf32``), with NaN and infinities at the same positions in both. ``str()`` of the
    result is the line ``relayout run --check`` prints; ``bool()`` is ``ok``."""
    return _check.check(got, want, precision)


def input_shapes(module: ModuleOp, func: str = "main") -> list[tuple[int, ...]]:
    """The shapes ``func`` expects for its arguments."""
    for op in module.ops:
        if isinstance(op, func_dialect.FuncOp) and op.sym_name.data == func:
            return [shape_of(a) for a in op.body.block.args]
    raise ValueError(f"module has no function @{func}")


def check_shapes(module: ModuleOp, inputs: Sequence[np.ndarray]) -> None:
    expected = input_shapes(module)
    got = [tuple(np.shape(x)) for x in inputs]
    if got != expected:
        raise ValueError(f"@main expects inputs of shapes {expected}, got {got}")


def explain(module: ModuleOp) -> list[Explanation]:
    """Every layout_transform left in ``module`` that moves data, with the reason it
    is there (``str()`` of each is a readable line)."""
    return _explain(module)
