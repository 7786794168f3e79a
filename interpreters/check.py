"""How close computed outputs are to reference outputs, measured against the output's
magnitude: the one rule behind ``relayout run --check``, ``relayout.check`` and the
tests' ``assert_close_to_magnitude``.

An output passes when ``max |got - want| <= tolerance * max |want|``. Elementwise
relative error is the wrong measure for networks: a sum of thousands of products is
exact only to a fraction of its terms' size, so an output near zero carries the error of
its neighbours, and a fixed absolute floor passes anything when all outputs are tiny.
NaN and infinities must appear at exactly the same positions (infinities with the same
sign); the error and the magnitude are taken over the finite positions. Errors within
float32's smallest normal number always pass, so an all-zero reference asks for zeros
(or flushed subnormals).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

TOLERANCES = {"fp32": 1e-4, "tf32": 1e-2}
"""``--precision`` -> the tolerance relative to the output's magnitude. TF32 keeps 10
mantissa bits of each conv and dense input."""

TINY = float(np.finfo(np.float32).tiny)
"""Errors at most this pass whatever the magnitude (an all-zero reference)."""

INSENSITIVE = 1e-3
"""Outputs for two different random inputs that differ by less than this fraction of
their magnitude barely depend on the input: comparing them proves little."""


@dataclass(frozen=True)
class CheckResult:
    """One output against its reference; ``str()`` is the line ``--check`` prints."""

    max_abs_error: float
    """Over the positions where the reference is finite (inf when they disagree)."""
    magnitude: float
    """``max |want|`` over its finite elements (0 for none)."""
    relative: float
    """``max_abs_error / magnitude`` (0 for no error, inf for an error on zeros)."""
    ok: bool
    tolerance: float
    mismatch: str = ""
    """Why the outputs cannot be compared by number: shapes, or NaN/inf positions."""

    def __bool__(self) -> bool:
        return self.ok

    def __str__(self) -> str:
        verdict = "ok" if self.ok else "FAILED"
        if self.mismatch:
            return f"{self.mismatch}: {verdict}"
        return (f"max abs error {self.max_abs_error:.2g}, max |output| {self.magnitude:.3g}, "
                f"relative to magnitude {self.relative:.2g}: {verdict} "
                f"(tolerance {self.tolerance:.0e})")


def tolerance_for(precision: str) -> float:
    if precision not in TOLERANCES:
        raise ValueError(f"unknown precision {precision!r}: use one of "
                         f"{', '.join(TOLERANCES)}")
    return TOLERANCES[precision]


def check(got: np.ndarray, want: np.ndarray, precision: str = "fp32") -> CheckResult:
    """``got`` against the reference ``want`` with the tolerance of ``precision``."""
    return compare(got, want, tolerance_for(precision))


def compare(got: np.ndarray, want: np.ndarray, tolerance: float) -> CheckResult:
    """``got`` against the reference ``want``: ok when the largest error is at most
    ``tolerance`` times the reference's largest absolute value (see the module)."""
    g, w = _as_float(got), _as_float(want)
    if g.shape != w.shape:
        return _mismatch(f"shape {list(g.shape)} against the reference's {list(w.shape)}",
                         tolerance)
    finite = np.isfinite(w)
    same_special = np.where(finite, np.isfinite(g), (g == w) | (np.isnan(g) & np.isnan(w)))
    if not same_special.all():
        wrong = int((~same_special).sum())
        return _mismatch(f"NaN/inf at different positions ({wrong} of {w.size} elements)",
                         tolerance)
    g, w = g[finite], w[finite]
    error = float(np.abs(g - w).max(initial=0.0))
    magnitude = float(np.abs(w).max(initial=0.0))
    relative = error / magnitude if magnitude else (0.0 if error == 0 else float("inf"))
    ok = error <= max(tolerance * magnitude, TINY)
    return CheckResult(error, magnitude, relative, ok, tolerance)


def dependence(first: np.ndarray, second: np.ndarray) -> float:
    """How much an output changes between two inputs, as a fraction of its magnitude:
    ``max |first - second| / max(|first|, |second|)`` over the finite positions; inf when
    their NaN/inf positions differ (or their shapes), 0 when they are identical."""
    a, b = _as_float(first), _as_float(second)
    if a.shape != b.shape:
        return float("inf")
    finite = np.isfinite(a) & np.isfinite(b)
    special = ~finite
    if not np.array_equal(a[special], b[special], equal_nan=True):
        return float("inf")
    a, b = a[finite], b[finite]
    change = float(np.abs(a - b).max(initial=0.0))
    magnitude = float(np.maximum(np.abs(a), np.abs(b)).max(initial=0.0))
    if change == 0:
        return 0.0
    return change / magnitude if magnitude else float("inf")


def _as_float(x: np.ndarray) -> np.ndarray:
    # float64: a difference of two large float32 values must not overflow.
    return np.asarray(x).astype(np.float64)


def _mismatch(why: str, tolerance: float) -> CheckResult:
    inf = float("inf")
    return CheckResult(inf, 0.0, inf, False, tolerance, why)
