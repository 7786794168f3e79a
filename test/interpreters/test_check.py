"""The --check rule: max abs error against the output's magnitude, NaN/inf positions
exact, and the measure of how much an output depends on the input."""

import math
import warnings

import numpy as np
import pytest

import relayout
from relayout.interpreters.check import (
    INSENSITIVE,
    TOLERANCES,
    CheckResult,
    check,
    compare,
    dependence,
)

RNG = np.random.default_rng(0)
LOGITS = (RNG.standard_normal((1, 1000)) * 30).astype(np.float32)


def test_network_sized_errors_pass_where_elementwise_allclose_fails():
    # ResNet-50's case: errors near 1e-5 on outputs up to ~100, some outputs near zero.
    want = LOGITS.copy()
    want[0, :10] = 1e-7
    got = want + np.float32(4.5e-5)
    assert not np.allclose(got, want, rtol=1e-4, atol=1e-5)
    result = check(got, want)
    assert result.ok and bool(result)
    assert result.max_abs_error == pytest.approx(4.5e-5, rel=0.05)
    assert result.magnitude == pytest.approx(float(np.abs(want).max()))
    assert result.relative == pytest.approx(result.max_abs_error / result.magnitude)


def test_tiny_outputs_are_held_to_their_magnitude():
    # EfficientNet-B0 with random weights: outputs near 3e-14, far below any atol.
    want = (LOGITS * 1e-15).astype(np.float32)
    assert np.allclose(np.zeros_like(want), want, rtol=1e-4, atol=1e-5)
    assert not check(np.zeros_like(want), want).ok
    assert not check(want * 1.01, want).ok
    assert check(want * (1 + 1e-6), want).ok


def test_the_line_check_prints():
    want = np.array([111.0, -3.0, 0.5])
    got = want + [0, 0, 4.5e-5]
    assert str(check(got, want)) == ("max abs error 4.5e-05, max |output| 111, relative to "
                                     "magnitude 4.1e-07: ok (tolerance 1e-04)")
    assert str(check(got + 1, want)).endswith(": FAILED (tolerance 1e-04)")


def test_precision_sets_the_tolerance():
    want = np.ones(4, np.float32)
    got = want + np.float32(1e-3)
    assert not check(got, want, "fp32").ok
    assert check(got, want, "tf32").ok
    assert check(got, want, "tf32").tolerance == TOLERANCES["tf32"] == 1e-2
    with pytest.raises(ValueError, match="unknown precision 'bf16'"):
        check(got, want, "bf16")


def test_boundary_is_inclusive():
    want = np.array([1.0, -0.5], np.float64)
    assert compare(want + [1e-4, 0], want, 1e-4).ok
    assert not compare(want + [1.1e-4, 0], want, 1e-4).ok


def test_all_zero_reference_needs_zeros():
    want = np.zeros((2, 3), np.float32)
    result = check(np.zeros_like(want), want)
    assert result.ok and result.magnitude == 0 and result.relative == 0
    assert check(np.full_like(want, 1e-40), want).ok  # a subnormal flushed or not
    bad = check(np.full_like(want, 1e-30), want)
    assert not bad.ok and math.isinf(bad.relative)


def test_empty_outputs_pass():
    assert check(np.zeros((0, 4), np.float32), np.zeros((0, 4), np.float32)).ok


@pytest.mark.parametrize("special", [np.nan, np.inf, -np.inf])
def test_nan_and_inf_must_match_positions(special):
    want = np.array([1.0, special, 3.0], np.float32)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no RuntimeWarning from inf - inf
        assert check(want.copy(), want).ok
        moved = np.array([special, 2.0, 3.0], np.float32)
        result = check(moved, want)
    assert not result.ok
    assert str(result) == "NaN/inf at different positions (2 of 3 elements): FAILED"
    # A finite value where the reference has NaN or inf, however large, fails.
    assert not check(np.array([1.0, 3e38, 3.0], np.float32), want).ok


def test_infinities_must_match_in_sign():
    want = np.array([np.inf, 1.0], np.float32)
    assert not check(np.array([-np.inf, 1.0], np.float32), want).ok
    assert not check(np.array([np.nan, 1.0], np.float32), want).ok


def test_error_over_finite_positions_only():
    want = np.array([np.nan, 100.0, 1.0], np.float32)
    got = np.array([np.nan, 100.0, 1.005], np.float32)
    result = check(got, want)
    assert result.ok and result.magnitude == 100
    assert result.max_abs_error == pytest.approx(0.005, rel=1e-3)


def test_no_overflow_on_large_values():
    want = np.array([3e38, -3e38], np.float32)
    got = np.array([-3e38, 3e38], np.float32)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = check(got, want)
    assert not result.ok and math.isfinite(result.max_abs_error)


def test_shape_mismatch_fails():
    result = check(np.zeros((1, 10), np.float32), np.zeros((10,), np.float32))
    assert not result.ok and "shape [1, 10]" in str(result)


def test_dependence():
    a = LOGITS
    assert dependence(a, a.copy()) == 0
    assert dependence(a, a * 2) == pytest.approx(0.5)
    assert dependence(a, a + np.float32(1e-6)) < INSENSITIVE
    assert dependence(a * 1e-15, -a * 1e-15) == pytest.approx(2)  # tiny but input-driven
    assert math.isinf(dependence(np.array([np.nan, 1.0]), np.array([0.0, 1.0])))
    assert dependence(np.array([np.nan, 1.0]), np.array([np.nan, 1.0])) == 0
    assert dependence(np.zeros(3), np.zeros(3)) == 0


def test_python_api(close_to_magnitude):
    want = LOGITS
    result = relayout.check(want + np.float32(1e-4), want)
    assert isinstance(result, CheckResult) and isinstance(result, relayout.CheckResult)
    assert result.ok
    assert relayout.api.check(want, want, precision="tf32").tolerance == 1e-2
    close_to_magnitude(want + np.float32(1e-4), want)
    with pytest.raises(pytest.fail.Exception, match="relative to magnitude"):
        close_to_magnitude(want + 1, want)
    close_to_magnitude(want + 1, want, tol=0.05)
