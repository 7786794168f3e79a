"""relayout.from_torch: torch.onnx.export into a temporary folder, then from_onnx. The
tests run without PyTorch through a stub `torch` whose exporter writes a small model."""

from __future__ import annotations

import sys
import types
from pathlib import Path

import numpy as np
import onnx
import pytest
from onnx import TensorProto, helper, numpy_helper
from xdsl.dialects.builtin import ModuleOp

import relayout
from relayout.frontend.torch_import import from_torch
from relayout.interpreters.nn import interpret


def relu_model(names: list[str], batch: int | str = 1) -> onnx.ModelProto:
    """Relu of the sum of the inputs plus a weight."""
    weight = numpy_helper.from_array(np.full((1, 4), 0.5, np.float32), "w")
    nodes, acc = [], names[0]
    for i, name in enumerate(names[1:]):
        nodes.append(helper.make_node("Add", [acc, name], [f"s{i}"]))
        acc = f"s{i}"
    nodes += [helper.make_node("Add", [acc, "w"], ["t"]), helper.make_node("Relu", ["t"], ["y"])]
    graph = helper.make_graph(
        nodes, "g", [helper.make_tensor_value_info(n, TensorProto.FLOAT, [batch, 4])
                     for n in names],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [batch, 4])], [weight],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    return model


class StubExport:
    """``torch.onnx.export``, recording its calls; with ``external``, the weight goes to
    external data beside the model, as torch writes large models."""

    def __init__(self, batch: int | str = 1, external: bool = False) -> None:
        self.calls: list[dict] = []
        self.batch, self.external = batch, external

    def __call__(self, model, args, f, *, opset_version=None, dynamo=True,
                 input_names=None, **kwargs) -> None:
        self.calls.append(dict(model=model, args=args, f=f, opset_version=opset_version,
                               dynamo=dynamo, input_names=input_names, **kwargs))
        proto = relu_model(input_names, self.batch)
        if self.external:
            onnx.save(proto, f, save_as_external_data=True, all_tensors_to_one_file=True,
                      location="model.onnx.data", size_threshold=0)
        else:
            onnx.save(proto, f)


@pytest.fixture
def stub_torch(monkeypatch: pytest.MonkeyPatch):
    def install(export) -> types.ModuleType:
        torch = types.ModuleType("torch")
        torch.onnx = types.SimpleNamespace(export=export)  # type: ignore[attr-defined]
        monkeypatch.setitem(sys.modules, "torch", torch)
        return torch
    return install


def test_exports_and_imports(stub_torch):
    export = StubExport()
    stub_torch(export)
    model, x = object(), object()
    module = relayout.from_torch(model, x)
    assert isinstance(module, ModuleOp)
    (call,) = export.calls
    assert call["model"] is model and call["args"] == (x,)
    assert call["opset_version"] == 17 and call["dynamo"] is False
    assert call["input_names"] == ["input"]
    assert Path(call["f"]).name == "model.onnx" and not Path(call["f"]).parent.exists()
    (y,) = interpret(module, [np.array([[-1, 0, 1, 2]], np.float32)])
    np.testing.assert_array_equal(y, [[0, 0.5, 1.5, 2.5]])


def test_arguments_reach_the_exporter(stub_torch):
    export = StubExport(batch="N")
    stub_torch(export)
    a, b = object(), object()
    module = from_torch(object(), [a, b], batch=3, opset=13, dynamo=True,
                        dynamic_axes={"input0": {0: "N"}}, do_constant_folding=False)
    (call,) = export.calls
    assert call["args"] == (a, b) and call["input_names"] == ["input0", "input1"]
    assert call["opset_version"] == 13 and call["dynamo"] is True
    assert call["dynamic_axes"] == {"input0": {0: "N"}}
    assert call["do_constant_folding"] is False
    x = np.ones((3, 4), np.float32)
    (y,) = interpret(module, [x, x])
    assert y.shape == (3, 4)


def test_input_names_may_be_given(stub_torch):
    export = StubExport()
    stub_torch(export)
    from_torch(object(), (object(),), input_names=["image"])
    assert export.calls[0]["input_names"] == ["image"]


def test_external_data_is_read_before_the_folder_goes(stub_torch):
    stub_torch(StubExport(external=True))
    module = from_torch(object(), object())
    (y,) = interpret(module, [np.zeros((1, 4), np.float32)])
    np.testing.assert_array_equal(y, np.full((1, 4), 0.5))


def test_old_exporter_without_dynamo_keyword(stub_torch):
    calls = []

    def export(model, args, f, opset_version=None, input_names=None):
        calls.append(opset_version)
        onnx.save(relu_model(input_names), f)

    stub_torch(export)
    assert isinstance(from_torch(object(), object()), ModuleOp)
    assert calls == [17]


def test_missing_torch_says_how_to_install(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setitem(sys.modules, "torch", None)  # import torch raises ImportError
    with pytest.raises(ImportError, match=r"pip install relayout\[torch\]"):
        from_torch(object(), object())


def test_core_does_not_import_torch():
    import subprocess

    code = ("import sys, relayout, relayout.api, relayout.cli, relayout.frontend.torch_import;"
            "relayout.from_torch; assert 'torch' not in sys.modules")
    subprocess.run([sys.executable, "-c", code], check=True)


def test_real_torch_conv_relu():
    torch = pytest.importorskip("torch")
    net = torch.nn.Sequential(torch.nn.Conv2d(3, 8, 3, padding=1), torch.nn.ReLU()).eval()
    x = torch.randn(1, 3, 16, 16)
    module = relayout.from_torch(net, x)
    with torch.no_grad():
        want = net(x).numpy()
    (got,) = relayout.run(module, x.numpy())
    assert relayout.check(got, want).ok
