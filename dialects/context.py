"""Building an xDSL context that knows relayout's IR, and parsing modules with it."""

from __future__ import annotations

from pathlib import Path

from xdsl.context import Context
from xdsl.dialect_interfaces.op_asm import OpAsmDialectInterface
from xdsl.dialects.builtin import Builtin, ModuleOp
from xdsl.dialects.func import Func


def make_context() -> Context:
    from relayout.dialects.nn import NN

    ctx = Context()
    for dialect in (Builtin, Func, NN):
        ctx.load_dialect(dialect)
    return ctx


def parse_module(source: str | Path, ctx: Context | None = None) -> ModuleOp:
    """Parse and verify textual IR given as text or as a path to a `.mlir` file;
    `dense_resource` constants come back as dense data."""
    from relayout.dialects.ir_parser import IRParser
    from relayout.dialects.nn.constant import resolve_resources

    name = "<string>"
    if isinstance(source, Path):
        name, source = str(source), source.read_text()
    ctx = ctx or make_context()
    parser = IRParser(ctx, source, name)
    blobs = ctx.get_dialect("builtin").get_interface(OpAsmDialectInterface)
    assert blobs is not None
    try:
        module = parser.parse_module()
        resolve_resources(module, blobs)
    finally:
        # xDSL's blob store is global to the process and renames a key it already
        # holds, which loses the data when a module is parsed twice: once the
        # constants own their bytes, forget this module's blobs.
        for _, key in parser.dialect_resources:
            blobs._blob_storage.pop(key, None)
    module.verify()
    return module
