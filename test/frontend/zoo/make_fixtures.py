"""Make the torchvision zoo fixtures: one model of each torchvision family, exported by
both PyTorch exporters, with the weights' data stripped.

Needs torch and torchvision (kept out of the project's own environment); tests and CI
never run it, they read the files it writes:

    python3 -m venv /work/torchenv
    /work/torchenv/bin/pip install torch torchvision onnx onnxscript numpy
    /work/torchenv/bin/python test/frontend/zoo/make_fixtures.py [MODEL ...]

For every model it writes ``MODEL.torchscript.onnx`` (``dynamo=False``, opset 17) and
``MODEL.dynamo.onnx`` (the default torch.export-based exporter at its default opset),
random weights (``weights=None``), eval mode, batch 1 at the size in ``MODELS``. An export
that fails is recorded, with its error, in ``manifest.json`` beside the fixtures.

Stripping: every float tensor (initializer or Constant node value) of at least
``STRIP_MIN`` elements loses its data and keeps its name, dims and data type, so the
files stay small. Smaller float tensors (Clip bounds, Resize scales, the constants of
decomposed activations) and every integer tensor (shape arithmetic) are kept as they
are. ``fixtures.refill`` (used by the test and the bench) puts seeded values back.
"""

from __future__ import annotations

import json
import sys
import tempfile
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

import onnx
import torch
import torchvision
from torch import nn

from relayout.test.frontend.zoo.fixtures import EXPORTERS, STRIP_MIN, ZOO, float_tensors

models = torchvision.models
seg = torchvision.models.segmentation


class SegmentationOut(nn.Module):
    """Torchvision's segmentation models return a dict; the exporters want tensors."""

    def __init__(self, model: nn.Module) -> None:
        super().__init__()
        self.model = model

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.model(x)["out"]


def segmentation(build: Callable[..., nn.Module]) -> Callable[[], nn.Module]:
    # weights_backbone=None: nothing may be downloaded.
    return lambda: SegmentationOut(build(weights=None, weights_backbone=None,
                                         num_classes=21, aux_loss=False))


def classifier(build: Callable[..., nn.Module], **kwargs: Any) -> Callable[[], nn.Module]:
    return lambda: build(weights=None, **kwargs)


MODELS: dict[str, tuple[Callable[[], nn.Module], int]] = {
    # name: (builder, input height and width)
    "resnet18": (classifier(models.resnet18), 64),
    "resnext50_32x4d": (classifier(models.resnext50_32x4d), 64),
    "wide_resnet50_2": (classifier(models.wide_resnet50_2), 64),
    "mobilenet_v2": (classifier(models.mobilenet_v2), 64),
    "mobilenet_v3_small": (classifier(models.mobilenet_v3_small), 64),
    "mobilenet_v3_large": (classifier(models.mobilenet_v3_large), 64),
    "squeezenet1_1": (classifier(models.squeezenet1_1), 64),
    "shufflenet_v2_x0_5": (classifier(models.shufflenet_v2_x0_5), 64),
    "densenet121": (classifier(models.densenet121), 64),
    "googlenet": (classifier(models.googlenet, aux_logits=False, init_weights=False), 64),
    # Inception v3's stem needs at least 75x75.
    "inception_v3": (classifier(models.inception_v3, aux_logits=False, init_weights=False),
                     75),
    "efficientnet_b0": (classifier(models.efficientnet_b0), 64),
    "regnet_y_400mf": (classifier(models.regnet_y_400mf), 64),
    "mnasnet0_5": (classifier(models.mnasnet0_5), 64),
    # VGG and AlexNet end in an adaptive average pool to 7x7 and 6x6, which the
    # TorchScript exporter takes only when it divides its input: at 224 it is the identity.
    "vgg11": (classifier(models.vgg11), 224),
    "alexnet": (classifier(models.alexnet), 224),
    "convnext_tiny": (classifier(models.convnext_tiny), 64),
    "fcn_resnet50": (segmentation(seg.fcn_resnet50), 64),
    "deeplabv3_mobilenet_v3_large": (segmentation(seg.deeplabv3_mobilenet_v3_large), 64),
    "lraspp_mobilenet_v3_large": (segmentation(seg.lraspp_mobilenet_v3_large), 64),
}


def export(model: nn.Module, size: int, exporter: str, path: Path) -> None:
    x = torch.randn(1, 3, size, size)
    kwargs: dict[str, Any] = {"input_names": ["input"], "output_names": ["output"]}
    if exporter == "torchscript":
        kwargs.update(dynamo=False, opset_version=17)
    else:
        kwargs.update(dynamo=True)
    torch.onnx.export(model, (x,), str(path), **kwargs)


def strip(proto: onnx.ModelProto) -> int:
    """Drop the data of large float tensors and what only documents the export (stack
    traces, doc strings); return the number of tensors stripped."""
    stripped = 0
    for _, tensor in float_tensors(proto.graph):
        if _numel(tensor) >= STRIP_MIN:
            for field in ("raw_data", "float_data", "double_data", "int32_data",
                          "external_data"):
                tensor.ClearField(field)
            tensor.data_location = onnx.TensorProto.DEFAULT
            stripped += 1
    for node in proto.graph.node:
        node.ClearField("metadata_props")
        node.ClearField("doc_string")
    for value in [*proto.graph.input, *proto.graph.output, *proto.graph.value_info,
                  *proto.graph.initializer]:
        value.ClearField("metadata_props")
        value.ClearField("doc_string")
    proto.ClearField("metadata_props")
    proto.ClearField("doc_string")
    proto.graph.ClearField("doc_string")
    return stripped


def _numel(tensor: onnx.TensorProto) -> int:
    n = 1
    for d in tensor.dims:
        n *= d
    return n


def make(name: str, exporter: str) -> str:
    build, size = MODELS[name]
    torch.manual_seed(0)
    model = build().eval()
    with torch.no_grad():
        # Untrained models have many equal tensors (zero biases, unit BatchNorm
        # statistics): the TorchScript exporter shares them between nodes and the dynamo
        # exporter drops zero biases. Distinct values keep one tensor per use in both.
        for t in [*model.parameters(), *model.buffers()]:
            if t.is_floating_point() and t.numel() >= STRIP_MIN:
                t.add_(torch.rand_like(t) * 0.01)
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder) / "model.onnx"
        with torch.no_grad():
            export(model, size, exporter, tmp)
        proto = onnx.load(str(tmp))  # with any external data beside it
    strip(proto)
    onnx.save(proto, str(ZOO / f"{name}.{exporter}.onnx"))
    return "ok"


def main(names: list[str]) -> None:
    manifest_path = ZOO / "manifest.json"
    manifest: dict[str, dict[str, Any]] = (
        json.loads(manifest_path.read_text()) if manifest_path.exists() else {})
    for name in names or list(MODELS):
        entry = manifest.setdefault(name, {})
        entry["size"] = MODELS[name][1]
        for exporter in EXPORTERS:
            try:
                entry[exporter] = make(name, exporter)
            except Exception as e:  # noqa: BLE001 - recorded: why the fixture is missing
                traceback.print_exc()
                entry[exporter] = f"export failed: {type(e).__name__}: {str(e)[:300]}"
                (ZOO / f"{name}.{exporter}.onnx").unlink(missing_ok=True)
            print(f"{name} {exporter}: {entry[exporter]}", flush=True)
    manifest_path.write_text(json.dumps(dict(sorted(manifest.items())), indent=1) + "\n")
    total = sum(p.stat().st_size for p in ZOO.glob("*.onnx"))
    print(f"fixtures: {total / 1e6:.2f} MB")


if __name__ == "__main__":
    main(sys.argv[1:])
