"""Does a module still compute the same numbers after each pipeline?

`check_meaning` runs every pipeline of `PIPELINES` on a clone of a module and compares
the reference interpreter's results with those of the original on the same inputs;
with ``emulate``, the lowered CUDA C of some pipelines also runs on the CPU emulator. A
pipeline that fails, or changes a number beyond the tolerance, raises `MeaningError`
naming the pipeline.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from xdsl.dialects import func
from xdsl.dialects.builtin import ModuleOp

from relayout import layout as L
from relayout.dialects.nn import Conv2DOp
from relayout.dialects.nn.base import shape_of
from relayout.interpreters.nn import interpret
from relayout.passes.convert_layout import io_arguments
from relayout.passes.pipeline import run_pipeline

RTOL = 1e-4
ATOL = 1e-4
"""Absolute tolerance per unit of the largest expected magnitude (at least 1)."""


class MeaningError(AssertionError):
    """A pipeline changed what a module computes, or failed on it."""


@dataclass(frozen=True)
class Pipeline:
    spec: str
    io_layout: str | None = None
    """The layout the result takes and gives its NCHW data in (its io-layout option)."""
    emulate: bool = False
    """Whether `check_meaning(emulate=True)` also runs the lowered result."""

    @property
    def needs_conv(self) -> bool:
        # io-layout learns the source layout from the convolutions.
        return "io-layout" in self.spec


NHWC = "optimize-layout{conv2d=NHWC,default}"
NCHW16C = "optimize-layout{conv2d=NCHW16c,default}"
NHWC_IO = "optimize-layout{conv2d=NHWC,default io-layout=NHWC}"

PIPELINES = (
    Pipeline("fuse-ops", emulate=True),
    Pipeline(NHWC, emulate=True),
    Pipeline(NCHW16C, emulate=True),
    Pipeline(NHWC_IO, io_layout="NHWC"),
    Pipeline(f"{NHWC_IO},optimize-layout{{conv2d=NCHW,default io-layout=NCHW}}"),
    Pipeline(f"{NCHW16C},optimize-layout{{conv2d=NCHW,default}}"),
    Pipeline(
        "optimize-layout{conv2d=NHWC,OHWI max_pool2d=NCHW4c avg_pool2d=NHWC "
        "global_max_pool2d=NCHW4c resize2d=NHWC}"
    ),
    Pipeline(f"{NHWC},fuse-ops"),
)


def main_of(module: ModuleOp) -> func.FuncOp:
    return next(op for op in module.ops if isinstance(op, func.FuncOp))


def random_inputs(
    module: ModuleOp, seed: int = 0, low: float = -1.0, high: float = 1.0
) -> list[np.ndarray]:
    rng = np.random.default_rng(seed)
    return [
        rng.uniform(low, high, shape_of(a)).astype(np.float32) for a in main_of(module).args
    ]


def to_io_layout(
    module: ModuleOp, inputs: Sequence[np.ndarray], io: str, source: str = "NCHW"
) -> list[np.ndarray]:
    """``inputs`` of ``module`` as they enter it once converted with ``io-layout=io``."""
    data = {a.index for a in io_arguments(main_of(module).body.block, L.parse(source).ndim)}
    return [L.transform(x, source, io) if i in data else x for i, x in enumerate(inputs)]


def from_io_layout(
    results: Sequence[np.ndarray], io: str, source: str = "NCHW"
) -> list[np.ndarray]:
    """Results of a module converted with ``io-layout=io``, back in ``source``."""
    rank = L.parse(io).ndim
    return [L.transform(y, io, source) if y.ndim == rank else y for y in results]


def assert_close(
    actual: Sequence[np.ndarray], expected: Sequence[np.ndarray], what: str
) -> None:
    if len(actual) != len(expected):
        raise MeaningError(f"{what}: {len(actual)} results, expected {len(expected)}")
    for i, (a, e) in enumerate(zip(actual, expected)):
        a = np.asarray(a)
        if a.shape != e.shape:
            raise MeaningError(f"{what}: result #{i} has shape {a.shape}, expected {e.shape}")
        scale = max(1.0, float(np.nanmax(np.abs(e), initial=0)))
        if not np.allclose(a, e, rtol=RTOL, atol=ATOL * scale, equal_nan=True):
            worst = np.unravel_index(np.nanargmax(np.abs(a - e)), e.shape)
            raise MeaningError(
                f"{what}: result #{i} differs, at {tuple(map(int, worst))} {a[worst]!r} "
                f"instead of {e[worst]!r} (max |diff| {np.nanmax(np.abs(a - e)):.3g})"
            )


def emulate(module: ModuleOp, inputs: Sequence[np.ndarray]) -> tuple[np.ndarray, ...]:
    """Lower ``module`` to CUDA C and run it on the CPU emulator."""
    from relayout.lowering.cuda.plan import build_plan
    from relayout.runtime.driver import load

    return load(build_plan(module)).run(*inputs)


def check_pipeline(
    pipeline: Pipeline, module: ModuleOp, inputs: Sequence[np.ndarray],
    expected: Sequence[np.ndarray], lower: bool = False,
) -> None:
    io = pipeline.io_layout
    args = to_io_layout(module, inputs, io) if io else list(inputs)
    try:
        converted = run_pipeline(module.clone(), pipeline.spec)
        runs = {"interpreted": interpret(converted, args)}
        if lower:
            runs["emulated"] = emulate(converted, args)
    except Exception as e:
        raise MeaningError(f"{pipeline.spec}: {type(e).__name__}: {e}") from e
    for how, results in runs.items():
        assert_close(from_io_layout(results, io) if io else results, expected,
                     f"{pipeline.spec} ({how})")


def check_meaning(module: ModuleOp, emulate: bool = False, seed: int = 0) -> None:
    """Raise `MeaningError` if a pipeline of `PIPELINES` changes what ``module`` computes."""
    inputs = random_inputs(module, seed)
    expected = interpret(module, inputs)
    has_conv = any(isinstance(op, Conv2DOp) for op in module.walk())
    for pipeline in PIPELINES:
        if has_conv or not pipeline.needs_conv:
            check_pipeline(pipeline, module, inputs, expected, emulate and pipeline.emulate)
