"""The example networks: torchvision's structure (parameter and op counts) and imports
whose reference run matches ONNX Runtime."""

from collections import Counter
from functools import cache

import numpy as np
import pytest

from relayout.frontend.models import EXAMPLES, resnet50
from relayout.frontend.onnx_import import from_onnx

# Small inputs keep the reference interpreter quick; each still runs every layer.
SIZES = {"resnet18": 64, "resnet50": 64, "mobilenet_v2": 64, "squeezenet": 64, "unet": 32,
         "gemm_softmax": 32}


@cache
def example(name: str, batch: int | None = 2):
    return EXAMPLES[name](batch=batch, size=SIZES[name])


def feeds(size: int, batch: int = 2) -> dict:
    x = np.random.default_rng(42).standard_normal((batch, 3, size, size)).astype(np.float32)
    return {"input": x}


@pytest.mark.parametrize("name", EXAMPLES)
def test_example_matches_onnxruntime(matches_ort, name):
    matches_ort(example(name), feeds(SIZES[name]))


# Trainable parameters as torchvision counts them (BN running statistics are buffers).
TORCHVISION_PARAMETERS = {"resnet18": 11_689_512, "resnet50": 25_557_032,
                          "mobilenet_v2": 3_504_872, "squeezenet": 1_235_496}


@pytest.mark.parametrize("name", TORCHVISION_PARAMETERS)
def test_parameter_count_matches_torchvision(name):
    counted = sum(
        int(np.prod(t.dims)) for t in example(name).graph.initializer
        if not t.name.startswith(("mean_", "var_"))
    )
    assert counted == TORCHVISION_PARAMETERS[name]


OP_COUNTS = {
    "resnet18": {"Conv": 20, "BatchNormalization": 20, "Add": 8, "Gemm": 1},
    "resnet50": {"Conv": 53, "BatchNormalization": 53, "Add": 16, "Gemm": 1},
    "mobilenet_v2": {"Conv": 52, "Clip": 35, "Add": 10, "Gemm": 1},
    "squeezenet": {"Conv": 26, "Concat": 8, "MaxPool": 3},
    "unet": {"Resize": 2, "Pad": 2, "Concat": 2, "MaxPool": 2},
    "gemm_softmax": {"Flatten": 1, "Gemm": 1, "Softmax": 1},
}


@pytest.mark.parametrize("name", OP_COUNTS)
def test_op_counts(name):
    counts = Counter(n.op_type for n in example(name).graph.node)
    assert {op: counts[op] for op in OP_COUNTS[name]} == OP_COUNTS[name]


def test_mobilenet_v2_depthwise_convs_have_groups_equal_channels():
    model = example("mobilenet_v2")
    shapes = {t.name: tuple(t.dims) for t in model.graph.initializer}
    depthwise = [
        (a.i, shapes[n.input[1]]) for n in model.graph.node if n.op_type == "Conv"
        for a in n.attribute if a.name == "group" and a.i > 1
    ]
    assert len(depthwise) == 17
    assert all(groups == w[0] and w[1] == 1 for groups, w in depthwise)


def test_clip_bounds_are_constant_inputs():
    model = example("mobilenet_v2")
    constants = {n.output[0] for n in model.graph.node if n.op_type == "Constant"}
    clips = [n for n in model.graph.node if n.op_type == "Clip"]
    assert all(len(c.input) == 3 and set(c.input[1:]) <= constants for c in clips)
    ops = Counter(op.name for op in from_onnx(model).walk())
    assert ops["nn.clip"] == 35 and ops["nn.conv2d"] == 52


def test_symbolic_batch_examples():
    model = EXAMPLES["squeezenet"](batch=None, size=32)
    assert model.graph.input[0].type.tensor_type.shape.dim[0].dim_param == "N"
    assert "tensor<5x1000xf32>" in str(from_onnx(model, batch=5))


def test_seeds_give_different_weights():
    a, b = (EXAMPLES["gemm_softmax"](seed=s, size=16) for s in (0, 1))
    assert a.graph.initializer[0].raw_data != b.graph.initializer[0].raw_data


def test_resnet50_full_size(matches_ort):
    """ImageNet resolution once: the 7x7 output of the last stage and 2048 features."""
    module = matches_ort(resnet50(batch=1, size=224), feeds(224, batch=1))
    assert "tensor<1x2048x7x7xf32>" in str(module)
