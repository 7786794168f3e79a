"""The parser for textual IR from users: xDSL's, hardened against hostile text.

Two things in xDSL 0.74 let a small file take the process down: its string-literal
pattern backtracks exponentially on an unterminated string (a truncated file with a hex
constant never finishes lexing), and a splat `dense<1.0> : tensor<100000x100000xf32>` is
expanded to a Python list before anything checks its size.
"""

from __future__ import annotations

import re

from xdsl.context import Context
from xdsl.ir import Attribute
from xdsl.parser import Parser
from xdsl.parser.generic_parser import ParserState
from xdsl.utils.lexer import Input
from xdsl.utils.mlir_lexer import MLIRLexer

from relayout.dialects.nn.base import ShapeError, check_size


class Lexer(MLIRLexer):
    # xDSL's pattern nests `[...]+` in `(...)*`; one character per step matches the same
    # strings and fails in linear time.
    _unescaped_characters_regex = re.compile(
        r'"(?:[^"\\\n\v\f]|\\(?:["nt\\]|[0-9A-Fa-f]{2}))*"'
    )


class IRParser(Parser):
    def __init__(self, ctx: Context, text: str, name: str = "<unknown>") -> None:
        super().__init__(ctx, "", name)
        self._parser_state = ParserState(Lexer(Input(text, name)))

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
