"""Every operator relayout converts has, in each opset up to MAX_OPSET, the inputs,
outputs and attributes (with defaults) the converters were written for (those of opset
21): newer revisions only widened element types, so models of those opsets import."""

from __future__ import annotations

import onnx.defs
import pytest

from relayout.frontend.onnx_import import MAX_OPSET
from relayout.frontend.onnx_ops import converters

WRITTEN_FOR = 21

ADDED_BUT_MOOT = {"Cast": {"round_mode"}}
"""Attributes added since WRITTEN_FOR that cannot apply to what the converter accepts:
Cast's round_mode (opset 24) rounds only casts to float8e8m0, never one to float32."""


def interface(op_type: str, opset: int) -> tuple:
    schema = onnx.defs.get_schema(op_type, opset)
    formals = [
        (f.name, f.option) for f in (*schema.inputs, *schema.outputs)
    ]
    moot = ADDED_BUT_MOOT.get(op_type, set())
    attributes = sorted(
        (name, a.type, a.required, a.default_value.SerializeToString())
        for name, a in schema.attributes.items() if name not in moot
    )
    return formals, attributes


@pytest.mark.parametrize("op_type", sorted(converters()))
def test_newer_revisions_keep_the_interface(op_type):
    for opset in range(WRITTEN_FOR + 1, MAX_OPSET + 1):
        assert interface(op_type, opset) == interface(op_type, WRITTEN_FOR), opset


def test_max_opset_is_known_to_onnx():
    assert MAX_OPSET <= onnx.defs.onnx_opset_version()
