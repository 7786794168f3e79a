"""Reshapes that only drop or insert unit axes keep the conversion (1-D ops imported as
2-D ones with H = 1): the alignment of axes, and a 1-D network imported from ONNX that
keeps its numbers through every pipeline, emulated too, with only its input and output
transformed."""

import numpy as np
import pytest
from onnx import TensorProto, helper, numpy_helper

from relayout.dialects.nn import LayoutTransformOp
from relayout.frontend.onnx_import import from_onnx
from relayout.fuzz.meaning import NHWC, check_meaning
from relayout.passes.layout_rules.unit_axes import _unit_alignment
from relayout.passes.pipeline import run_pipeline


@pytest.mark.parametrize("old, new, sources", [
    ((2, 8, 1, 5), (2, 8, 5), [0, 1, 3]),
    ((2, 8, 5), (2, 8, 1, 5), [0, 1, None, 2]),
    ((1, 8, 1, 1), (1, 8, 1), [0, 1, 2]),
    ((1, 1, 5), (1, 5, 1, 1), [0, 2, None, None]),
    ((2, 8, 5), (2, 8, 5), [0, 1, 2]),
    ((2, 8, 5), (2, 5, 8), None),
    ((2, 8, 5), (16, 5), None),
])
def test_unit_alignment(old, new, sources):
    assert _unit_alignment(old, new) == sources


def _net_1d():
    """Conv1d (padded, biased) -> Relu -> Conv1d (strided, grouped) -> MaxPool1d ->
    AveragePool1d -> GlobalAveragePool over [N,C,L], and the relu's output as well."""
    rng = np.random.default_rng(3)
    inits = []

    def w(*shape):
        inits.append(numpy_helper.from_array(
            (rng.standard_normal(shape) * 0.3).astype(np.float32), f"w{len(inits)}"))
        return inits[-1].name

    nodes = [
        helper.make_node("Conv", ["x", w(16, 3, 3), w(16)], ["c1"], pads=[1, 1]),
        helper.make_node("Relu", ["c1"], ["r1"]),
        helper.make_node("Conv", ["r1", w(16, 4, 3)], ["c2"], strides=[2], group=4),
        helper.make_node("MaxPool", ["c2"], ["p"], kernel_shape=[2], strides=[2], ceil_mode=1),
        helper.make_node("AveragePool", ["p"], ["a"], kernel_shape=[3], pads=[1, 1]),
        helper.make_node("GlobalAveragePool", ["a"], ["g"]),
    ]
    graph = helper.make_graph(
        nodes, "g", [helper.make_tensor_value_info("x", TensorProto.FLOAT, (2, 3, 21))],
        [helper.make_tensor_value_info(n, TensorProto.FLOAT, s)
         for n, s in (("g", (2, 16, 1)), ("r1", (2, 16, 21)))], inits,
    )
    return from_onnx(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)],
                                       ir_version=8))


def test_1d_network_keeps_its_meaning_and_its_conversion():
    module = _net_1d()
    check_meaning(module, emulate=True)
    converted = run_pipeline(module.clone(), NHWC)
    moves = [op for op in converted.walk() if isinstance(op, LayoutTransformOp)]
    # The input into NHWC and the returned relu output back to NCW; the global pool's
    # [N,1,1,C] reshapes to [N,C,1] with no data moved.
    assert [(str(op.src), str(op.dst)) for op in moves] == [("NCHW", "NHWC"), ("NWC", "NCW")]
