"""A permuting layout_transform read only by a group's result runs in that group's store
(`store_transform.py`): one launch, named for both, equal to the interpreter, after
every kind of kernel, into a concat's slice too, and in both precisions."""

import pytest

from relayout.dialects.nn import (
    AddOp,
    BiasAddOp,
    ConcatOp,
    Conv2DOp,
    LayoutTransformOp,
    LpPool2DOp,
    MaxPool2DOp,
    ReluOp,
    Resize2DOp,
    SigmoidOp,
    SoftmaxOp,
)
from relayout.lowering.cuda.plan import build_plan
from relayout.test.lowering.test_nvcc import NVCC, nvcc

NHWC = (1, 5, 6, 8)


def _to_nchw(add, y):
    return add(LayoutTransformOp.make(y, src_layout="NHWC", dst_layout="NCHW"))


KINDS = {
    "conv_bias_relu": lambda nets, add, x: add(ReluOp.make(add(BiasAddOp.make(
        add(Conv2DOp.make(x, nets.const(add, (12, 3, 3, 8)), padding=(1, 1, 1, 1),
                          data_layout="NHWC", kernel_layout="OHWI")),
        nets.const(add, (12,)), axis=3)))),
    "depthwise": lambda nets, add, x: add(Conv2DOp.make(
        x, nets.const(add, (3, 3, 1, 8)), padding=(1, 1, 1, 1), groups=8,
        data_layout="NHWC", kernel_layout="HWIO")),
    "elementwise": lambda nets, add, x: add(SigmoidOp.make(add(AddOp.make(x, x)))),
    "max_pool": lambda nets, add, x: add(MaxPool2DOp.make(
        x, pool_size=(2, 2), strides=(2, 2), layout="NHWC")),
    "lp_pool": lambda nets, add, x: add(LpPool2DOp.make(
        x, pool_size=(3, 3), padding=(1, 1, 1, 1), p=2, layout="NHWC")),
    "resize": lambda nets, add, x: add(Resize2DOp.make(
        x, size=(10, 12), method="bilinear", layout="NHWC")),
    "softmax": lambda nets, add, x: add(SoftmaxOp.make(x, axis=3)),
}


@pytest.mark.parametrize("kind", KINDS.values(), ids=KINDS.keys())
def test_group_stores_through_the_transform(nets, kind):
    plan = nets.check(nets.build([NHWC], lambda add, x: _to_nchw(add, kind(nets, add, x))))
    assert len(plan.launches) == 1
    assert plan.launches[0].kernel.endswith("_layout_transform")


@pytest.mark.parametrize("precision", ["fp32", "tf32"])
def test_transformed_results_written_into_a_concat(nets, precision):
    """Each branch stores its NHWC result permuted into its slice of an NCHW concat."""

    def make(add, x):
        a = _to_nchw(add, KINDS["conv_bias_relu"](nets, add, x))
        b = _to_nchw(add, KINDS["elementwise"](nets, add, x))
        return add(ConcatOp.make(a, b, axis=1))

    plan = nets.check(nets.build([NHWC], make), precision=precision,
                      rtol=1e-2 if precision == "tf32" else 1e-4)
    assert len(plan.launches) == 2 and plan.in_place


@pytest.mark.skipif(NVCC is None, reason="nvcc not found")
@pytest.mark.parametrize("arch, precision", [("sm_80", "tf32"), ("sm_90", "fp32")])
def test_store_transforms_compile_with_nvcc(nets, tmp_path, arch, precision):
    def make(add, x):
        return tuple(_to_nchw(add, kind(nets, add, x)) for kind in KINDS.values())

    plan = build_plan(nets.build([NHWC], make), precision=precision)
    assert all(launch.kernel.endswith("_layout_transform") for launch in plan.launches)
    nvcc(tmp_path, plan.source, arch)
