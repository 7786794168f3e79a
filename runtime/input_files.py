"""Reading the arrays given to `relayout run --input`: plain numeric .npy files only.

relayout computes in float32, so an array is accepted when its dtype is bool, int,
uint or float and every value survives the conversion to float32 exactly. The header
is checked (dtype, shape, file length) before any data is read, and object arrays,
which are pickles, are never loaded.
"""

from __future__ import annotations

import math
import os
from typing import BinaryIO

import numpy as np

__all__ = ["InputFileError", "read_input"]

NUMERIC_KINDS = "biuf"
REFUSED_KINDS = {
    "c": "complex values would lose their imaginary part",
    "M": "datetimes are not numbers",
    "m": "timedeltas are not numbers",
    "O": "object arrays are pickles, which are never loaded",
    "U": "strings are not numbers",
    "S": "byte strings are not numbers",
    "V": "structured and raw (void) arrays have no single numeric value per element",
}
ZIP_MAGIC = b"PK"


class InputFileError(ValueError):
    """An --input file relayout will not read, with a message naming the file."""


def read_input(path: str, shape: tuple[int, ...]) -> np.ndarray:
    """The float32 array in the .npy file ``path``, which must have ``shape``."""
    try:
        with open(path, "rb") as fp:
            check_header(path, fp, shape)
        array = np.load(path, allow_pickle=False, mmap_mode=None)
    except InputFileError:
        raise  # a ValueError too, but already phrased
    except OSError as e:
        raise InputFileError(f"{path}: cannot read it ({e.strerror or e})") from None
    except ValueError as e:
        raise InputFileError(f"{path}: cannot read it as a .npy array ({e})") from None
    return as_float32(path, array)


def check_header(path: str, fp: BinaryIO, shape: tuple[int, ...]) -> None:
    """Refuse from the header alone: loading first would let a header that claims
    2^40 elements, or an object dtype, decide what gets allocated or unpickled."""
    shape_in_file, _, dtype = read_header(path, fp)
    if dtype.kind not in NUMERIC_KINDS:
        reason = REFUSED_KINDS.get(dtype.kind, "it is not a numeric type")
        raise InputFileError(f"{path}: dtype {dtype} is refused: {reason}; --input takes "
                             "bool, int, uint or float arrays")
    if tuple(shape_in_file) != tuple(shape):
        raise InputFileError(f"{path}: input has shape {list(shape_in_file)}, but @main "
                             f"expects {list(shape)}")
    needed = math.prod(shape_in_file) * dtype.itemsize
    available = os.fstat(fp.fileno()).st_size - fp.tell()
    if available < needed:
        raise InputFileError(f"{path}: the file is truncated: its header announces "
                             f"{needed} bytes of data, it holds {available}")


def read_header(path: str, fp: BinaryIO) -> tuple[tuple[int, ...], bool, np.dtype]:
    """(shape, fortran_order, dtype) from the header, leaving ``fp`` at the data."""
    start = fp.read(len(np.lib.format.MAGIC_PREFIX))
    if start.startswith(ZIP_MAGIC):
        raise InputFileError(f"{path}: this is a .npz archive; save each array with "
                             "np.save and give one --input per array")
    if start != np.lib.format.MAGIC_PREFIX:
        raise InputFileError(f"{path}: not a .npy file (no .npy magic string at its start)")
    fp.seek(0)
    version = np.lib.format.read_magic(fp)
    # Version 3.0 only adds UTF-8 field names, i.e. structured dtypes, refused anyway.
    readers = {(1, 0): np.lib.format.read_array_header_1_0,
               (2, 0): np.lib.format.read_array_header_2_0}
    if version not in readers:
        raise InputFileError(f"{path}: .npy format version {version[0]}.{version[1]} is "
                             "not supported (1.0 and 2.0 are)")
    return readers[version](fp)


def as_float32(path: str, array: np.ndarray) -> np.ndarray:
    """``array`` as float32, refusing the first value that does not convert exactly
    (say int64 2^25 + 1, or float64 0.1): silently computing on other numbers than
    the user's would make a --check meaningless."""
    converted = array.astype(np.float32)
    # Values outside the source type's range after rounding (uint64 near 2^64) cast
    # back to garbage, which the comparison then reports; numpy's warning is noise.
    with np.errstate(invalid="ignore", over="ignore"):
        same = converted.astype(array.dtype) == array
    if array.dtype.kind == "f":
        same |= np.isnan(array)
    if not same.all():
        first = int(np.argmin(same))
        index = [int(i) for i in np.unravel_index(first, array.shape)]
        raise InputFileError(f"{path}: value {array.flat[first].item()!r} at index {index} "
                             f"is not exactly a float32 ({array.dtype}); relayout computes "
                             "in float32: convert with .astype(np.float32) first if the "
                             "rounding is fine")
    return converted
