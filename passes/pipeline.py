"""Running pass pipelines written as `xdsl-opt -p` takes them, from Python."""

from __future__ import annotations

from xdsl.dialects.builtin import ModuleOp
from xdsl.passes import PassPipeline
from xdsl.universe import Universe

from relayout.dialects.context import make_context


def run_pipeline(module: ModuleOp, spec: str) -> ModuleOp:
    """Apply ``spec`` (e.g. ``"optimize-layout{conv2d=NHWC,default}"``) in place."""
    passes = Universe.get_multiverse().all_passes
    PassPipeline.parse_spec(passes, spec).apply(make_context(), module)
    module.verify()
    return module
