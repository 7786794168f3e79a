"""Frontends: ONNX models to the `nn` dialect, and example networks to try them on."""

from relayout.frontend.errors import OnnxImportError
from relayout.frontend.onnx_import import from_onnx

__all__ = ["OnnxImportError", "from_onnx"]
