"""nn.lrn's reference against ONNX's definition written out channel by channel (even
sizes too, which ONNX Runtime refuses), and the same numbers in every layout."""

import numpy as np
import pytest

from relayout import layout as L
from relayout.dialects.nn import LRNOp

RNG = np.random.default_rng(0)
X = RNG.standard_normal((2, 7, 3, 4)).astype(np.float32)


def onnx_lrn(x, size, alpha, beta, bias):
    """ONNX's LRN: the window runs from c - floor((size-1)/2) to c + ceil((size-1)/2)."""
    before, after = (size - 1) // 2, -(-(size - 1) // 2)
    square_sum = np.zeros(x.shape, np.float64)
    for c in range(x.shape[1]):
        window = x[:, max(0, c - before):min(x.shape[1], c + after + 1)].astype(np.float64)
        square_sum[:, c] = (window**2).sum(axis=1)
    return x / (bias + alpha / size * square_sum) ** beta


@pytest.mark.parametrize("size", [1, 2, 3, 4, 7, 20])
def test_reference_is_onnx_definition(run_single, size):
    props = {"size": size, "alpha": 0.7, "beta": 0.6, "bias": 1.5}
    got = run_single(LRNOp, X, **props)
    np.testing.assert_allclose(got, onnx_lrn(X, **props), rtol=1e-6, atol=1e-7)


@pytest.mark.parametrize("layout", ["NHWC", "NCHW16c", "HWNC"])
def test_every_layout_computes_the_same(run_single, layout):
    x = RNG.standard_normal((2, 32, 3, 4)).astype(np.float32)
    want = run_single(LRNOp, x, size=5, alpha=0.5)
    got = run_single(LRNOp, L.transform(x, "NCHW", layout), size=5, alpha=0.5, layout=layout)
    np.testing.assert_allclose(L.transform(got, layout, "NCHW"), want, rtol=1e-6)
