"""Import a PyTorch model: export it with ``torch.onnx.export`` and import the ONNX.

PyTorch is an optional extra (``pip install relayout[torch]``), imported only when
``from_torch`` is called.
"""

from __future__ import annotations

import inspect
import tempfile
from pathlib import Path
from typing import Any

from xdsl.dialects.builtin import ModuleOp

from relayout.frontend.onnx_import import from_onnx

__all__ = ["from_torch"]

MISSING_TORCH = ("relayout.from_torch needs PyTorch, which is not installed: "
                 "pip install relayout[torch]")


def from_torch(
    model: Any, example_inputs: Any, *, batch: int | None = None, opset: int = 17,
    dynamo: bool = False, **export_kwargs: Any,
) -> ModuleOp:
    """Export ``model`` (a ``torch.nn.Module``, in eval mode for inference) on
    ``example_inputs`` (a tensor or a tuple of tensors) to ONNX and import it.

    ``opset`` is the ONNX opset to export; ``dynamo`` chooses the ``torch.export``-based
    exporter over TorchScript tracing; ``batch`` gives the extent of a symbolic batch axis
    (exported with ``dynamic_axes``/``dynamic_shapes``). Other keywords go to
    ``torch.onnx.export``; the graph inputs are named ``input`` (``input0``,
    ``input1``, ... for several) unless ``input_names`` is given. The export is written
    to a temporary folder, so weights over ONNX's 2 GB limit (external data) work too.
    Raises ``ImportError`` without PyTorch and ``OnnxImportError`` for what relayout
    cannot import.
    """
    try:
        import torch
    except ImportError as e:
        raise ImportError(MISSING_TORCH) from e
    args = tuple(example_inputs) if isinstance(example_inputs, list | tuple) else (
        example_inputs,)
    export_kwargs.setdefault(
        "input_names", ["input"] if len(args) == 1 else [f"input{i}" for i in range(len(args))])
    export = torch.onnx.export
    if dynamo or _accepts(export, "dynamo"):
        # Passed even when False: newer PyTorch releases default to the dynamo exporter.
        export_kwargs["dynamo"] = dynamo
    with tempfile.TemporaryDirectory(prefix="relayout-torch-") as folder:
        path = Path(folder) / "model.onnx"
        export(model, args, str(path), opset_version=opset, **export_kwargs)
        # Read while the folder (and any external data beside the model) exists.
        return from_onnx(path, batch)


def _accepts(function: Any, keyword: str) -> bool:
    try:
        parameters = inspect.signature(function).parameters
    except (TypeError, ValueError):
        return True
    return keyword in parameters or any(
        p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters.values())
