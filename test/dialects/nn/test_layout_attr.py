"""`LayoutAttr`: layout properties are parsed once, checked where they are made and
printed as the plain string they were written as."""

import pytest
from xdsl.dialects.builtin import StringAttr, TensorType, f32
from xdsl.ir import Block
from xdsl.printer import Printer
from xdsl.utils.exceptions import VerifyException

from relayout import layout as L
from relayout.dialects import nn
from relayout.dialects.context import parse_module
from relayout.dialects.nn.base import ShapeError
from relayout.dialects.nn.layout_attr import LayoutAttr, layout_of

SOURCE = """
func.func @f(%x: tensor<1x3x4x4xf32>, %w: tensor<8x3x1x1xf32>) -> tensor<1x4x4x8xf32> {
  %a = nn.max_pool2d %x {layout = "NCHW", pool_size = array<i64: 1, 1>, tag = "keep"} : (tensor<1x3x4x4xf32>) -> tensor<1x3x4x4xf32>
  %b = nn.conv2d %a, %w {out_layout = "NHWC"} : (tensor<1x3x4x4xf32>, tensor<8x3x1x1xf32>) -> tensor<1x4x4x8xf32>
  %c = nn.resize2d %b {layout = "NHWC", size = array<i64: 4, 4>} : (tensor<1x4x4x8xf32>) -> tensor<1x4x4x8xf32>
  %d = nn.layout_transform %c "NHWC" to "NCHW4c" : tensor<1x4x4x8xf32> -> tensor<1x2x4x4x4xf32>
  %e = nn.layout_transform %d "NCHW4c" to "NHWC" : tensor<1x2x4x4x4xf32> -> tensor<1x4x4x8xf32>
  func.return %e : tensor<1x4x4x8xf32>
}
"""


def _generic(module) -> str:
    import io

    out = io.StringIO()
    Printer(stream=out, print_generic_format=True).print_op(module)
    return out.getvalue()


def _layout_props(module):
    return [(op.name, k, v) for op in module.walk() for k, v in op.properties.items()
            if "layout" in k]


def test_the_attribute():
    a = LayoutAttr("NCHW16c")
    assert a.data == "NCHW16c"
    assert a.layout == L.parse("NCHW16c") and a.layout is a.layout
    assert str(a) == '"NCHW16c"'
    assert a == LayoutAttr("NCHW16c") and hash(a) == hash(LayoutAttr("NCHW16c"))
    assert layout_of(StringAttr("NHWC")) == L.parse("NHWC")
    with pytest.raises(L.LayoutError, match="write '16c', not '16C'"):
        LayoutAttr("NCHW16C")


def test_parsed_properties_are_layout_attrs_and_print_as_written():
    module = parse_module(SOURCE)
    props = _layout_props(module)
    assert len(props) == 9  # defaults included
    assert all(isinstance(v, LayoutAttr) for _, _, v in props)
    text = str(module)
    assert '{tag = "keep", pool_size = array<i64: 1, 1>}' in text  # the default is not printed
    assert '{out_layout = "NHWC"}' in text
    assert 'nn.layout_transform %c "NHWC" to "NCHW4c"' in text
    assert str(parse_module(text)) == text
    generic = _generic(module)
    assert 'src_layout = "NHWC", dst_layout = "NCHW4c"' in generic
    assert str(parse_module(generic)) == text
    assert str(module.clone()) == text
    assert all(isinstance(v, LayoutAttr) for _, _, v in _layout_props(module.clone()))


@pytest.mark.parametrize(("op", "message"), [
    (('nn.max_pool2d %x {layout = "NCHW16C", pool_size = array<i64: 1, 1>} : '
     "(tensor<1x3x4x4xf32>) -> tensor<1x3x4x4xf32>"),
     "nn.max_pool2d: layout: layout 'NCHW16C': a block size"),
    (('"nn.global_avg_pool2d"(%x) <{layout = "NCHH"}> : (tensor<1x3x4x4xf32>) -> '
     "tensor<1x3x1x1xf32>"),
     "nn.global_avg_pool2d: layout: layout 'NCHH': axis 'H' appears more than once"),
    ('nn.layout_transform %x "NCHW" to "NHW4c" : tensor<1x3x4x4xf32> -> tensor<1x4x4x1x4xf32>',
     "nn.layout_transform: layout 'NHW4c': subordinate axis '4c' has no primal axis 'C'"),
])
def test_a_bad_layout_is_refused_where_it_is_parsed(op, message):
    source = f"func.func @f(%x: tensor<1x3x4x4xf32>) {{\n  %a = {op}\n  func.return\n}}"
    with pytest.raises(VerifyException, match=message):
        parse_module(source)


def test_make_turns_strings_and_layouts_into_layout_attrs():
    x = Block(arg_types=[TensorType(f32, [1, 3, 4, 4])]).args[0]
    pool = nn.GlobalMaxPool2DOp.make(x, layout="NCHW")
    lt = nn.LayoutTransformOp.make(x, src_layout=L.parse("NCHW"), dst_layout="NHWC")
    assert isinstance(pool.layout, LayoutAttr) and pool.layout.layout == L.parse("NCHW")
    assert isinstance(lt.dst_layout, LayoutAttr) and lt.dst_layout.data == "NHWC"
    assert lt.src == L.parse("NCHW") and lt.dst == L.parse("NHWC")


def test_make_with_a_bad_layout_is_a_shape_error_and_leaves_no_user():
    x = Block(arg_types=[TensorType(f32, [1, 3, 4, 4])]).args[0]
    with pytest.raises(ShapeError, match="layout: layout 'NCHW16C'"):
        nn.GlobalAvgPool2DOp.make(x, layout="NCHW16C")
    with pytest.raises(L.LayoutError, match="'NHW4c'"):
        nn.LayoutTransformOp.make(x, src_layout="NCHW", dst_layout="NHW4c")
    with pytest.raises(VerifyException, match="nn.resize2d: layout: layout 'NCHH'"):
        nn.Resize2DOp.build(operands=[x], result_types=[x.type],
                            properties={"layout": StringAttr("NCHH")})
    assert not list(x.uses)
