"""The reference interpreter: whole functions run op by op, and conv2d matches a direct
loop-nest definition in every data and kernel layout (property-based)."""

import itertools

import numpy as np
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from relayout import layout as L
from relayout.dialects.context import parse_module
from relayout.dialects.nn import Conv2DOp
from relayout.interpreters.nn import interpret

RESIDUAL = """
func.func @main(%x: tensor<1x2x4x4xf32>, %w: tensor<2x2x3x3xf32>) -> (tensor<1x2x4x4xf32>, tensor<1x4x4x2xf32>) {
  %c = nn.conv2d %x, %w {padding = array<i64: 1, 1, 1, 1>} : (tensor<1x2x4x4xf32>, tensor<2x2x3x3xf32>) -> tensor<1x2x4x4xf32>
  %s = nn.add %c, %x : (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  %r = nn.relu %s : tensor<1x2x4x4xf32>
  %t = nn.layout_transform %r "NCHW" to "NHWC" : tensor<1x2x4x4xf32> -> tensor<1x4x4x2xf32>
  func.return %r, %t : tensor<1x2x4x4xf32>, tensor<1x4x4x2xf32>
}
"""


def test_runs_a_parsed_function_with_several_results():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((1, 2, 4, 4), np.float32)
    w = rng.standard_normal((2, 2, 3, 3), np.float32)
    r, t = interpret(parse_module(RESIDUAL), [x, w])

    conv = conv_loop_nest(x, w, (1, 1), (1, 1), (1, 1, 1, 1), 1)
    np.testing.assert_allclose(r, np.maximum(conv + x, 0), rtol=1e-5, atol=1e-5)
    np.testing.assert_array_equal(t, r.transpose(0, 2, 3, 1))


SCALARS = """
func.func @main(%s: tensor<f32>, %x: tensor<2xf32>) -> tensor<f32> {
  %m = nn.mean %x {axes = array<i64: 0>} : (tensor<2xf32>) -> tensor<f32>
  %y = nn.add %s, %m : (tensor<f32>, tensor<f32>) -> tensor<f32>
  func.return %y : tensor<f32>
}
"""


def test_scalar_arguments_and_results_stay_rank_0():
    # Found with the meaning fuzzer: inputs went through ascontiguousarray, which makes
    # a 0-d array 1-d, so a tensor<f32> result came back with shape (1,).
    (y,) = interpret(parse_module(SCALARS), [np.float32(1), np.array([1, 3], np.float32)])
    assert np.shape(y) == ()
    assert y == 3


def conv_loop_nest(x, w, strides, dilation, padding, groups):
    """Direct definition of grouped, dilated 2-D cross-correlation on NCHW / OIHW."""
    n, _c, h, wd = x.shape
    o, cg, kh, kw = w.shape
    top, left, bottom, right = padding
    oh = (h + top + bottom - dilation[0] * (kh - 1) - 1) // strides[0] + 1
    ow = (wd + left + right - dilation[1] * (kw - 1) - 1) // strides[1] + 1
    y = np.zeros((n, o, oh, ow), np.float64)
    per_group = o // groups
    for b, co, i, j in itertools.product(range(n), range(o), range(oh), range(ow)):
        g = co // per_group
        for ci, p, q in itertools.product(range(cg), range(kh), range(kw)):
            r = i * strides[0] + p * dilation[0] - top
            s = j * strides[1] + q * dilation[1] - left
            if 0 <= r < h and 0 <= s < wd:
                y[b, co, i, j] += x[b, g * cg + ci, r, s] * w[co, ci, p, q]
    return y


@st.composite
def conv_cases(draw):
    groups = draw(st.integers(1, 3))
    cin, cout = groups * draw(st.integers(1, 2)), groups * draw(st.integers(1, 2))
    kh, kw = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    h, w = draw(st.integers(1, 6)), draw(st.integers(1, 6))
    strides = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    dilation = (draw(st.integers(1, 2)), draw(st.integers(1, 2)))
    padding = tuple(draw(st.integers(0, 2)) for _ in range(4))
    assume(h + padding[0] + padding[2] >= dilation[0] * (kh - 1) + 1)
    assume(w + padding[1] + padding[3] >= dilation[1] * (kw - 1) + 1)
    data_layout = "".join(draw(st.permutations("NCHW")))
    kernel_layout = "".join(draw(st.permutations("OIHW")))
    out_layout = "".join(draw(st.permutations("NCHW")))
    seed = draw(st.integers(0, 2**16))
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((draw(st.integers(1, 2)), cin, h, w)).astype(np.float32)
    weight = rng.standard_normal((cout, cin // groups, kh, kw)).astype(np.float32)
    props = {"strides": strides, "dilation": dilation, "padding": padding, "groups": groups,
                 "data_layout": data_layout, "kernel_layout": kernel_layout, "out_layout": out_layout}
    return x, weight, props


@settings(max_examples=60, deadline=None)
@given(conv_cases())
def test_conv2d_matches_the_loop_nest_in_any_layout(run_single, case):
    x, w, props = case
    y = run_single(
        Conv2DOp,
        L.transform(x, "NCHW", props["data_layout"]),
        L.transform(w, "OIHW", props["kernel_layout"]),
        **props,
    )
    expected = conv_loop_nest(x, w, props["strides"], props["dilation"], props["padding"],
                              props["groups"])
    np.testing.assert_allclose(
        L.transform(y, props["out_layout"], "NCHW"), expected, rtol=1e-4, atol=1e-5
    )


def test_blocked_depthwise_conv2d_matches_the_loop_nest(run_single):
    rng = np.random.default_rng(1)
    x = rng.standard_normal((1, 8, 5, 5)).astype(np.float32)
    w = rng.standard_normal((8, 1, 3, 3)).astype(np.float32)
    props = {"strides": (2, 1), "dilation": (1, 2), "padding": (1, 2, 0, 1), "groups": 8}
    y = run_single(
        Conv2DOp,
        L.transform(x, "NCHW", "NCHW4c"),
        L.transform(w, "OIHW", "HWOI"),
        data_layout="NCHW4c", kernel_layout="HWOI", **props,
    )
    expected = conv_loop_nest(x, w, props["strides"], props["dilation"], props["padding"], 8)
    np.testing.assert_allclose(L.transform(y, "NCHW4c", "NCHW"), expected, rtol=1e-4, atol=1e-5)
