"""Hostile inputs to the command line itself: --input files, -o/--dot targets, integer
options, huge names and internal errors all end in exit code 2 and one short
`relayout: error:` line, never a traceback, a hang or a huge line."""

import os

import numpy as np
import pytest
from numpy.lib import format as npy

from relayout import cli
from relayout.cli import capped, main

RUN = ["run", "--example", "gemm_softmax"]
SHAPE = (1, 3, 32, 32)  # gemm_softmax's @main input at the default --size
LONGEST = len("relayout: error: ") + cli.MAX_MESSAGE + 10


def bad(capsys, *argv, fragments=()):
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert code == 2
    assert "Traceback" not in out + err
    assert err.startswith("relayout: error: ") and err.count("\n") == 1
    assert len(err) < LONGEST
    for fragment in fragments:
        assert fragment in err
    return err


def argparse_refuses(capsys, *argv, fragment):
    with pytest.raises(SystemExit) as exit:
        main(list(argv))
    err = capsys.readouterr().err
    assert exit.value.code == 2 and fragment in err
    assert max(len(line) for line in err.splitlines()) < LONGEST


def save(tmp_path, array, name="x.npy"):
    path = tmp_path / name
    np.save(path, array, allow_pickle=True)
    return str(path)


def header_only(tmp_path, shape, data=b""):
    path = tmp_path / "h.npy"
    with open(path, "wb") as fp:
        npy.write_array_header_1_0(fp, {"descr": "<f4", "fortran_order": False,
                                        "shape": shape})
        fp.write(data)
    return str(path)


# --- --input -------------------------------------------------------------------------
def test_npz_archive(capsys, tmp_path):
    path = tmp_path / "x.npz"
    np.savez(path, x=np.zeros(SHAPE, np.float32))
    bad(capsys, *RUN, "--input", str(path), fragments=[str(path), ".npz archive"])


def test_text_file(capsys, tmp_path):
    path = tmp_path / "x.npy"
    path.write_text("1 2 3\n")
    bad(capsys, *RUN, "--input", str(path), fragments=[str(path), "not a .npy file"])


def test_huge_header_refused_before_reading(capsys, tmp_path):
    path = header_only(tmp_path, (2**20, 2**20))
    bad(capsys, *RUN, "--input", path,
        fragments=[path, "[1048576, 1048576]", "expects [1, 3, 32, 32]"])


def test_truncated_data(capsys, tmp_path):
    path = header_only(tmp_path, SHAPE, b"\0" * 100)
    bad(capsys, *RUN, "--input", path, fragments=[path, "truncated", "12288 bytes", "100"])


class MakesADirectory:
    """Unpickling this would run os.mkdir: the proof that a pickle was loaded."""

    def __init__(self, path):
        self.path = path

    def __reduce__(self):
        return os.mkdir, (self.path,)


@pytest.mark.parametrize("dtype, fragment", [
    (np.complex64, "imaginary part"),
    ("datetime64[ns]", "datetimes are not numbers"),
    ("timedelta64[s]", "timedeltas are not numbers"),
    ([("a", "f4"), ("b", "i4")], "structured"),
    ("V4", "void"),
    ("U3", "strings are not numbers"),
    ("S3", "byte strings are not numbers"),
])
def test_refused_dtypes(capsys, tmp_path, dtype, fragment):
    path = save(tmp_path, np.zeros(SHAPE, dtype))
    bad(capsys, *RUN, "--input", path, fragments=[path, "dtype", fragment])


def test_object_array_is_never_unpickled(capsys, tmp_path):
    marker = tmp_path / "unpickled"
    array = np.empty(SHAPE, object)
    array[0, 0, 0, 0] = MakesADirectory(str(marker))
    path = save(tmp_path, array)
    bad(capsys, *RUN, "--input", path, fragments=[path, "dtype object", "pickles"])
    assert not marker.exists()


def test_lossy_int64(capsys, tmp_path):
    array = np.zeros(SHAPE, np.int64)
    array[0, 1, 2, 3] = 2**25 + 1
    path = save(tmp_path, array)
    bad(capsys, *RUN, "--input", path,
        fragments=[path, "33554433", "[0, 1, 2, 3]", "not exactly a float32"])


def test_lossy_float64(capsys, tmp_path):
    path = save(tmp_path, np.full(SHAPE, 0.1))
    bad(capsys, *RUN, "--input", path, fragments=[path, "0.1", "float64"])


@pytest.mark.parametrize("array", [
    np.arange(np.prod(SHAPE), dtype=np.float64).reshape(SHAPE) / 4,
    np.arange(np.prod(SHAPE)).reshape(SHAPE) % 2 == 0,
    np.full(SHAPE, -(2**24), np.int64),
    np.full(SHAPE, np.nan, ">f8"),
], ids=["float64-exact", "bool", "int64-2^24", "big-endian-nan"])
def test_exact_dtypes_accepted_also_with_check(capsys, tmp_path, array):
    path = save(tmp_path, array)
    code = main([*RUN, "--input", path, "--check"])
    out, err = capsys.readouterr()
    assert code in (0, 1) and err == "" and "output #0" in out
    assert code == 0 or np.isnan(array).any()


# --- -o and --dot ----------------------------------------------------------------------
@pytest.fixture
def model(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["import", "--example", "gemm_softmax", "-o", "m.mlir"]) == 0
    capsys.readouterr()
    (tmp_path / "link.mlir").symlink_to(tmp_path / "m.mlir")
    return tmp_path / "m.mlir"


@pytest.mark.parametrize("argv", [
    ["import", "m.mlir", "-o", "m.mlir"],
    ["import", "m.mlir", "-o", "./m.mlir"],
    ["compile", "m.mlir", "--layout", "NHWC", "-o", "link.mlir"],
    ["compile", "./m.mlir", "--layout", "NHWC", "--emit", "cuda", "-o", "m.mlir"],
    ["explain", "m.mlir", "--layout", "NHWC", "--dot", "link.mlir"],
])
def test_output_never_overwrites_the_model(capsys, model, argv):
    before = model.read_text()
    bad(capsys, *argv, fragments=["is the input model", "refusing to overwrite"])
    assert model.read_text() == before


def test_output_is_a_directory(capsys, model, tmp_path):
    bad(capsys, "import", "m.mlir", "-o", str(tmp_path),
        fragments=[str(tmp_path), "is a directory"])


def test_output_cannot_be_written(capsys, model, tmp_path):
    target = tmp_path / "no" / "such" / "dir.mlir"
    bad(capsys, "import", "m.mlir", "-o", str(target),
        fragments=[str(target), "cannot write it"])


# --- integer options -----------------------------------------------------------------
@pytest.mark.parametrize("option, value", [
    ("--batch", "0"), ("--batch", "-1"), ("--size", "0"), ("--size", "-5"),
    ("--size", "lots"),
])
def test_positive_integer_options(capsys, option, value):
    argparse_refuses(capsys, "import", "--example", "resnet18", option, value,
                     fragment=f"argument {option}: expected a positive integer")


# --- message size --------------------------------------------------------------------
def test_megabyte_op_name_is_capped(capsys, tmp_path):
    path = tmp_path / "big.mlir"
    path.write_text('func.func @main(%x: tensor<1xf32>) -> tensor<1xf32> {\n'
                    f'  %y = "nn.{"x" * 10**6}"(%x) : (tensor<1xf32>) -> tensor<1xf32>\n'
                    '  func.return %y : tensor<1xf32>\n}\n')
    err = bad(capsys, "compile", str(path), "--layout", "NHWC", fragments=[str(path)])
    assert max(len(token) for token in err.split()) <= cli.MAX_TOKEN


def test_megabyte_argument_is_capped(capsys):
    argparse_refuses(capsys, "import", "--example", "x" * 10**6, fragment="invalid choice")


def test_capped():
    assert capped("a  b\n\n c") == "a b c"
    token = capped("x" * 10**6 + "y")
    assert len(token) <= cli.MAX_TOKEN and token.startswith("x") and token.endswith("y")
    long = capped(" ".join(["word"] * 10**5) + " end")
    assert len(long) < cli.MAX_MESSAGE + 10 and long.endswith(" end")


# --- internal errors -----------------------------------------------------------------
@pytest.mark.parametrize("error, fragments", [
    (KeyError("stage"), ["internal error (KeyError: 'stage')", "please report it"]),
    (ZeroDivisionError("division by zero"), ["internal error (ZeroDivisionError"]),
    (RecursionError("maximum recursion depth exceeded"),
     ["too large or too deeply nested", "RecursionError"]),
    (MemoryError("Unable to allocate 4.00 TiB"), ["too large", "MemoryError"]),
])
def test_internal_errors_are_one_line(capsys, monkeypatch, error, fragments):
    def broken(*_):
        raise error

    monkeypatch.setattr(cli, "optimize", broken)
    bad(capsys, "compile", "--example", "gemm_softmax", "--layout", "NHWC",
        fragments=["example gemm_softmax", *fragments])


def test_traceback_on_request(monkeypatch):
    def broken(*_):
        raise KeyError("stage")

    monkeypatch.setattr(cli, "optimize", broken)
    monkeypatch.setenv("RELAYOUT_TRACEBACK", "1")
    with pytest.raises(KeyError):
        main(["compile", "--example", "gemm_softmax", "--layout", "NHWC"])
