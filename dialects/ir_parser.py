"""The parser for textual IR from users: xDSL's, hardened against hostile text.

What xDSL 0.74 does with some small or large files, and what this parser does instead:

- its string-literal pattern backtracks exponentially on an unterminated string, and
  the linear rewrite of it kept ~150 bytes of regex state per character: possessive
  quantifiers match the same strings in linear time and constant memory;
- a hex `dense<"0x...">` literal was copied whole nine times on its way to bytes: here
  it is decoded from the source text in chunks, so 128 MB of hex costs its 64 MB of data
  (twice, while the chunks are joined);
- deep nesting (`[[[[...`, `{a = {a = ...`, regions) recursed until RecursionError:
  nesting is counted before parsing;
- error messages quote the whole source line, which for a truncated hex constant is
  megabytes: they quote at most ~200 characters of it;
- a splat `dense<1.0> : tensor<100000x100000xf32>` was expanded before anything checked
  its size, and unranked or dynamic tensor types got through to the interpreter and the
  C emitter: shapes are checked where they are written;
- `func.call`, external functions and signatures that are not f32 tensors reached the
  interpreter and lowering, which know none of them: they are refused where written.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from math import prod
from typing import Any

from xdsl.context import Context
from xdsl.dialects.builtin import (
    AnyDenseElement,
    AnyTensorType,
    AnyUnrankedTensorType,
    BytesAttr,
    DenseIntOrFPElementsAttr,
    ModuleOp,
    RankedStructure,
    TensorType,
    f32,
)
from xdsl.dialects.func import CallOp, FuncOp
from xdsl.ir import Attribute, Operation
from xdsl.parser import Parser
from xdsl.parser.generic_parser import ParserState
from xdsl.utils.exceptions import MultipleSpansParseError, ParseError
from xdsl.utils.lexer import Input, Position, Span
from xdsl.utils.mlir_lexer import MLIRLexer, MLIRToken, MLIRTokenKind

from relayout.dialects.nn.base import ShapeError, check_size

MAX_NESTING = 64
"""Brackets, braces, parentheses and angle brackets open at once. relayout's own IR
nests 5 deep; parsing a level of `{a = ...}` takes 10 Python frames, so 64 levels stay
well inside the default recursion limit, here and in the verifier and printer."""

QUOTE_CHARS = 200
"""Source characters an error message quotes around the offending position."""

MESSAGE_CHARS = 300
"""An error's own text is cut here: some quote tokens, which can be megabytes."""

# A string literal as MLIR spells it. Possessive quantifiers: the alternatives cannot
# both match a character, so nothing is lost by never backtracking, and Python's `re`
# then keeps no per-repetition state (the plain `(...|...)*` costs ~150 bytes per
# character and `([...]+|...)*` backtracks exponentially on an unterminated string).
_STRING = r'"(?:[^"\\\n\v\f]++|\\(?:["nt\\]|[0-9A-Fa-f]{2}))*+"'

# What nesting is made of; string literals and comments are skipped whole, `->` is an
# arrow, and a lone `"` starts a string the lexer will refuse.
_NESTING = re.compile(_STRING + r'|"|//[^\n]*|->|[][(){}<>]')
_OPENER = {")": "(", "]": "[", "}": "{", ">": "<"}

_HEX_DIGITS = re.compile(r"[0-9A-Fa-f]*")

# Hex digits decoded at a time: each step copies this much text, never the whole.
_HEX_CHUNK = 1 << 20


class Lexer(MLIRLexer):
    _unescaped_characters_regex = re.compile(_STRING)

    def _lex_string_literal(self, start_pos: Position) -> MLIRToken:
        # xDSL's version copies the literal four times to learn that it has no escapes.
        content = self.input.content
        match = self._unescaped_characters_regex.match(content, start_pos)
        if match is None or content.find("\\", start_pos, match.end()) != -1:
            return super()._lex_string_literal(start_pos)
        self.pos = match.end()
        return self._form_token(MLIRTokenKind.STRING_LIT, start_pos)


@dataclass
class ShortParseError(ParseError):
    """A ParseError that quotes at most QUOTE_CHARS of the source per position."""

    more: str = ""
    """The other positions of a MultipleSpansParseError, already quoted."""

    def __str__(self) -> str:
        return quote(self.span, self.msg) + self.more


def quote(span: Span[Any], msg: str | None) -> str:
    """`file:line:col`, the line around the span's start (cut to QUOTE_CHARS, with
    `...` where cut), carets under the span and the message."""
    line_start = span.input.get_start_of_line(span.start)
    line_end = span.input.get_end_of_line(span.start)
    lo = max(line_start, span.start - QUOTE_CHARS // 2)
    hi = min(line_end, lo + QUOTE_CHARS)
    head, tail = "..." * (lo > line_start), "..." * (hi < line_end)
    excerpt = span.input.content[lo:hi].removesuffix("\r")
    indent = " " * (len(head) + span.start - lo)
    carets = "^" * max(1, min(span.end, hi) - span.start)
    lines = [str(span.get_location()), head + excerpt + tail, indent + carets]
    if msg is not None:
        lines.append(indent + shorten(msg, MESSAGE_CHARS))
    return "\n".join(lines) + "\n"


def shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


def short(error: ParseError) -> ShortParseError:
    if isinstance(error, ShortParseError):
        return error
    more = ""
    if isinstance(error, MultipleSpansParseError):
        more = shorten(error.ref_text or "", MESSAGE_CHARS) + "\n"
        # One reference per dangling block: a hostile file can have thousands.
        more += "".join(quote(span, msg) for span, msg in error.refs[:10])
    return ShortParseError(error.span, error.msg, more)


@contextmanager
def short_errors() -> Iterator[None]:
    try:
        yield
    except ParseError as e:
        raise short(e) from None


def check_nesting(source: Input[str]) -> None:
    """Refuse text that nests deeper than MAX_NESTING, at the first opener too many.

    A closer that does not match the innermost opener is not counted: `>` in an affine
    set's `>= 0` closes nothing, and elsewhere the parser refuses it."""
    open_: list[str] = []
    text = source.content
    for match in _NESTING.finditer(text):
        char, at = text[match.start()], match.start()
        if char == '"' and match.end() == at + 1:
            return  # an unterminated string: the lexer stops there
        if char in "([{<":
            if len(open_) == MAX_NESTING:
                raise ShortParseError(Span(at, at + 1, source),
                                      f"nesting deeper than {MAX_NESTING}")
            open_.append(char)
        elif char in _OPENER and open_ and open_[-1] == _OPENER[char]:
            open_.pop()


class IRParser(Parser):
    def __init__(self, ctx: Context, text: str, name: str = "<unknown>") -> None:
        super().__init__(ctx, "", name)
        with short_errors():  # lexing the first token can fail
            self._parser_state = ParserState(Lexer(Input(text, name)))

    def parse_module(self, allow_implicit_module: bool = True) -> ModuleOp:
        with short_errors():
            check_nesting(self.lexer.input)
            try:
                return super().parse_module(allow_implicit_module)
            except RecursionError:
                # Nesting without brackets, such as `- - - d0` in an affine map.
                self.raise_error("nesting too deep to parse")

    def parse_operation(self) -> Operation:
        start = self._current_token.span
        op = super().parse_operation()
        if isinstance(op, CallOp):
            self.raise_error(
                f"func.call is not supported; inline the callee {op.callee}", start)
        if isinstance(op, FuncOp):
            check_function(self, op, start)
        return op

    def parse_ranked_shape(self) -> tuple[list[int], Attribute]:
        """Refuses a shape over the size limit where it is written, before a dense
        literal of that type is expanded."""
        start = self.pos
        dims, element = super().parse_ranked_shape()
        try:
            check_size(dims)
        except ShapeError as e:
            self.raise_error(str(e), start, self.pos)
        return dims, element

    def parse_shape_dimension(self, allow_dynamic: bool = True) -> int:
        # Every tensor's extent is compiled into the kernels; `?` would be -1 there.
        if self._current_token.kind == MLIRTokenKind.QUESTION:
            self.raise_error("dynamic dimensions are not supported")
        return super().parse_shape_dimension(allow_dynamic)

    def _parse_tensor_attrs(self) -> AnyTensorType | AnyUnrankedTensorType:
        if self._current_token.kind == MLIRTokenKind.STAR:
            self.raise_error("unranked tensors are not supported")
        return super()._parse_tensor_attrs()

    def parse_optional_str_literal(self) -> str | None:
        """A literal without escapes is its own text: one copy, not xDSL's five."""
        token = self._current_token
        span = token.span
        if (token.kind != MLIRTokenKind.STRING_LIT
                or span.input.content.find("\\", span.start, span.end) != -1):
            return super().parse_optional_str_literal()
        self._consume_token()
        return span.input.content[span.start + 1 : span.end - 1]

    def parse_dense_int_or_fp_elements_attr(
        self, type: RankedStructure[AnyDenseElement] | None
    ) -> DenseIntOrFPElementsAttr:
        """`dense<"0x...">` goes from the source text to bytes; other forms are xDSL's."""
        less = self.pos
        self.parse_punctuation("<", " in dense attribute")
        digits = self._hex_digits()
        if digits is None:
            self._resume_from(less)
            return super().parse_dense_int_or_fp_elements_attr(type)
        self._consume_token(MLIRTokenKind.STRING_LIT)
        self.parse_punctuation(">", " in dense attribute")
        if type is None:
            self.parse_punctuation(":", " in dense attribute")
            type = self._parse_dense_literal_type()
        return DenseIntOrFPElementsAttr(type, BytesAttr(self._hex_data(digits, type)))

    def _hex_digits(self) -> Span | None:
        """The digits of a current `"0x..."` token without escapes."""
        token = self._current_token
        start, end = token.span.start, token.span.end
        text = self.lexer.input.content
        if (token.kind != MLIRTokenKind.STRING_LIT or not text.startswith('"0x', start)
                or text.find("\\", start, end) != -1):
            return None
        return Span(start + 3, end - 1, self.lexer.input)

    def _hex_data(self, digits: Span, type: RankedStructure[AnyDenseElement]) -> bytes:
        text = self.lexer.input.content
        if len(digits) % 2 or not _HEX_DIGITS.fullmatch(text, digits.start, digits.end):
            self.raise_error("Hex string in denseAttr is invalid", digits)
        count, size = prod(type.get_shape()), type.element_type.compile_time_size
        if len(digits) // 2 == size:  # a splat
            return bytes.fromhex(text[digits.start : digits.end]) * count
        if len(digits) // 2 != count * size:
            self.raise_error(
                f"Shape mismatch in dense literal. Expected {count} elements "
                f"({count * size} bytes) from the type, but got {len(digits) // 2} bytes.",
                digits)
        return b"".join(bytes.fromhex(text[at : min(at + _HEX_CHUNK, digits.end)])
                        for at in range(digits.start, digits.end, _HEX_CHUNK))


def check_function(parser: Parser, op: FuncOp, where: Span) -> None:
    """The interpreter and lowering run function bodies on f32 tensors only."""
    name = f"func.func @{op.sym_name.data}"
    if not op.body.blocks:
        parser.raise_error(f"{name} has no body; external functions are not supported",
                           where)
    kinds = (("argument", op.function_type.inputs), ("result", op.function_type.outputs))
    for kind, types in kinds:
        for i, ty in enumerate(types):
            if not isinstance(ty, TensorType) or ty.element_type != f32:
                parser.raise_error(
                    f"{name}: {kind} {i} has type {ty}; functions take and return f32 "
                    "tensors", where)
