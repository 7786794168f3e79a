"""relayout: run NCHW convolutional networks in NHWC or blocked layouts.

The package is light to import (the xdsl-opt plugin imports it on every start); the
Python API below loads its parts on first use.
"""

from importlib import import_module

_API = {
    "from_onnx": "relayout.frontend.onnx_import",
    "from_torch": "relayout.frontend.torch_import",
    "check": "relayout.api",
    "CheckResult": "relayout.api",
    "optimize": "relayout.api",
    "run": "relayout.api",
    "explain": "relayout.api",
    "parse_module": "relayout.api",
    "Layout": "relayout.layout",
}

__all__ = [
    "CheckResult", "Layout", "check", "explain", "from_onnx", "from_torch", "optimize",
    "parse_module", "run",
]


def __getattr__(name: str):
    if name in _API:
        return getattr(import_module(_API[name]), name)
    raise AttributeError(f"module 'relayout' has no attribute {name!r}")
