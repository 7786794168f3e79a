"""Time printing and parsing a ResNet-50-sized module with its weights in the text.

Builds ResNet-50 (v1.5, batch norm folded into conv biases) with random f32 weights,
so the 108 constants hold 25.5M values in the real layer shapes, then times printing it
(hex constants), parsing it back (with verification) and checks the bytes survive.

    python bench/print_parse.py
"""

from __future__ import annotations

import io
import time

import numpy as np
from xdsl.dialects.builtin import ModuleOp, TensorType, f32
from xdsl.dialects.func import FuncOp, ReturnOp
from xdsl.ir import Block, Operation, Region, SSAValue
from xdsl.printer import Printer

from relayout.dialects.context import parse_module
from relayout.dialects.nn import (
    AddOp,
    BatchFlattenOp,
    BiasAddOp,
    ConstantOp,
    Conv2DOp,
    DenseOp,
    GlobalAvgPool2DOp,
    MaxPool2DOp,
    ReluOp,
)
from relayout.dialects.nn.base import shape_of

STAGES = ((64, 3, 1), (128, 4, 2), (256, 6, 2), (512, 3, 2))
"""(bottleneck width, blocks, stride of the first block) per stage."""
EXPANSION = 4


class Builder:
    def __init__(self, seed: int = 0):
        self.ops: list[Operation] = []
        self.rng = np.random.default_rng(seed)

    def add(self, op: Operation) -> SSAValue:
        self.ops.append(op)
        return op.results[0]

    def weight(self, *shape: int) -> SSAValue:
        return self.add(ConstantOp.of(self.rng.standard_normal(shape, np.float32)))

    def conv(self, x: SSAValue, out: int, k: int, stride: int = 1, relu: bool = True):
        cin = shape_of(x)[1]
        p = k // 2
        y = self.add(Conv2DOp.make(x, self.weight(out, cin, k, k), strides=(stride, stride),
                                   padding=(p, p, p, p)))
        y = self.add(BiasAddOp.make(y, self.weight(out), axis=1))
        return self.add(ReluOp.make(y)) if relu else y

    def bottleneck(self, x: SSAValue, width: int, stride: int) -> SSAValue:
        y = self.conv(x, width, 1)
        y = self.conv(y, width, 3, stride)
        y = self.conv(y, width * EXPANSION, 1, relu=False)
        if stride != 1 or shape_of(x)[1] != width * EXPANSION:
            x = self.conv(x, width * EXPANSION, 1, stride, relu=False)
        return self.add(ReluOp.make(self.add(AddOp.make(y, x))))


def resnet50() -> ModuleOp:
    block = Block(arg_types=[TensorType(f32, [1, 3, 224, 224])])
    b = Builder()
    x = b.conv(block.args[0], 64, 7, 2)
    x = b.add(MaxPool2DOp.make(x, pool_size=(3, 3), strides=(2, 2), padding=(1, 1, 1, 1)))
    for width, blocks, stride in STAGES:
        for i in range(blocks):
            x = b.bottleneck(x, width, stride if i == 0 else 1)
    x = b.add(BatchFlattenOp.make(b.add(GlobalAvgPool2DOp.make(x))))
    x = b.add(BiasAddOp.make(b.add(DenseOp.make(x, b.weight(1000, 2048))), b.weight(1000)))
    block.add_ops([*b.ops, ReturnOp(x)])
    func = FuncOp("main", ([block.args[0].type], [x.type]), Region(block))
    return ModuleOp([func])


def constants(module: ModuleOp) -> list[np.ndarray]:
    return [op.array() for op in module.walk() if isinstance(op, ConstantOp)]


def timed(fn):
    start = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - start


def print_module(module: ModuleOp) -> str:
    stream = io.StringIO()
    Printer(stream=stream).print_op(module)
    return stream.getvalue()


def main() -> None:
    module, t_build = timed(resnet50)
    weights = constants(module)
    text, t_print = timed(lambda: print_module(module))
    parsed, t_parse = timed(lambda: parse_module(text))
    same = all(np.array_equal(a.view(np.uint32), b.view(np.uint32))
               for a, b in zip(weights, constants(parsed), strict=True))
    ops = sum(1 for _ in module.walk())
    rows = [
        ("ops", f"{ops}"),
        ("constants", f"{len(weights)}"),
        ("f32 weights", f"{sum(w.size for w in weights) / 1e6:.2f} M"),
        ("text", f"{len(text) / 1e6:.0f} MB"),
        ("build (random weights)", f"{t_build:.2f} s"),
        ("print", f"{t_print:.2f} s"),
        ("parse + verify", f"{t_parse:.2f} s"),
        ("weights bit-exact", "yes" if same else "NO"),
    ]
    width = max(len(k) for k, _ in rows)
    for key, value in rows:
        print(f"{key:<{width}}  {value}")
    if not same:
        raise SystemExit("weights changed in the round trip")


if __name__ == "__main__":
    main()
