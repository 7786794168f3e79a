"""Shared fixtures.

`backend`: tests that run generated CUDA C run it in the emulator and, where pycuda and
a GPU are present, on the GPU too (marked `gpu`, skipped elsewhere).

`close_to_magnitude` returns `assert_close_to_magnitude(got, want, tol=1e-4)`, which
compares outputs by the rule of `relayout run --check`: the max abs error against the
output's magnitude (interpreters/check.py), which fits whole networks where elementwise
rtol/atol does not.
"""

import numpy as np
import pytest

from relayout.interpreters.check import compare
from relayout.runtime.cuda import unavailable_reason


@pytest.fixture(params=["emulate", pytest.param("cuda", marks=pytest.mark.gpu)])
def backend(request) -> str:
    if request.param == "cuda" and (why := unavailable_reason()):
        pytest.skip(why)
    return request.param


def assert_close_to_magnitude(got: np.ndarray, want: np.ndarray, tol: float = 1e-4) -> None:
    """Fail unless ``max |got - want| <= tol * max |want|`` with NaN and infinities at
    the same positions (``want`` is the reference)."""
    __tracebackhide__ = True
    result = compare(got, want, tol)
    if not result.ok:
        pytest.fail(f"not close to the reference's magnitude: {result}")


@pytest.fixture(scope="session")
def close_to_magnitude():
    """``assert_close_to_magnitude``, for tests (a conftest is not imported by name)."""
    return assert_close_to_magnitude
