"""Compile time of a long chain of ONNX Transposes (issue 11 found 20,000 took over two
minutes: plan building and buffer assignment were quadratic).

    python bench/long_chain.py [--length 2000 20000]

Prints, per chain length, the seconds of import, optimize-layout and CUDA lowering.
"""

from __future__ import annotations

import argparse
import time

from onnx import ModelProto, TensorProto, helper

from relayout import api
from relayout.frontend.onnx_import import from_onnx
from relayout.lowering.cuda.plan import build_plan


def chain(length: int) -> ModelProto:
    nodes = [helper.make_node("Transpose", [f"t{i}"], [f"t{i + 1}"],
                              perm=[0, 2, 3, 1] if i % 2 == 0 else [0, 3, 1, 2])
             for i in range(length)]
    shape = [1, 3, 4, 4] if length % 2 == 0 else [1, 4, 4, 3]
    graph = helper.make_graph(
        nodes, "chain", [helper.make_tensor_value_info("t0", TensorProto.FLOAT, [1, 3, 4, 4])],
        [helper.make_tensor_value_info(f"t{length}", TensorProto.FLOAT, shape)])
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], ir_version=8)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--length", type=int, nargs="+", default=[2000, 20000])
    args = ap.parse_args()
    print(f"{'length':>8s} {'import s':>9s} {'optimize s':>11s} {'lower s':>8s}")
    for length in args.length:
        times = []
        start = time.perf_counter()
        module = from_onnx(chain(length))
        times.append(time.perf_counter() - start)
        start = time.perf_counter()
        api.optimize(module, "NHWC")
        times.append(time.perf_counter() - start)
        start = time.perf_counter()
        build_plan(module)
        times.append(time.perf_counter() - start)
        print(f"{length:8d} " + " ".join(f"{t:{w}.2f}" for t, w in zip(times, (9, 11, 8))))


if __name__ == "__main__":
    main()
