"""Concat in place (`placement.py`): a concat's operand that a kernel produces, read
only by concats and elementwise ops, is stored by that kernel straight into its slice
of the concat's buffer (in NCHW, NHWC and NCHW16c, nested, returned, from every kind of
kernel) and read there; a concat whose operands lie one after another is that slice
(DenseNet); a concat copies its other operands only, and launches nothing where there
are none. Every plan runs (emulated) as the interpreter computes."""

import numpy as np
import onnxruntime as ort
import pytest
from onnx import ModelProto, TensorProto, helper, numpy_helper
from xdsl.dialects.builtin import ModuleOp

from relayout import api
from relayout import layout as L
from relayout.dialects.nn import (
    AddOp,
    ConcatOp,
    Conv2DOp,
    Conv2DTransposeOp,
    DenseOp,
    LayerNormOp,
    LayoutTransformOp,
    MaxPool2DOp,
    PadOp,
    ReluOp,
    ReshapeOp,
    Resize2DOp,
    SigmoidOp,
    SoftmaxOp,
    TanhOp,
    TransposeOp,
)
from relayout.dialects.nn.elementwise import NegOp
from relayout.frontend import models
from relayout.frontend.onnx_import import from_onnx
from relayout.interpreters.nn import interpret
from relayout.lowering.cuda.plan import Plan, build_plan
from relayout.test.frontend.zoo.fixtures import inputs, load
from relayout.test.lowering.test_nvcc import NVCC, nvcc


def _written(plan: Plan) -> list[str]:
    """Where each launch writes."""
    return [str(plan.buffers[launch.args[-1]]) for launch in plan.launches]


def _concat_launches(plan: Plan) -> list[str]:
    return [launch.kernel for launch in plan.launches if "concatenate" in launch.kernel]


# layout: (input shape, weight layout, concat axis, slices of the three branches)
LAYOUTS = {
    "NCHW": ((1, 16, 6, 7), "OIHW", 1, ["[:, 0:16]", "[:, 16:48]", "[:, 48:64]"]),
    "NHWC": ((1, 6, 7, 16), "HWIO", 3,
             ["[:, :, :, 0:16]", "[:, :, :, 16:48]", "[:, :, :, 48:64]"]),
    "NCHW16c": ((1, 1, 6, 7, 16), "OIHW16i16o", 1, ["[:, 0:1]", "[:, 1:3]", "[:, 3:4]"]),
}


@pytest.mark.parametrize("layout", LAYOUTS)
def test_branches_write_their_slices(nets, layout):
    """An Inception block: a 1x1 conv, a 3x3 conv and a pool of one input, each stored
    in its slice of the concat (whole blocks of 16 channels in NCHW16c), which the relu
    after it reads whole."""
    shape, kernel_layout, axis, slices = LAYOUTS[layout]

    def conv(add, x, o, k):
        w = nets.const(add, L.transform_shape((o, 16, k, k), "OIHW", kernel_layout))
        p = k // 2
        return add(Conv2DOp.make(x, w, padding=(p, p, p, p), data_layout=layout,
                                 kernel_layout=kernel_layout))

    def make(add, x):
        a = add(ReluOp.make(conv(add, x, 16, 1)))
        b = conv(add, x, 32, 3)
        c = add(MaxPool2DOp.make(x, pool_size=(3, 3), padding=(1, 1, 1, 1), layout=layout))
        return add(ReluOp.make(add(ConcatOp.make(a, b, c, axis=axis))))

    plan = nets.check(nets.build([shape], make))
    assert _concat_launches(plan) == [] and len(plan.in_place) == 1
    assert _written(plan) == [f"arena+0{s}" for s in slices] + ["out0"]
    assert str(plan.buffers[plan.launches[-1].args[0]]) == "arena+0"
    # With N = 1, a first slice along C is the buffer's head, addressed as the result's
    # own buffer would be: that kernel is the plain one.
    first = "fused_nn_conv2d_nn_relu" + ("_sliced" if layout == "NHWC" else "")
    assert [launch.kernel for launch in plan.launches] == [
        first, "fused_nn_conv2d_sliced", "fused_nn_max_pool2d_sliced", "fused_nn_relu"]


def test_operands_that_stay_are_copied(nets):
    """A function argument, a weight, an alias and a value a conv reads too stay where
    they are: the concat copies those four. The relu writes its slice in place, and so
    does the tanh, which a negation then reads there."""
    def make(add, x, y):
        z = add(SigmoidOp.make(y))
        t = add(TanhOp.make(y))
        k = add(ConcatOp.make(
            x, add(ReluOp.make(y)), nets.const(add, (1, 4, 5, 2)),
            add(ReshapeOp.make(add(SigmoidOp.make(x)), newshape=(1, 4, 5, 3))), z, t, axis=3))
        conv = add(Conv2DOp.make(z, nets.const(add, (2, 1, 1, 3)), data_layout="NHWC",
                                 kernel_layout="OHWI"))
        return add(AddOp.make(k, k)), conv, add(NegOp.make(t))

    plan = nets.check(nets.build([(1, 4, 5, 3), (1, 4, 5, 3)], make))
    sigmoid_y, tanh, relu, sigmoid_x = _written(plan)[:4]
    assert (tanh, relu) == ("arena+0[:, :, :, 14:17]", "arena+0[:, :, :, 3:6]")
    (concat,) = [launch for launch in plan.launches if "concatenate" in launch.kernel]
    assert concat.kernel == "fused_concatenate_sliced"
    assert [str(plan.buffers[a]) for a in concat.args] == [
        "in0", "w0", sigmoid_x, sigmoid_y, "arena+0"]
    (neg,) = [launch for launch in plan.launches if "neg" in launch.kernel]
    assert neg.kernel.endswith("_sliced") and str(plan.buffers[neg.args[0]]) == tanh


def test_a_slice_read_late_keeps_the_buffer_alive(nets):
    """The relu's slice is read last, long after the concat's own reader: were the
    concat's buffer to die with that reader, the transposes would reuse its bytes."""
    def make(add, x):
        a = add(ReluOp.make(x))
        t = add(TanhOp.make(add(ConcatOp.make(a, add(SigmoidOp.make(x)), axis=1))))
        d = add(TransposeOp.make(add(TransposeOp.make(x, axes=(1, 0))), axes=(1, 0)))
        return t, add(AddOp.make(add(NegOp.make(a)), d))

    plan = nets.check(nets.build([(8, 8)], make))
    late = plan.launches[-1]
    assert _written(plan)[0] == "arena+0[:, 0:8]" and len(plan.in_place) == 1
    assert str(plan.buffers[late.args[0]]) == "arena+0[:, 0:8]"


def test_nested_concats_fill_the_returned_buffer(nets):
    """An inner concat (partly in place) inside an outer one that is returned: the
    producers and the inner concat's copy write the output buffer's slices."""
    def make(add, x, y):
        a = add(ReluOp.make(add(Conv2DOp.make(x, nets.const(add, (1, 1, 3, 5)),
                                               data_layout="NHWC", kernel_layout="HWIO"))))
        inner = add(ConcatOp.make(x, a, axis=3))
        p = add(MaxPool2DOp.make(y, pool_size=(2, 2), layout="NHWC"))
        return add(ConcatOp.make(p, inner, axis=3))

    plan = nets.check(nets.build([(1, 4, 6, 3), (1, 5, 7, 4)], make))
    # The inner concat's launch writes x into its view's first 3 channels.
    assert _written(plan) == ["out0[:, :, :, 7:12]", "out0[:, :, :, 4:12]", "out0[:, :, :, 0:4]"]
    assert _concat_launches(plan) == ["fused_concatenate_sliced"]
    assert len(plan.in_place) == 1 and plan.arena_bytes == 0


# layout: (input shape, weight layout, concat axis, feature channels)
DENSE_LAYOUTS = {
    "NCHW": ((1, 16, 6, 6), "OIHW", 1, 8),
    "NHWC": ((1, 6, 6, 16), "HWIO", 3, 8),
    "NCHW16c": ((1, 1, 6, 6, 16), "OIHW16i16o", 1, 16),
}


@pytest.mark.parametrize("layout", DENSE_LAYOUTS)
def test_dense_block_lives_in_its_last_concat(nets, layout):
    """A DenseNet block as torch exports it: each layer reads a fresh concat of all the
    features so far (the first of one alone). Every feature takes its slice of the last
    concat; the earlier concats are runs of those slices, read where they lie by the
    relus, and by the add of the second conv's epilogue: no concat launches."""
    shape, kernel_layout, axis, k = DENSE_LAYOUTS[layout]
    channels = 16

    def conv(add, x, c):
        w = nets.const(add, L.transform_shape((k, c, 3, 3), "OIHW", kernel_layout))
        return add(Conv2DOp.make(add(ReluOp.make(x)), w, padding=(1, 1, 1, 1),
                                 data_layout=layout, kernel_layout=kernel_layout))

    def make(add, x):
        x0 = add(MaxPool2DOp.make(x, pool_size=(3, 3), padding=(1, 1, 1, 1), layout=layout))
        f1 = conv(add, add(ConcatOp.make(x0, axis=axis)), channels)
        f2 = add(AddOp.make(conv(add, add(ConcatOp.make(x0, f1, axis=axis)), channels + k), f1))
        return add(ReluOp.make(add(ConcatOp.make(x0, f1, f2, axis=axis))))

    plan = nets.check(nets.build([shape], make))
    assert _concat_launches(plan) == [] and len(plan.in_place) == 3
    blocks = 16 if layout == "NCHW16c" else 1
    c0, c1 = channels // blocks, (channels + k) // blocks
    sliced = {f"[:, 0:{c0}]", f"[:, 0:{c1}]", f"[:, {c0}:{c1}]"}
    if layout == "NHWC":
        sliced = {f"[:, :, :, {s[4:]}" for s in sliced}
    read = {str(plan.buffers[a]).removeprefix("arena+0") for launch in plan.launches
            for a in launch.args[:-1] if plan.buffers[a].view}
    assert read == sliced


def _every_producer(nets):
    """Every kind of store into one NHWC concat: SIMT and split-K GEMMs, a depthwise
    conv, a pool, a resize, a conv2d_transpose, a pad, a layer_norm, a tiled transpose,
    an elementwise chain; and dense, softmax and layer_norm rows into a 2-D concat. The
    resize is read in its slice by a sigmoid too, and the pad by an earlier concat,
    which copies it from there."""
    def make(add, x, y, z):
        s = (1, 8, 8)
        parts = [
            add(Conv2DOp.make(y, nets.const(add, (3, 3, 64, 16)), padding=(1, 1, 1, 1),
                              data_layout="NHWC", kernel_layout="HWIO")),
            add(Conv2DOp.make(y, nets.const(add, (3, 3, 64, 20)), padding=(1, 1, 1, 1),
                              data_layout="NHWC", kernel_layout="HWIO")),
            add(Conv2DOp.make(y, nets.const(add, (3, 3, 1, 64)), padding=(1, 1, 1, 1),
                              groups=64, data_layout="NHWC", kernel_layout="HWIO")),
            add(MaxPool2DOp.make(y, pool_size=(3, 3), padding=(1, 1, 1, 1), layout="NHWC")),
            add(Resize2DOp.make(x, size=(8, 8), layout="NHWC", method="bilinear")),
            add(Conv2DTransposeOp.make(x, nets.const(add, (3, 3, 6, 4)), strides=(2, 2),
                                       padding=(1, 1, 1, 1), output_padding=(1, 1),
                                       data_layout="NHWC", kernel_layout="HWIO")),
            add(PadOp.make(x, pad_width=(0, 0, 2, 2, 1, 3, 0, 0))),
            add(LayerNormOp.make(y, nets.const(add, (1, 1, 1, 64)), nets.const(add, (1, 1, 1, 64)),
                                 axes=(3,))),
            add(LayoutTransformOp.make(z, src_layout="NCHW", dst_layout="NHWC")),
            add(ReluOp.make(add(SigmoidOp.make(y)))),
        ]
        assert all(tuple(p.type.get_shape()[:3]) == s for p in parts)
        copied = add(ConcatOp.make(y, parts[6], axis=3))
        k = add(ReluOp.make(add(ConcatOp.make(*parts, axis=3))))
        f = add(ReshapeOp.make(add(Conv2DOp.make(x, nets.const(add, (4, 4, 6, 8)),
                                                 data_layout="NHWC", kernel_layout="HWIO")),
                               newshape=(1, 8)))
        rows = [add(DenseOp.make(f, nets.const(add, (16, 8)))),
                add(SoftmaxOp.make(add(DenseOp.make(f, nets.const(add, (6, 8)))), axis=1)),
                add(LayerNormOp.make(f, nets.const(add, (1, 8)), nets.const(add, (1, 8)),
                                     axes=(1,)))]
        return k, add(ConcatOp.make(*rows, axis=1)), add(SigmoidOp.make(parts[4])), copied

    return nets.build([(1, 4, 4, 6), (1, 8, 8, 64), (1, 32, 8, 8)], make)


@pytest.mark.parametrize("precision", ["fp32", "tf32"])
def test_every_kind_of_kernel_stores_in_place(nets, precision):
    plan = nets.check(_every_producer(nets), rtol=1e-4 if precision == "fp32" else 2e-2,
                      precision=precision)
    assert _concat_launches(plan) == ["fused_concatenate_sliced"] and len(plan.in_place) == 2
    copy, sigmoid = (next(launch for launch in plan.launches if name in launch.kernel)
                     for name in ("concatenate", "sigmoid_sliced"))
    assert [str(plan.buffers[a]) for a in (*copy.args, sigmoid.args[0])] == [
        "in1", "arena+0[:, :, :, 174:180]", "out0", "arena+0[:, :, :, 164:170]"]
    sliced = [launch for launch in plan.launches if plan.buffers[launch.args[-1]].view]
    assert len(sliced) == 13
    assert "tile[32][33]" in plan.kernels["fused_layout_transform_sliced"].source
    if precision == "tf32":
        assert any("mma.h" in plan.kernels[launch.kernel].headers for launch in sliced)
    else:
        assert any(launch.workspace for launch in sliced), "no split-K GEMM stores in place"


@pytest.mark.skipif(NVCC is None, reason="nvcc not found")
@pytest.mark.parametrize("arch, precision", [("sm_80", "tf32"), ("sm_90", "fp32")])
def test_in_place_kernels_compile_with_nvcc(nets, tmp_path, arch, precision):
    nvcc(tmp_path, build_plan(_every_producer(nets), precision=precision).source, arch)


def _unet() -> tuple[ModelProto, list[np.ndarray]]:
    """conv -> relu (the skip) -> max pool -> conv -> relu -> Resize x2 -> Concat with
    the skip -> conv, as ONNX: the skip is read by the pool too, the upsampled map only
    by the Concat."""
    rng = np.random.default_rng(0)

    def weight(name, *shape):
        return numpy_helper.from_array(rng.standard_normal(shape).astype(np.float32) * 0.3,
                                       name)

    nodes = [
        helper.make_node("Conv", ["x", "w1"], ["c1"], pads=[1, 1, 1, 1]),
        helper.make_node("Relu", ["c1"], ["skip"]),
        helper.make_node("MaxPool", ["skip"], ["p"], kernel_shape=[2, 2], strides=[2, 2]),
        helper.make_node("Conv", ["p", "w2"], ["c2"], pads=[1, 1, 1, 1]),
        helper.make_node("Relu", ["c2"], ["r2"]),
        helper.make_node("Resize", ["r2", "", "scales"], ["up"], mode="nearest"),
        helper.make_node("Concat", ["skip", "up"], ["cat"], axis=1),
        helper.make_node("Conv", ["cat", "w3"], ["y"], pads=[1, 1, 1, 1]),
    ]
    weights = [weight("w1", 8, 3, 3, 3), weight("w2", 16, 8, 3, 3), weight("w3", 4, 24, 3, 3),
               numpy_helper.from_array(np.array([1, 1, 2, 2], np.float32), "scales")]
    graph = helper.make_graph(
        nodes, "unet", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 3, 8, 8])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 4, 8, 8])], weights)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    return model, [rng.standard_normal((1, 3, 8, 8)).astype(np.float32)]


def test_unet_upsampling_writes_beside_the_skip(backend, close_to_magnitude):
    """The Resize stores into the concat's second half and the skip's conv into its
    first, where the pool reads it: no concat kernel."""
    proto, x = _unet()
    session = ort.InferenceSession(proto.SerializeToString(),
                                   providers=["CPUExecutionProvider"])
    (want,) = session.run(None, {"x": x[0]})
    nhwc = api.optimize(from_onnx(proto), ("NHWC", "default"), None)
    plan = build_plan(nhwc)
    assert _concat_launches(plan) == []
    resize = next(launch for launch in plan.launches if "resize" in launch.kernel)
    assert str(plan.buffers[resize.args[-1]]).endswith("[:, :, :, 8:24]")
    pool = next(launch for launch in plan.launches if "pool" in launch.kernel)
    assert str(plan.buffers[pool.args[0]]).endswith("[:, :, :, 0:8]")
    (got,) = api.run(nhwc, x, backend)
    close_to_magnitude(got, want)


ZOO_CONCATS = {"squeezenet1_1": 8, "googlenet": 9, "inception_v3": 11, "densenet121": 62}
"""torchvision models (test/frontend/zoo/) and their concats."""


def _zoo_nhwc(model: str) -> tuple[ModuleOp, list[np.ndarray]]:
    proto = load(model, "torchscript")
    return api.optimize(from_onnx(proto), ("NHWC", "default"), None), list(inputs(proto).values())


@pytest.mark.parametrize("model", ZOO_CONCATS)
def test_zoo_concats_launch_nothing(model):
    """Fire modules, Inception blocks (nested in v3) and dense blocks: every concat is
    in place."""
    plan = build_plan(_zoo_nhwc(model)[0])
    assert _concat_launches(plan) == [] and len(plan.in_place) == ZOO_CONCATS[model]


def test_squeezenet_in_place_computes_as_the_interpreter(backend, close_to_magnitude):
    nhwc, x = _zoo_nhwc("squeezenet1_1")
    (got,) = api.run(nhwc, x, backend)
    (want,) = interpret(nhwc, x)
    close_to_magnitude(got, want)


@pytest.mark.parametrize("layout", ["NCHW", "NHWC", "NCHW16c"])
def test_unet_skips_launch_no_concat(layout, backend, close_to_magnitude):
    """The built-in UNet: each skip is pooled and later concatenated with the upsampled
    path; both concats are in place in every layout."""
    module = from_onnx(models.unet(size=32))
    if layout != "NCHW":
        module = api.optimize(module, (layout, "default"), None)
    plan = build_plan(module)
    assert _concat_launches(plan) == [] and len(plan.in_place) == 2
    x = [np.random.default_rng(0).standard_normal((1, 3, 32, 32)).astype(np.float32)]
    (got,) = api.run(module, x, backend)
    (want,) = interpret(module, x)
    close_to_magnitude(got, want)
