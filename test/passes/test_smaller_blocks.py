"""A conv whose channels do not divide the block of a blocked target takes the largest
block that does, per side (passes/layout_rules/conv2d.py): MobileNetV2's 24-channel
layers run in NCHW8c beside its NCHW16c ones, the RGB stem reads its NCHW input and
writes NCHW16c, and so no transform is left, with the same numbers (the interpreter,
and the emulated CUDA C). Before, MobileNetV2 kept 5 transforms in NCHW16c, MNASNet 12
and EfficientNet-B0 33 (its squeeze-excite convs have 4 to 48 channels). ShuffleNetV2's
channel shuffles gather across blocks and its 48-channel convs read the NCHW8c concat of
two 24-channel branches as it arrives: 36 transforms in NCHW16c before, 0 now."""

import pytest

from relayout import api
from relayout.dialects.nn import Conv2DOp, LayoutTransformOp
from relayout.frontend.onnx_import import from_onnx
from relayout.interpreters.nn import interpret
from relayout.passes.explain_layout import layout_choices
from relayout.test.frontend.zoo.fixtures import inputs, load

CASES = [(m, e, layout)
         for m in ("mobilenet_v2", "mnasnet0_5", "efficientnet_b0", "shufflenet_v2_x0_5")
         for e in ("torchscript", "dynamo") for layout in ("NCHW16c", "NCHW8c")]


def _blocked(model: str, exporter: str, layout: str):
    proto = load(model, exporter)
    x = list(inputs(proto).values())
    module = from_onnx(proto)
    (want,) = interpret(module, x)
    return api.optimize(module, (layout, "default")), x, want


@pytest.mark.parametrize("model, exporter, layout", CASES,
                         ids=[f"{m}-{e}-{layout}" for m, e, layout in CASES])
def test_blocked_moves_nothing_and_keeps_meaning(model, exporter, layout,
                                                 close_to_magnitude) -> None:
    module, x, want = _blocked(model, exporter, layout)
    assert [op for op in module.walk() if isinstance(op, LayoutTransformOp)] == []
    convs = [op for op in module.walk() if isinstance(op, Conv2DOp)]
    assert str(convs[0].layouts[0]) == "NCHW"  # the RGB stem reads its input as it is
    assert all(op.layouts[2].is_blocked for op in convs)
    (got,) = interpret(module, x)
    close_to_magnitude(got, want)


def test_mobilenet_v2_24_channels_take_blocks_of_8() -> None:
    module, _, _ = _blocked("mobilenet_v2", "torchscript", "NCHW16c")
    by_channels = {
        (op.extents()[0]["C"], op.extents()[1]["O"]): tuple(map(str, op.layouts))
        for op in module.walk() if isinstance(op, Conv2DOp)
    }
    assert by_channels[96, 24] == ("NCHW16c", "OIHW16i8o", "NCHW8c")
    assert by_channels[24, 144] == ("NCHW8c", "OIHW8i16o", "NCHW16c")
    lines = layout_choices(module)
    assert "24 output channels do not divide by 16: written in NCHW8c" in lines[1]
    assert all("16" in line for line in lines)


def test_mobilenet_v2_blocked_emulates(backend, close_to_magnitude) -> None:
    module, x, _ = _blocked("mobilenet_v2", "dynamo", "NCHW16c")
    (got,) = api.run(module, x, backend)
    (want,) = interpret(module, x)
    close_to_magnitude(got, want)
