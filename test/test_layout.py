"""The layout algebra: parsing, shapes, index maps, and round trips (property-based)."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from relayout import layout as L


@pytest.mark.parametrize(
    "src, shape, dst, expected",
    [
        ("NCHW", (1, 3, 7, 7), "NHWC", (1, 7, 7, 3)),
        ("OIHW", (64, 32, 3, 3), "HWIO", (3, 3, 32, 64)),
        ("OIHW", (64, 32, 3, 3), "OIHW16i16o", (4, 2, 3, 3, 16, 16)),
        ("NCHW4c", (1, 8, 5, 5, 4), "NCHW8c", (1, 4, 5, 5, 8)),
    ],
)
def test_transform_shape(src, shape, dst, expected):
    assert L.transform_shape(shape, src, dst) == expected


def test_non_divisible_block_needs_padding():
    with pytest.raises(L.LayoutError, match="not divisible by its block size 16"):
        L.transform_shape((1, 3, 7, 7), "NCHW", "NCHW16c")
    assert L.transform_shape((1, 3, 7, 7), "NCHW", "NCHW16c", pad=True) == (1, 1, 7, 7, 16)
    x = np.arange(10, dtype=np.float32).reshape(1, 10, 1, 1)
    y = L.transform(x, "NCHW", "NCHW4c", pad=True)
    assert y.shape == (1, 3, 1, 1, 4)
    assert y[0, 2, 0, 0].tolist() == [8, 9, 0, 0]


@pytest.mark.parametrize(
    "text, message",
    [
        ("NCHW16C", "must be followed by a lower-case letter"),
        ("NCHWc", "needs a block size"),
        ("NHW16c", "has no primal axis 'C'"),
        ("NCHWC", "appears more than once"),
        ("NCHW4c4c", "appears more than once"),
        ("NC-HW", "unexpected character"),
        ("", "empty"),
    ],
)
def test_bad_layouts(text, message):
    with pytest.raises(L.LayoutError, match=message):
        L.parse(text)


def test_index_maps_match_tvm():
    assert L.forward_index([0, 18, 6, 6], "NCHW", "NCHW16c") == (0, 1, 6, 6, 2)
    assert L.forward_index([35, 20, 1, 2], "OIHW", "OIHW16i16o") == (2, 1, 1, 2, 4, 3)
    assert L.backward_index((0, 1, 6, 6, 2), "NCHW16c", "NCHW") == (0, 18, 6, 6)


def test_subordinate_before_primal():
    x = np.random.rand(2, 32, 3, 3).astype(np.float32)
    y = L.transform(x, "NCHW", "N16cCHW")
    assert y.shape == (2, 16, 2, 3, 3)
    assert np.array_equal(L.transform(y, "N16cCHW", "NCHW"), x)


def test_inconvertible():
    with pytest.raises(L.LayoutError, match="primal axes differ"):
        L.transform_shape((1, 2, 3), "NCH", "NCW")


def test_moves_data():
    assert not L.moves_data((1, 64, 1, 1), "NCHW", "NHWC")
    assert L.moves_data((1, 64, 2, 1), "NCHW", "NHWC")
    assert not L.moves_data((1, 16, 1, 1), "NCHW", "NCHW16c")
    # The blocks of C lie together when H = W = 1: a global pool's output is NCHW already.
    assert not L.moves_data((1, 32, 1, 1), "NCHW", "NCHW16c")
    assert not L.moves_data((1, 80, 16), "NC16c", "NC")
    assert L.moves_data((1, 32, 2, 1), "NCHW", "NCHW16c")
    assert L.moves_data((1, 24, 1, 1), "NCHW", "NCHW16c")  # the last block is padded


@st.composite
def convertible_pair(draw):
    letters = draw(st.permutations("NCHW"))
    dst = draw(st.permutations("NCHW"))
    blocked = draw(st.sampled_from([None, "C", "H"]))
    factor = draw(st.sampled_from([2, 4]))
    extents = {k: draw(st.integers(1, 3)) for k in "NCHW"}
    src = "".join(letters)
    dst = "".join(dst)
    if blocked:
        extents[blocked] *= factor
        dst += f"{factor}{blocked.lower()}"
    return src, dst, extents


@settings(max_examples=150, deadline=None)
@given(convertible_pair())
def test_round_trip(pair):
    src, dst, extents = pair
    shape = L.parse(src).shape_for(extents)
    x = np.random.default_rng(0).random(shape).astype(np.float32)
    y = L.transform(x, src, dst)
    assert y.shape == L.transform_shape(shape, src, dst)
    assert np.array_equal(L.transform(y, dst, src), x)
    idx = tuple(s - 1 for s in shape)
    assert y[L.forward_index(idx, src, dst)] == x[idx]
    assert L.moves_data(shape, src, dst) == (not np.array_equal(y.ravel(), x.ravel()))
