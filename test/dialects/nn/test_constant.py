"""nn.constant: hex printing is bit-exact, and dense_resource input becomes dense data."""

import numpy as np
import pytest
from xdsl.dialects.builtin import DenseIntOrFPElementsAttr, ModuleOp
from xdsl.utils.exceptions import VerifyException

from relayout.dialects.context import parse_module
from relayout.dialects.nn import ConstantOp, to_numpy

RESOURCE_MODULE = """
func.func @main() -> tensor<2x2xf32> {
  %w = nn.constant dense_resource<weights> : tensor<2x2xf32>
  func.return %w : tensor<2x2xf32>
}
{-#
  dialect_resources: {
    builtin: {
      weights: "0x04000000BLOB"
    }
  }
#-}
"""


def _constants(module: ModuleOp) -> list[ConstantOp]:
    return [op for op in module.walk() if isinstance(op, ConstantOp)]


def test_hex_round_trip_is_bit_exact_for_a_million_elements():
    rng = np.random.default_rng(0)
    bits = rng.integers(0, 2**32, 1 << 20, dtype=np.uint32)
    bits[:4] = np.array([0.0, -0.0, np.inf, np.nan], np.float32).view(np.uint32)
    module = ModuleOp([ConstantOp.of(bits.view(np.float32).reshape(1024, 1024))])
    text = str(module)
    assert 'dense<"0x' in text
    (parsed,) = _constants(parse_module(text))
    assert np.array_equal(to_numpy(parsed.value).view(np.uint32).ravel(), bits)


def test_dense_resource_becomes_dense_data():
    data = np.array([[1.0, -2.5], [3.0, 1e-7]], np.float32)
    (op,) = _constants(parse_module(RESOURCE_MODULE.replace("BLOB", data.tobytes().hex())))
    assert isinstance(op.value, DenseIntOrFPElementsAttr)
    np.testing.assert_array_equal(to_numpy(op.value), data)


def test_the_same_resource_key_parses_twice_in_one_process():
    # xDSL's blob store is process-global; a stale key would rename the new blob.
    for value in (1.0, 2.0):
        data = np.full((2, 2), value, np.float32)
        (op,) = _constants(parse_module(RESOURCE_MODULE.replace("BLOB", data.tobytes().hex())))
        np.testing.assert_array_equal(to_numpy(op.value), data)


def test_dense_resource_of_the_wrong_size_names_the_blob():
    with pytest.raises(VerifyException, match=r"dense_resource<weights> holds 4 bytes"):
        parse_module(RESOURCE_MODULE.replace("BLOB", "0000803F"))


def test_dense_resource_without_its_blob_is_an_error():
    text = RESOURCE_MODULE.split("{-#")[0]
    with pytest.raises(VerifyException, match=r"dense_resource<weights> has no blob"):
        parse_module(text)
