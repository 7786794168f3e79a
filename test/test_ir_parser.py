"""Hostile textual IR ends in a short ParseError naming the place, never a traceback,
and hex weights parse in memory proportional to their data."""

import tracemalloc

import numpy as np
import pytest
from xdsl.utils.exceptions import ParseError

from relayout.cli import main
from relayout.dialects.context import parse_module
from relayout.dialects.ir_parser import MAX_NESTING, QUOTE_CHARS
from relayout.dialects.nn import ConstantOp


def func(attrs: str = "", body: str = "") -> str:
    return f"func.func @main() attributes {{{attrs}}} {{\n{body}  func.return\n}}\n"


def deep(kind: str, n: int) -> str:
    if kind == "array":
        return func(body="  %c = nn.constant dense<" + "[" * n + "1.0" + "]" * n
                    + "> : tensor<" + "1x" * n + "f32>\n")
    if kind == "dict":
        return func("a = " + "{a = " * n + "1" + "}" * n)
    if kind == "function type":
        return func("t = " + "(" * n + "f32" + ") -> f32" * n)
    if kind == "tuple":
        return func("t = " + "tuple<" * n + "f32" + ">" * n)
    assert kind == "region"
    return "builtin.module {\n" * n + "}\n" * n


def error(text: str) -> str:
    with pytest.raises(ParseError) as info:
        parse_module(text)
    return str(info.value)


KINDS = ["array", "dict", "function type", "tuple", "region"]


@pytest.mark.parametrize("kind", KINDS)
def test_deep_nesting_is_refused_where_it_passes_the_limit(kind):
    message = error(deep(kind, 5000))
    assert f"nesting deeper than {MAX_NESTING}" in message
    assert message.startswith("<string>:")


@pytest.mark.parametrize("kind", KINDS)
def test_nesting_up_to_the_limit_parses_and_prints(kind):
    # The function and its attribute dictionary are two levels of the 64.
    str(parse_module(deep(kind, MAX_NESTING - 4)))


def test_strings_comments_and_arrows_do_not_nest():
    brackets = "[" * 5000
    text = func(f'a = "{brackets}", s = affine_set<(d0) : (d0 - 1 >= 0)>',
                f"  // {brackets}\n") + "// ->>>>\n"
    parse_module(text)


def test_nesting_without_brackets_is_a_parse_error():
    message = error(func("m = affine_map<(d0) -> (" + "-" * 5000 + "d0)>"))
    assert "nesting too deep to parse" in message


@pytest.mark.parametrize("ty, message, column", [
    ("tensor<*xf32>", "unranked tensors are not supported", 28),
    ("tensor<?x3x4x4xf32>", "dynamic dimensions are not supported", 28),
    ("tensor<1x3x?x4xf32>", "dynamic dimensions are not supported", 32),
])
def test_unranked_and_dynamic_tensors_are_refused_in_signatures(ty, message, column):
    text = (f"func.func @main(%x: {ty}) -> {ty} {{\n"
            f"  %y = nn.relu %x : {ty}\n  func.return %y : {ty}\n}}\n")
    got = error(text)
    assert got.startswith(f"<string>:1:{column}\n") and message in got


def test_dynamic_tensors_are_refused_in_op_types_and_attributes():
    body = "  %y = nn.constant dense<1.0> : tensor<?xf32>\n"
    assert "<string>:2:" in error(func(body=body))
    assert "unranked tensors" in error(func("t = tensor<*xf32>"))


def constant_module(hex_digits: str, shape: str) -> str:
    return func(body=f'  %c = nn.constant dense<"0x{hex_digits}"> : tensor<{shape}xf32>\n')


def the_constant(text: str) -> np.ndarray:
    (op,) = [op for op in parse_module(text).walk() if isinstance(op, ConstantOp)]
    return op.array()


def test_hex_weights_parse_in_memory_proportional_to_the_data():
    data = np.random.default_rng(0).standard_normal(1 << 20).astype(np.float32)
    hex_digits = data.tobytes().hex().upper()
    text = constant_module(hex_digits, str(data.size))
    tracemalloc.start()
    try:
        parsed = the_constant(text)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    np.testing.assert_array_equal(parsed, data)
    # Half a byte of data per digit twice (decoded chunks, then joined) and one chunk
    # of text: xDSL took ~120 bytes per digit.
    assert peak < 1.3 * len(hex_digits)


def test_hex_splat_and_lower_case_digits():
    np.testing.assert_array_equal(the_constant(constant_module("0000803f", "2x3")),
                                  np.ones((2, 3), np.float32))


@pytest.mark.parametrize("hex_digits, message", [
    ("0000803F0000", "Expected 2 elements (8 bytes) from the type, but got 6 bytes"),
    ("0000803F0000803", "Hex string in denseAttr is invalid"),
    ("0000803F 0000803F", "Hex string in denseAttr is invalid"),
    ("0000803F0000803G", "Hex string in denseAttr is invalid"),
])
def test_bad_hex_constants(hex_digits, message):
    assert message in error(constant_module(hex_digits, "2"))


def test_messages_quote_a_short_excerpt_of_a_huge_line():
    # A file cut inside a 10 MB hex constant.
    text = func(body='  %c = nn.constant dense<"0x' + "3DCCCCCD" * 1_250_000)
    message = error(text)
    assert message.startswith("<string>:2:")
    assert len(message) < 2 * QUOTE_CHARS + 200
    assert "End of file reached before closing string literal" in message


def test_a_huge_token_in_a_message_is_cut():
    # xDSL's message quotes the token: "Expected 'x' in shape delimiter, got yyy...".
    message = error(func("t = tensor<4" + "y" * 1_000_000 + ">"))
    assert len(message) < 2 * QUOTE_CHARS + 500 and message.rstrip().endswith("y...")


HELPER = ("func.func @helper(%x: tensor<4xf32>) -> tensor<4xf32> {\n"
          "  func.return %x : tensor<4xf32>\n}\n")


def main_calling(callee: str) -> str:
    return ("func.func @main(%x: tensor<4xf32>) -> tensor<4xf32> {\n"
            f"  %y = func.call @{callee}(%x) : (tensor<4xf32>) -> tensor<4xf32>\n"
            "  func.return %y : tensor<4xf32>\n}\n")


BAD_MODULES = {
    "recursion": (main_calling("main"), "<string>:2:3",
                  "func.call is not supported; inline the callee @main"),
    "helper": (HELPER + main_calling("helper"), "<string>:5:3",
               "func.call is not supported; inline the callee @helper"),
    "external main": ("func.func private @main(tensor<4xf32>) -> tensor<4xf32>\n",
                      "<string>:1:1", "func.func @main has no body"),
    "i32 argument": (("func.func @main(%x: tensor<4xi32>) -> tensor<4xi32> {\n"
                      "  func.return %x : tensor<4xi32>\n}\n"), "<string>:1:1",
                     "func.func @main: argument 0 has type tensor<4xi32>"),
    "scalar result": ("func.func @main() -> f32 {\n  func.return\n}\n", "<string>:1:1",
                      "func.func @main: result 0 has type f32"),
    "index argument": ("func.func @f(%i: index) {\n  func.return\n}\n", "<string>:1:1",
                       "func.func @f: argument 0 has type index"),
}


@pytest.mark.parametrize("name", BAD_MODULES)
def test_modules_the_interpreter_and_lowering_cannot_run(name):
    text, where, message = BAD_MODULES[name]
    got = error(text)
    assert got.startswith(where) and message in got


CLI_CASES = {
    "deep.mlir": (deep("array", 5000), "nesting deeper than"),
    "dynamic.mlir": (("func.func @main(%x: tensor<?x3xf32>) -> tensor<?x3xf32> {\n"
                      "  func.return %x : tensor<?x3xf32>\n}\n"), "dynamic dimensions"),
    "call.mlir": (HELPER + main_calling("helper"), "func.call is not supported"),
    "external.mlir": (BAD_MODULES["external main"][0], "has no body"),
    "i32.mlir": (BAD_MODULES["i32 argument"][0], "argument 0 has type"),
    "no_main.mlir": (HELPER, "module has no function @main"),
}


@pytest.mark.parametrize("name", CLI_CASES)
@pytest.mark.parametrize("command", [["run"], ["compile", "--layout", "NHWC", "--emit",
                                               "cuda"]])
def test_cli_gives_a_clean_error(capsys, tmp_path, name, command):
    text, fragment = CLI_CASES[name]
    path = tmp_path / name
    path.write_text(text)
    argv = [command[0], str(path), *command[1:]]
    if command[0] == "compile":
        argv += ["-o", str(tmp_path / "out.cu")]
    code = main(argv)
    _, err = capsys.readouterr()
    assert code == 2 and "Traceback" not in err
    assert err.startswith("relayout: error:") and fragment in err
