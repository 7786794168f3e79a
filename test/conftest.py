"""The `backend` fixture: tests that run generated CUDA C run it in the emulator and,
where pycuda and a GPU are present, on the GPU too (marked `gpu`, skipped elsewhere)."""

import pytest

from relayout.runtime.cuda import unavailable_reason


@pytest.fixture(params=["emulate", pytest.param("cuda", marks=pytest.mark.gpu)])
def backend(request) -> str:
    if request.param == "cuda" and (why := unavailable_reason()):
        pytest.skip(why)
    return request.param
