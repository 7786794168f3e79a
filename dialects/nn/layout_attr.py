"""A typed layout property: a layout string, parsed once and checked where it is made.

``LayoutAttr`` holds the text (``.data``, a ``str``) and gives the parsed
`relayout.layout.Layout` as ``.layout``; an invalid one cannot exist. It prints as the
plain string (``"NHWC"``) in attr-dicts, generic properties and declarative ``$prop``
directives, so the textual IR is the same as with a ``StringAttr``.

The parsers produce a ``StringAttr`` for ``"NHWC"``, so properties are declared with
``LayoutConstraint``, which accepts either; `NNOp.__post_init__` (every construction
path: generic parse, declarative parse, ``build``, ``make``, ``clone``) then turns a
``StringAttr`` into a ``LayoutAttr``, or raises a VerifyException naming the op.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property

from typing_extensions import TypeVar
from xdsl.dialects.builtin import StringAttr
from xdsl.ir import Attribute, BuiltinAttribute, Data
from xdsl.irdl import AttrConstraint, IntConstraint, VerificationContext, irdl_attr_definition
from xdsl.parser import AttrParser
from xdsl.printer import Printer
from xdsl.utils.exceptions import VerifyException

from relayout.layout import Layout, parse


@irdl_attr_definition
class LayoutAttr(Data[str], BuiltinAttribute):
    """A layout such as ``"NCHW16c"``; ``.layout`` is its parsed form."""

    name = "nn.layout"

    def __post_init__(self) -> None:
        super().__post_init__()
        parse(self.data)  # an invalid LayoutAttr cannot exist (LayoutError)

    @cached_property
    def layout(self) -> Layout:
        return parse(self.data)  # parsed once per attribute (and L.parse is cached)

    @classmethod
    def parse_parameter(cls, parser: AttrParser) -> str:
        # `#nn.layout<"NHWC">`; the dialect never prints this form.
        return parser.parse_str_literal()

    def print_parameter(self, printer: Printer) -> None:
        printer.print_string_literal(self.data)

    def print_builtin(self, printer: Printer) -> None:
        printer.print_string_literal(self.data)


@dataclass(frozen=True)
class LayoutConstraint(AttrConstraint[LayoutAttr]):
    """A layout property: a LayoutAttr, or a StringAttr that the op's ``__post_init__``
    turns into one (the parsers check constraints before they build the op)."""

    label: bool = True
    """Whether an invalid layout's message names the property (``nn.conv2d:
    data_layout: layout 'X': ...``) or not (``nn.layout_transform: layout 'X': ...``)."""

    def verify(self, attr: Attribute, constraint_context: VerificationContext) -> None:
        if not isinstance(attr, LayoutAttr | StringAttr):
            raise VerifyException(f"{attr} should be a layout string")

    def get_bases(self) -> set[type[Attribute]] | None:
        # None, not {LayoutAttr}: a unique base makes `$src_layout` in a declarative
        # format call LayoutAttr.parse_parameter, whose ParseError escapes
        # `xdsl-opt --verify-diagnostics`; the generic attribute parser reads "NCHW".
        return None

    def mapping_type_vars(
        self, type_var_mapping: Mapping[TypeVar, AttrConstraint | IntConstraint]
    ) -> LayoutConstraint:
        return self


def layout_of(attr: LayoutAttr | StringAttr) -> Layout:
    """The parsed layout of a layout property (a StringAttr set by hand included)."""
    return attr.layout if isinstance(attr, LayoutAttr) else parse(attr.data)
