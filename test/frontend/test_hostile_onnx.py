"""Hostile ONNX models: external data that points anywhere or claims any size, graphs
that break SSA, absurd Resize scales and batch sizes, megabyte names. Each ends in an
`OnnxImportError` with a short message naming the culprit, never a traceback."""

import os
import time
import tracemalloc

import numpy as np
import onnx
import pytest
from onnx import TensorProto, helper, numpy_helper

from relayout.frontend import models
from relayout.frontend.errors import OnnxImportError
from relayout.frontend.onnx_import import from_onnx

X = (1, 3, 8, 8)
W = np.random.default_rng(0).standard_normal((4, 3, 3, 3)).astype(np.float32)
SCALE = np.full((1, 4, 1, 1), 0.5, np.float32)
UNUSED = np.ones(68, np.float32)


def rejects(model, *fragments, batch=None) -> str:
    with pytest.raises(OnnxImportError) as info:
        from_onnx(model, batch)
    message = str(info.value)
    for fragment in fragments:
        assert fragment in message, message
    return message


def conv_scale_model(graph_model) -> onnx.ModelProto:
    """Conv by initializer 'W', times Constant 'scale'; initializer 'unused' is read by
    nothing. Each of the three tensors may be made external."""
    nodes = [
        helper.make_node("Conv", ["x", "W"], ["c"], name="conv", pads=[1, 1, 1, 1]),
        helper.make_node("Constant", [], ["s"], name="scale",
                         value=numpy_helper.from_array(SCALE, "scale_value")),
        helper.make_node("Mul", ["c", "s"], ["y"], name="mul"),
    ]
    inputs = [helper.make_tensor_value_info("x", TensorProto.FLOAT, X)]
    inits = [numpy_helper.from_array(W, "W"), numpy_helper.from_array(UNUSED, "unused")]
    return graph_model(nodes, inputs, ["y"], inits)


def target(model: onnx.ModelProto, where: str) -> TensorProto:
    if where == "constant":
        return model.graph.node[1].attribute[0].t
    return model.graph.initializer[0 if where == "initializer" else 1]


def externalize(proto: TensorProto, location: str, offset: int | None = None,
                length: int | None = None) -> bytes:
    """Make ``proto`` external at ``location``; returns the bytes that belong there."""
    data = numpy_helper.to_array(proto).tobytes()
    proto.ClearField("raw_data")
    proto.ClearField("float_data")
    proto.data_location = TensorProto.EXTERNAL
    entries = {"location": location, "offset": offset, "length": length}
    for key, value in entries.items():
        if value is not None:
            proto.external_data.add(key=key, value=str(value))
    return data


WHERE = ["initializer", "constant", "unused"]
NAMES = {"initializer": "initializer 'W'", "constant": "node 'scale' (Constant): attribute "
         "'value'", "unused": "initializer 'unused'"}


@pytest.fixture
def folder(tmp_path):
    """The model's folder, inside tmp_path so that '..' has somewhere to go."""
    path = tmp_path / "model"
    path.mkdir()
    return path


def save(model: onnx.ModelProto, folder) -> str:
    path = folder / "m.onnx"
    onnx.save(model, path)
    return str(path)


def test_external_data_beside_the_model_imports(graph_model, folder):
    path = folder / "m.onnx"
    onnx.save(conv_scale_model(graph_model), path, save_as_external_data=True,
              all_tensors_to_one_file=True, location="weights.bin", size_threshold=0)
    assert onnx.load(path, load_external_data=False).graph.initializer[0].data_location \
        == TensorProto.EXTERNAL
    assert str(from_onnx(path)) == str(from_onnx(conv_scale_model(graph_model)))


@pytest.mark.parametrize("where", WHERE)
def test_external_data_in_a_subfolder_imports(graph_model, folder, where):
    model = conv_scale_model(graph_model)
    (folder / "sub").mkdir()
    (folder / "sub" / "w.bin").write_bytes(b"pad" + externalize(target(model, where),
                                                                  "sub/w.bin", offset=3))
    assert str(from_onnx(save(model, folder))) == str(from_onnx(conv_scale_model(graph_model)))


def lay_out(folder, damage: str) -> str:
    """Files around the model for ``damage``; returns the location to write."""
    match damage:
        case "parent":
            (folder.parent / "w.bin").write_bytes(W.tobytes())
            return "../w.bin"
        case "parent_inner":
            return "sub/../../w.bin"
        case "absolute":
            (folder.parent / "w.bin").write_bytes(W.tobytes())
            return str(folder.parent / "w.bin")
        case "symlink_out":
            (folder.parent / "w.bin").write_bytes(W.tobytes())
            (folder / "link.bin").symlink_to(folder.parent / "w.bin")
            return "link.bin"
        case "symlink_dir_out":
            (folder.parent / "d").mkdir()
            (folder.parent / "d" / "w.bin").write_bytes(W.tobytes())
            (folder / "d").symlink_to(folder.parent / "d")
            return "d/w.bin"
        case "symlink_in":
            (folder / "w.bin").write_bytes(W.tobytes())
            (folder / "link.bin").symlink_to("w.bin")
            return "link.bin"
        case "fifo":
            os.mkfifo(folder / "fifo.bin")
            return "fifo.bin"
        case "directory":
            (folder / "dir.bin").mkdir()
            return "dir.bin"
        case "nul":
            (folder / "w.bin").write_bytes(W.tobytes())
            return "w.bin\x00.txt"
    return {"missing": "missing.bin", "empty": ""}[damage]


DAMAGE = {
    "parent": "leads out of the model's folder ('..')",
    "parent_inner": "leads out of the model's folder ('..')",
    "absolute": "is an absolute path",
    "symlink_out": "leads out of the model's folder (a symbolic link)",
    "symlink_dir_out": "leads out of the model's folder (a symbolic link)",
    "symlink_in": "is a symbolic link",
    "missing": "no such file beside the model",
    "fifo": "is not a regular file",
    "directory": "is not a regular file",
    "empty": "the location is empty",
    "nul": "holds a NUL character",
}


@pytest.mark.parametrize("where", WHERE)
@pytest.mark.parametrize("damage", DAMAGE)
def test_external_data_outside_a_regular_file_beside_the_model(graph_model, folder, where,
                                                               damage):
    model = conv_scale_model(graph_model)
    location = lay_out(folder, damage)
    externalize(target(model, where), location)
    message = rejects(save(model, folder), NAMES[where], DAMAGE[damage])
    # Only what the model says is quoted: the model's folder is the user's business.
    if damage != "absolute":
        assert str(folder.parent) not in message


NEED = f"but the tensor's dims [4, 3, 3, 3] need {W.nbytes} bytes"


@pytest.mark.parametrize("offset, length, data, fragment", [
    (None, W.nbytes * 1000, W.tobytes(), f"has length {W.nbytes * 1000}, {NEED}"),
    (None, None, W.tobytes()[:100], f"has 100 bytes from offset 0 to the end of the file, {NEED}"),
    (None, None, W.tobytes() + b"more", f"has {W.nbytes + 4} bytes from offset 0 to the end"),
    (1 << 40, None, W.tobytes(), f"has 0 bytes from offset {1 << 40} to the end of the file"),
    (8, W.nbytes, W.tobytes(), f"has {W.nbytes - 8} bytes from offset 8 to the end"),
    ("-4", None, W.tobytes(), "has offset '-4', not a byte count"),
    ("1e3", None, W.tobytes(), "has offset '1e3', not a byte count"),
    (None, "9" * 5000, W.tobytes(), "has length '99999999999999999999999999999999999"),
])
def test_external_data_of_the_wrong_size(graph_model, folder, offset, length, data,
                                         fragment):
    model = conv_scale_model(graph_model)
    externalize(target(model, "initializer"), "w.bin", offset, length)
    (folder / "w.bin").write_bytes(data)
    message = rejects(save(model, folder), "initializer 'W': external data 'w.bin'", fragment)
    assert len(message) < 300


@pytest.mark.parametrize("length", [1 << 31, None])
def test_sparse_2gib_file_is_refused_before_reading(graph_model, folder, length):
    """A 68-float tensor in front of a 2 GiB hole: the sizes disagree, so nothing is read."""
    model = conv_scale_model(graph_model)
    externalize(target(model, "unused"), "w.bin", length=length)
    with open(folder / "w.bin", "wb") as f:
        f.truncate(1 << 31)
    path = save(model, folder)
    tracemalloc.start()
    start = time.perf_counter()
    try:
        rejects(path, "initializer 'unused': external data 'w.bin' has ",
                "length 2147483648" if length else "2147483648 bytes from offset 0",
                "but the tensor's dims [68] need 272 bytes")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert time.perf_counter() - start < 5
    assert peak < 10 << 20


def test_external_data_over_the_size_limit_is_refused_by_its_dims(graph_model, folder):
    model = conv_scale_model(graph_model)
    proto = target(model, "unused")
    externalize(proto, "w.bin")
    proto.dims[:] = [1 << 20, 1 << 20]
    (folder / "w.bin").write_bytes(b"")
    rejects(save(model, folder), "initializer 'unused' of shape [1048576, 1048576] has more "
            "than the limit")


def test_external_strings_are_refused(graph_model, folder):
    model = conv_scale_model(graph_model)
    proto = target(model, "unused")
    externalize(proto, "w.bin")
    proto.data_type = TensorProto.STRING
    (folder / "w.bin").write_bytes(UNUSED.tobytes())
    rejects(save(model, folder), "external data of type STRING is not supported")


def test_in_memory_model_with_external_data_reads_nothing(graph_model, tmp_path,
                                                          monkeypatch):
    """No folder to look in: not even the working directory is tried."""
    model = conv_scale_model(graph_model)
    externalize(target(model, "initializer"), "w.bin")
    (tmp_path / "w.bin").write_bytes(W.tobytes())
    monkeypatch.chdir(tmp_path)
    for source in (model, model.SerializeToString()):
        rejects(source, "initializer 'W' keeps its data in an external file; give the "
                "model as a file path")


# Graph form: what onnxruntime refuses is refused here, naming the node.


def relu_graph(graph_model, nodes, outputs=("y",), inits=()):
    inputs = [helper.make_tensor_value_info("x", TensorProto.FLOAT, X)]
    model = graph_model(nodes, inputs, list(outputs), inits)
    return model


def test_graph_without_nodes(graph_model):
    rejects(relu_graph(graph_model, [], ["x"]), "the graph has no nodes")


def test_graph_without_outputs(graph_model):
    rejects(relu_graph(graph_model, [helper.make_node("Relu", ["x"], ["y"])], []),
            "the graph has no outputs")


def test_duplicate_node_names(graph_model):
    nodes = [helper.make_node("Relu", ["x"], ["a"], name="n"),
             helper.make_node("Relu", ["a"], ["y"], name="n")]
    rejects(relu_graph(graph_model, nodes), "node 'n' (Relu): node #0 has the same name")


def test_unnamed_nodes_may_share_the_empty_name(graph_model):
    nodes = [helper.make_node("Relu", ["x"], ["a"]), helper.make_node("Relu", ["a"], ["y"])]
    from_onnx(relu_graph(graph_model, nodes))


@pytest.mark.parametrize("output, fragment", [
    ("a", "output 'a' is already the output of node 'n1' (Relu)"),
    ("x", "output 'x' is already a graph input"),
    ("b", "output 'b' is already an initializer"),
])
def test_tensor_defined_twice(graph_model, output, fragment):
    nodes = [helper.make_node("Relu", ["x"], ["a"], name="n1"),
             helper.make_node("Sigmoid", ["a"], [output], name="n2"),
             helper.make_node("Add", ["a", "b"], ["y"], name="n3")]
    bias = numpy_helper.from_array(np.ones(X, np.float32), "b")
    model = helper.make_model(
        helper.make_graph(nodes, "g", [helper.make_tensor_value_info("x", 1, X)],
                          [helper.make_tensor_value_info("y", 1, X)], [bias]),
        opset_imports=[helper.make_opsetid("", 17)], ir_version=8,
    )
    rejects(model, f"node 'n2' (Sigmoid): {fragment}; a tensor is defined once")


# Values that would overflow or divide by zero later.


@pytest.mark.parametrize("scale", [np.inf, np.nan, -2.0, 0.0])
@pytest.mark.parametrize("op_type, opset", [("Resize", 17), ("Upsample", 8)])
def test_resize_scale_must_be_finite_and_positive(graph_model, scale, op_type, opset):
    scales = [1.0, 1.0, scale, scale]
    if op_type == "Resize":
        node = helper.make_node("Resize", ["x", "", "s"], ["y"], name="up", mode="nearest")
        inits = [numpy_helper.from_array(np.array(scales, np.float32), "s")]
    else:
        node = helper.make_node("Upsample", ["x"], ["y"], name="up", scales=scales)
        inits = []
    inputs = [helper.make_tensor_value_info("x", TensorProto.FLOAT, X)]
    model = helper.make_model(
        helper.make_graph([node], "g", inputs, [helper.make_tensor_value_info("y", 1, None)],
                          inits),
        opset_imports=[helper.make_opsetid("", opset)], ir_version=8,
    )
    rejects(model, f"node 'up' ({op_type}): scales [1.0, 1.0, {scale}, {scale}] must be "
            "finite and positive")


def test_resize_scale_too_big_for_the_size_limit(node_model):
    model, _ = node_model("Resize", [X, None, np.array([1, 1, 1e30, 1e30], np.float32)],
                          name="up", mode="nearest")
    rejects(model, "node 'up' (Resize): the output of shape [1, 3, 800000", "more than the limit")


@pytest.mark.parametrize("batch", [0, -1])
def test_batch_must_be_positive(batch):
    rejects(models.gemm_softmax_head(batch=None, size=8), f"batch must be at least 1, got "
            f"{batch}", batch=batch)


@pytest.mark.parametrize("name", sorted(models.EXAMPLES))
@pytest.mark.parametrize("size", [0, -3])
def test_examples_refuse_sizes_below_one(name, size):
    with pytest.raises(ValueError, match=f"the image size must be .*at least .*, got {size}"):
        models.EXAMPLES[name](size=size)


@pytest.mark.parametrize("name, smallest, refused", [
    ("squeezenet", 25, (24, 1)), ("unet", 8, (4, 10, 1)), ("gemm_softmax", 4, (3, 1)),
])
def test_examples_say_their_smallest_size(name, smallest, refused):
    from_onnx(models.EXAMPLES[name](size=smallest))
    for size in refused:
        with pytest.raises(ValueError, match=f"at least {smallest}, got {size}"):
            models.EXAMPLES[name](size=size)


def test_examples_refuse_batch_below_one():
    with pytest.raises(ValueError, match="batch must be at least 1, got 0"):
        models.unet(batch=0)


# Messages stay short, whatever the model holds.

HUGE = "n" * 1_000_000


def test_megabyte_node_name_is_shortened(graph_model):
    nodes = [helper.make_node("Relu", ["x"], ["a"], name=HUGE),
             helper.make_node("Relu", ["a"], ["y"], name=HUGE)]
    message = rejects(relu_graph(graph_model, nodes), "node 'nnnn", "...' (Relu)")
    assert len(message) < 300


def test_megabyte_input_and_initializer_names_are_shortened(graph_model, folder):
    model = conv_scale_model(graph_model)
    model.graph.node[0].input[1] = HUGE
    assert len(rejects(model, "input 'nnnn")) < 300
    model = conv_scale_model(graph_model)
    model.graph.initializer[1].name = HUGE
    externalize(model.graph.initializer[1], HUGE)
    assert len(rejects(save(model, folder), "initializer 'nnnn", "external data 'nnnn")) < 400


def test_megabyte_literal_is_shortened(node_model):
    model, _ = node_model("Reshape", [X, np.full(1_000_000, 7, np.int64)], name="r")
    message = rejects(model, "node 'r' (Reshape): nn.reshape: cannot reshape [1, 3, 8, 8]")
    assert len(message) < 400


def test_megabyte_name_in_an_onnx_checker_message_is_shortened(graph_model):
    nodes = [helper.make_node("Relu", ["x"], [""], name=HUGE),
             helper.make_node("Relu", ["x"], ["y"], name="n2")]
    message = rejects(relu_graph(graph_model, nodes), "invalid ONNX model")
    assert len(message) < 600


def test_unknown_input_element_type(graph_model):
    model = relu_graph(graph_model, [helper.make_node("Relu", ["x"], ["y"])])
    model.graph.input[0].type.tensor_type.elem_type = 99
    rejects(model, "graph input 'x' has element type 99 (unknown)")
