"""Building an xDSL context that knows relayout's IR, and parsing modules with it."""

from __future__ import annotations

from pathlib import Path

from xdsl.context import Context
from xdsl.dialects.builtin import Builtin, ModuleOp
from xdsl.dialects.func import Func
from xdsl.parser import Parser


def make_context() -> Context:
    from relayout.dialects.nn import NN

    ctx = Context()
    for dialect in (Builtin, Func, NN):
        ctx.load_dialect(dialect)
    return ctx


def parse_module(source: str | Path, ctx: Context | None = None) -> ModuleOp:
    """Parse and verify textual IR given as text or as a path to a `.mlir` file."""
    name = "<string>"
    if isinstance(source, Path):
        name, source = str(source), source.read_text()
    module = Parser(ctx or make_context(), source, name).parse_module()
    module.verify()
    return module
