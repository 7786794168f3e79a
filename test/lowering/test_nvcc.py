"""The whole generated translation unit of a small net compiles with nvcc to cubins for
sm_80 and sm_90 (skipped where nvcc is absent), in fp32 and with TF32 tensor-core
kernels, which must not spill registers."""

import re
import shutil
import subprocess

import pytest

from relayout.dialects.nn import (
    AddOp,
    BiasAddOp,
    ConcatOp,
    Conv2DOp,
    DeformConv2DOp,
    DenseOp,
    GlobalAvgPool2DOp,
    LayoutTransformOp,
    MaxPool2DOp,
    ReluOp,
    ReshapeOp,
    Resize2DOp,
    SoftmaxOp,
)
from relayout.lowering.cuda.plan import build_plan

NVCC = shutil.which("nvcc")


def small_net(nets):
    def make(add, x):
        t = add(LayoutTransformOp.make(x, src_layout="NCHW", dst_layout="NHWC"))
        w = nets.const(add, (8, 3, 3, 3))
        c = add(Conv2DOp.make(t, w, padding=(1, 1, 1, 1), data_layout="NHWC",
                              kernel_layout="OHWI"))
        c = add(ReluOp.make(add(BiasAddOp.make(c, nets.const(add, (8,)), axis=3))))
        d = add(Conv2DOp.make(c, nets.const(add, (3, 3, 1, 8)), padding=(1, 1, 1, 1),
                              groups=8, data_layout="NHWC", kernel_layout="HWIO"))
        s = add(AddOp.make(d, c))
        p = add(MaxPool2DOp.make(s, pool_size=(2, 2), strides=(2, 2), layout="NHWC",
                                 ceil_mode=True))
        r = add(Resize2DOp.make(p, size=(8, 8), layout="NHWC", method="bilinear"))
        k = add(ConcatOp.make(r, r, axis=3))
        g = add(GlobalAvgPool2DOp.make(k, layout="NHWC"))
        f = add(ReshapeOp.make(g, newshape=(1, 16)))
        return add(SoftmaxOp.make(add(DenseOp.make(f, nets.const(add, (10, 16)))), axis=1))

    return nets.build([(1, 3, 8, 8)], make)


def tf32_net(nets):
    """Tensor-core GEMMs with every operand staging: float4 along kk (NHWC data, OHWI
    weights) and along o (HWIO), scalars (C = 3, OIHW), and dense."""

    def make(add, x):
        c = add(Conv2DOp.make(x, nets.const(add, (3, 3, 3, 32)), padding=(1, 1, 1, 1),
                              data_layout="NHWC", kernel_layout="HWIO"))
        c = add(ReluOp.make(add(BiasAddOp.make(c, nets.const(add, (32,)), axis=3))))
        d = add(Conv2DOp.make(c, nets.const(add, (32, 3, 3, 32)), padding=(1, 1, 1, 1),
                              strides=(2, 2), data_layout="NHWC", kernel_layout="OHWI"))
        e = add(Conv2DOp.make(d, nets.const(add, (16, 32, 1, 1)), data_layout="NHWC",
                              kernel_layout="OIHW"))
        f = add(ReshapeOp.make(e, newshape=(1, 256)))
        return add(DenseOp.make(f, nets.const(add, (24, 256))))

    return nets.build([(1, 8, 8, 3)], make)


def simt_net(nets):
    """A SIMT GEMM of each schedule: 128 x 128 tiles (float4 along kk, and HWIO float4
    along o), 64 x 64 split-K with the fused residual epilogue, 32 x 32 scalar loads
    (NCHW), and split-K dense."""

    def make(add, x, y, r):
        a = add(Conv2DOp.make(x, nets.const(add, (130, 1, 1, 20)), data_layout="NHWC",
                              kernel_layout="OHWI"))
        b = add(Conv2DOp.make(a, nets.const(add, (1, 1, 130, 132)), data_layout="NHWC",
                              kernel_layout="HWIO"))
        c = add(Conv2DOp.make(y, nets.const(add, (512, 3, 3, 512)), padding=(1, 1, 1, 1),
                              data_layout="NHWC", kernel_layout="OHWI"))
        c = add(ReluOp.make(add(AddOp.make(
            add(BiasAddOp.make(c, nets.const(add, (512,)), axis=3)), r))))
        d = add(Conv2DOp.make(add(LayoutTransformOp.make(c, src_layout="NHWC",
                                                         dst_layout="NCHW")),
                              nets.const(add, (10, 512, 3, 3)), padding=(1, 1, 1, 1)))
        e = add(DenseOp.make(add(ReshapeOp.make(d, newshape=(1, 490))),
                             nets.const(add, (1000, 490))))
        return b, e

    return nets.build([(1, 130, 130, 20), (1, 7, 7, 512), (1, 7, 7, 512)], make)


def nvcc(tmp_path, source: str, arch: str) -> str:
    """ptxas's report of compiling ``source`` to a cubin for ``arch``."""
    assert NVCC is not None
    src = tmp_path / "net.cu"
    src.write_text(source)
    out = subprocess.run(
        [NVCC, "-cubin", f"-arch={arch}", "-Xptxas", "-v", "-o", str(tmp_path / "net.cubin"),
         str(src)],
        check=False, capture_output=True, text=True,
    )
    assert out.returncode == 0, out.stderr
    assert (tmp_path / "net.cubin").stat().st_size > 0
    return out.stderr


@pytest.mark.skipif(NVCC is None, reason="nvcc not found")
@pytest.mark.parametrize("arch", ["sm_80", "sm_90"])
def test_generated_source_compiles_with_nvcc(nets, tmp_path, arch):
    nvcc(tmp_path, build_plan(small_net(nets)).source, arch)


@pytest.mark.skipif(NVCC is None, reason="nvcc not found")
@pytest.mark.parametrize("arch", ["sm_80", "sm_90"])
def test_tf32_kernels_compile_without_spills(nets, tmp_path, arch):
    plan = build_plan(tf32_net(nets), precision="tf32")
    assert sum("mma.h" in k.headers for k in plan.kernels.values()) == 4
    report = nvcc(tmp_path, plan.source, arch)
    spills = re.findall(r"(\d+) bytes spill (?:stores|loads)", report)
    assert len(spills) == 2 * len(plan.kernels) and set(spills) == {"0"}, report


@pytest.mark.skipif(NVCC is None, reason="nvcc not found")
def test_simt_kernels_compile_without_spills(nets, tmp_path):
    plan = build_plan(simt_net(nets))
    gemms = [launch for launch in plan.launches if "conv2d" in launch.kernel
             or "dense" in launch.kernel]
    assert sorted((launch.block[0], launch.grid[2]) for launch in gemms) == [
        (64, 1), (64, 18), (256, 1), (256, 1), (256, 17)]
    report = nvcc(tmp_path, plan.source, "sm_90")
    spills = re.findall(r"(\d+) bytes spill (?:stores|loads)", report)
    assert len(spills) == 2 * len(plan.kernels) and set(spills) == {"0"}, report
    registers = re.findall(r"entry function '(\w+)'.*?Used (\d+) registers", report, re.DOTALL)
    print(registers)
    assert all(int(n) <= 128 for _, n in registers)


def deform_net(nets):
    """A DCNv2 block in NHWC: offsets and mask from convs of the input, the deformable
    conv with and without the mask, bias and relu fused."""

    def make(add, x):
        def conv(out):
            return add(Conv2DOp.make(x, nets.const(add, (3, 3, 8, out)), padding=(1, 1, 1, 1),
                                     data_layout="NHWC", kernel_layout="HWIO"))

        w = nets.const(add, (16, 4, 3, 3))
        props = {"padding": (1, 1, 1, 1), "groups": 2, "offset_groups": 2, "data_layout": "NHWC"}
        masked = add(DeformConv2DOp.make(x, w, conv(36), conv(18), **props))
        y = add(DeformConv2DOp.make(x, w, conv(36), **props))
        return add(ReluOp.make(add(BiasAddOp.make(masked, nets.const(add, (16,)), axis=3)))), y

    return nets.build([(1, 8, 8, 8)], make)


@pytest.mark.skipif(NVCC is None, reason="nvcc not found")
def test_deform_conv2d_compiles_without_spills(nets, tmp_path):
    report = nvcc(tmp_path, build_plan(deform_net(nets)).source, "sm_90")
    assert re.findall(r"entry function '(\w*deformable\w*)'", report)
    assert set(re.findall(r"(\d+) bytes spill (?:stores|loads)", report)) == {"0"}, report


def test_small_net_emulates(nets):
    plan = nets.check(small_net(nets))
    assert len(plan.launches) == 8 and len(plan.aliases) == 1


def test_deform_net_emulates(nets):
    nets.check(deform_net(nets))
