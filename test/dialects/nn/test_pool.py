"""Pool reference semantics at the edges onnxruntime defines."""

import numpy as np
from xdsl.dialects.builtin import TensorType, f32
from xdsl.ir import Block

from relayout.dialects.nn import AvgPool2DOp, MaxPool2DOp


def _only_padding(op_type) -> np.ndarray:
    """A pool whose one window reads rows 0 and 2 of the padded input: both padding."""
    block = Block(arg_types=[TensorType(f32, [1, 1, 1, 1])])
    op = op_type.make(block.args[0], pool_size=(2, 1), dilation=(2, 1), padding=(1, 0, 1, 0))
    return op.reference(np.full((1, 1, 1, 1), 5.0, np.float32))


def test_max_pool2d_window_of_only_padding_gives_the_lowest_float():
    y = _only_padding(MaxPool2DOp)
    np.testing.assert_array_equal(y.ravel(), [np.finfo(np.float32).min])


def test_avg_pool2d_window_of_only_uncounted_padding_gives_zero():
    np.testing.assert_array_equal(_only_padding(AvgPool2DOp).ravel(), [0.0])
