"""Building an xDSL context that knows relayout's IR, and parsing modules with it."""

from __future__ import annotations

from pathlib import Path

from xdsl.context import Context
from xdsl.dialect_interfaces.op_asm import OpAsmDialectInterface
from xdsl.dialects.builtin import Builtin, ModuleOp
from xdsl.dialects.func import Func


def make_context() -> Context:
    """A context with the builtin, func and nn dialects. The nn dialect is built from
    the op registry now, so ops registered with `relayout.dialects.nn.extra_ops` (a
    test's own ops) are known to the contexts made inside the ``with`` block."""
    from relayout.dialects.nn import nn_dialect

    ctx = Context()
    for dialect in (Builtin, Func, nn_dialect()):
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
