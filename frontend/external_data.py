"""ONNX external data, read safely: a tensor may keep its bytes in a file beside the
model, named by a ``location`` the model's author chose.

onnx's own loader checks the location, but reads the data before anyone compares its
size with the tensor's (a 2 GiB sparse file behind a 68-float tensor is read whole), and
its messages hold absolute paths of the user's machine. Here the location must name a
regular file inside the model's folder, and exactly the tensor's dims times its element
size is read, after every check.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterator

from onnx import GraphProto, ModelProto, TensorProto, helper

from relayout.frontend.errors import OnnxImportError, quote, show
from relayout.frontend.onnx_node import check_size, node_label, type_name

# Sub-byte types are packed in raw data; nothing the importer converts uses them.
_PACKED = {getattr(TensorProto, name) for name in (
    "INT4", "UINT4", "INT2", "UINT2", "FLOAT4E2M1", "FLOAT6E2M3", "FLOAT6E3M2",
) if hasattr(TensorProto, name)}
_NUMBER = re.compile(r"[0-9]{1,19}")  # at most 19 digits: an int64, as onnx writes them
# The onnx checker and shape inference take the model serialized, which protobuf caps.
MAX_MODEL_BYTES = 2**31 - 1


def inline_external_data(model: ModelProto, folder: str | None) -> None:
    """Replace every external data reference in ``model`` by the bytes it names, read
    from ``folder`` (the model file's folder; None for a model given in memory, whose
    external data cannot be found and is refused)."""
    room = MAX_MODEL_BYTES - model.ByteSize()
    for tensor, what in _tensors(model):
        if tensor.data_location != TensorProto.EXTERNAL:
            continue
        if folder is None:
            raise OnnxImportError(
                f"{what} keeps its data in an external file; give the model as a file "
                "path so that the file can be found beside it"
            )
        tensor.raw_data = _read(tensor, what, folder, room)
        room -= len(tensor.raw_data)
        tensor.data_location = TensorProto.DEFAULT
        del tensor.external_data[:]


def _tensors(model: ModelProto) -> Iterator[tuple[TensorProto, str]]:
    """Every tensor in the model, subgraphs and functions included, with what to call
    it; graphs are walked with a stack, as a model may nest them deeply."""
    graphs: list[GraphProto] = [model.graph]
    nodes = [(node, index) for f in model.functions for index, node in enumerate(f.node)]
    while graphs or nodes:
        if graphs:
            graph = graphs.pop()
            for t in graph.initializer:
                yield t, f"initializer {quote(t.name)}"
            for s in graph.sparse_initializer:
                yield s.values, f"sparse initializer {quote(s.values.name)}"
                yield s.indices, f"indices of sparse initializer {quote(s.values.name)}"
            nodes.extend((node, index) for index, node in enumerate(graph.node))
            continue
        node, index = nodes.pop()
        for attr in node.attribute:
            what = f"{node_label(node, index)}: attribute {quote(attr.name)}"
            sparse = [attr.sparse_tensor, *attr.sparse_tensors]
            for t in (attr.t, *attr.tensors, *(s.values for s in sparse),
                      *(s.indices for s in sparse)):
                yield t, what
            graphs.extend([attr.g, *attr.graphs])


def _read(tensor: TensorProto, what: str, folder: str, room: int) -> bytes:
    """Every check that needs no file, then the file's, then the read."""
    entries = {e.key: e.value for e in tensor.external_data}
    location = entries.get("location", "")
    where = f"{what}: external data {quote(location)}"
    _check_location(location, where)
    offset = _number(entries, "offset", where) or 0
    length = _number(entries, "length", where)
    size = _expected_bytes(tensor, what)
    need = f"the tensor's dims {show(tensor.dims)} need {size} bytes"
    if length is not None and length != size:
        raise OnnxImportError(f"{where} has length {length}, but {need}")
    if size > room:
        raise OnnxImportError(f"{where}: with it the model would pass protobuf's limit of "
                              f"{MAX_MODEL_BYTES} bytes")
    path = os.path.join(folder, location)
    # realpath follows every link on the way: the file itself must still be in the folder.
    inside = os.path.realpath(folder)
    if os.path.commonpath([inside, os.path.realpath(path)]) != inside:
        raise OnnxImportError(f"{where} leads out of the model's folder (a symbolic link)")
    try:
        before = os.lstat(path)
        _check_regular(before, where)
        available = before.st_size - offset
        # Without a length the data runs to the end of the file.
        if available < size or (length is None and available != size):
            raise OnnxImportError(f"{where} has {max(available, 0)} bytes from offset "
                                  f"{offset} to the end of the file, but {need}")
        return _read_exactly(path, before, offset, size, where)
    except FileNotFoundError:
        raise OnnxImportError(f"{where}: no such file beside the model") from None
    except OSError as e:  # its text would show the absolute path
        raise OnnxImportError(f"{where} cannot be read: {e.strerror}") from None


def _check_location(location: str, where: str) -> None:
    if not location:
        raise OnnxImportError(f"{where}: the location is empty")
    if "\0" in location:
        raise OnnxImportError(f"{where}: the location holds a NUL character")
    if os.path.isabs(location) or location.startswith(("/", "\\")) \
            or re.match(r"[A-Za-z]:", location):
        raise OnnxImportError(f"{where}: the location is an absolute path; external data "
                              "must lie in the model's folder")
    if ".." in re.split(r"[/\\]", location):
        raise OnnxImportError(f"{where}: the location leads out of the model's folder ('..')")


def _number(entries: dict[str, str], key: str, where: str) -> int | None:
    if key not in entries:
        return None
    if not _NUMBER.fullmatch(entries[key]):
        raise OnnxImportError(f"{where} has {key} {quote(entries[key])}, not a byte count")
    return int(entries[key])


def _expected_bytes(tensor: TensorProto, what: str) -> int:
    """The size the tensor's dims and type give its data, checked against the size
    limit first: the file's own size says nothing about what the tensor may hold."""
    kind = tensor.data_type
    if kind not in TensorProto.DataType.values() or kind == TensorProto.UNDEFINED:
        raise OnnxImportError(f"{what} has an unknown data type ({kind})")
    if kind == TensorProto.STRING or kind in _PACKED:
        raise OnnxImportError(f"{what}: external data of type {type_name(kind)} is not supported")
    check_size(tensor.dims, what)
    count = 1
    for d in tensor.dims:
        count *= d
    return count * helper.tensor_dtype_to_np_dtype(kind).itemsize


def _read_exactly(path: str, before: os.stat_result, offset: int, size: int,
                  where: str) -> bytes:
    """``size`` bytes at ``offset`` of ``path``, which `lstat` found a regular file
    (opening a FIFO would block); opened without following a link, and checked to be
    that same file, as it may have been swapped since."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    fd = os.open(path, flags | getattr(os, "O_BINARY", 0))
    try:
        after = os.fstat(fd)
        if (after.st_dev, after.st_ino) != (before.st_dev, before.st_ino):
            raise OnnxImportError(f"{where} was replaced while being read")
        chunks, done = [], 0
        while done < size:
            chunk = os.pread(fd, size - done, offset + done)
            if not chunk:
                raise OnnxImportError(f"{where} shrank while being read")
            chunks.append(chunk)
            done += len(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


def _check_regular(info: os.stat_result, where: str) -> None:
    if stat.S_ISLNK(info.st_mode):
        raise OnnxImportError(f"{where} is a symbolic link; it must be a regular file")
    if not stat.S_ISREG(info.st_mode):
        raise OnnxImportError(f"{where} is not a regular file")
