"""The one error the ONNX frontend raises for a model it cannot import, and the helpers
that keep what it quotes from the model short."""

from __future__ import annotations

from collections.abc import Iterable
from itertools import islice

MAX_SHOWN = 80
"""Names and literals from a model may be megabytes long; a message shows this much."""


class OnnxImportError(ValueError):
    """An ONNX model is malformed or uses something the importer does not support.

    The message names the node (by name, or by index when unnamed), its op type and what
    is wrong, so a user can find the culprit in a model viewer.
    """


class NeedsFunctionBody(OnnxImportError):
    """A converter cannot express this node in `nn` ops, though ONNX's function body of
    the operator might: the importer then imports that body instead
    (frontend/function_bodies.py), and reports this error where ONNX defines none. A
    converter raises it before it emits any op."""


def shorten(text: str, limit: int = MAX_SHOWN) -> str:
    """``text`` cut to ``limit`` characters, the cut marked by '...'."""
    return text if len(text) <= limit else text[: limit - 3] + "..."


def quote(name: str) -> str:
    """A name or string from the model, quoted as repr does, cut to a readable length."""
    return repr(shorten(name))


def show(values: Iterable) -> str:
    """Numbers from the model (a shape, pads, scales) as a list cut to a readable length;
    only what is shown is converted, so a million-entry list costs nothing."""
    items = [str(v) for v in islice(values, MAX_SHOWN)]
    return shorten(f"[{', '.join(items)}]")
