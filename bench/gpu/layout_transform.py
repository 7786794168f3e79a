"""relayout's layout_transform kernels against a device-to-device copy of the same bytes,
measured in the same run: effective bandwidth (bytes read + written per second) and its
fraction of the copy's.

    python bench/gpu/layout_transform.py [--out DIR]
"""

from __future__ import annotations

import argparse

from common import cuda_time_ms, report  # type: ignore[import-not-found]  # sibling script module

from relayout import layout as L
from relayout.dialects.context import parse_module
from relayout.lowering.cuda.plan import build_plan

CASES = [
    ((1, 3, 224, 224), "NCHW", "NHWC"),
    ((32, 3, 224, 224), "NCHW", "NHWC"),
    ((32, 64, 112, 112), "NCHW", "NHWC"),
    ((32, 64, 112, 112), "NHWC", "NCHW"),
    ((32, 256, 56, 56), "NCHW", "NHWC"),
    ((32, 256, 56, 56), "NHWC", "NCHW"),
    ((32, 2048, 7, 7), "NHWC", "NCHW"),
    ((32, 64, 112, 112), "NCHW", "NCHW16c"),
    ((32, 64, 112, 112), "NCHW16c", "NCHW"),
    ((32, 64, 112, 112), "NHWC", "NCHW16c"),
]


def transform_module(shape: tuple[int, ...], src: str, dst: str):
    physical = L.transform_shape(shape, "NCHW", src)
    result = L.transform_shape(shape, "NCHW", dst)

    def ty(s):
        return "tensor<" + "x".join(map(str, s)) + "xf32>"

    return parse_module(f"""
func.func @main(%x: {ty(physical)}) -> {ty(result)} {{
  %y = nn.layout_transform %x "{src}" to "{dst}" : {ty(physical)} -> {ty(result)}
  func.return %y : {ty(result)}
}}""")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--iters", type=int, default=200)
    parser.add_argument("--out")
    args = parser.parse_args()
    import pycuda.driver as cuda

    from relayout.runtime.cuda import CudaDriver

    rows = []
    for shape, src, dst in CASES:
        plan = build_plan(transform_module(shape, src, dst))
        driver = CudaDriver(plan)
        nbytes = plan.buffers[plan.inputs[0]].nbytes
        src_buf, dst_buf = cuda.mem_alloc(nbytes), cuda.mem_alloc(nbytes)
        ours = cuda_time_ms(driver.enqueue, iters=args.iters)
        copy = cuda_time_ms(lambda: cuda.memcpy_dtod(dst_buf, src_buf, nbytes),  # noqa: B023
                            iters=args.iters)
        gbs = 2 * nbytes / ours / 1e6
        copy_gbs = 2 * nbytes / copy / 1e6
        rows.append(["x".join(map(str, shape)), f"{src}→{dst}", nbytes / 2**20,
                     plan.launches[0].kernel, ours * 1e3, gbs, copy_gbs, gbs / copy_gbs])
    report("layout_transform", "layout_transform kernels vs device-to-device copy",
           ["NCHW extents", "transform", "MiB", "kernel", "µs", "GB/s", "copy GB/s",
            "of copy"], rows,
           [("GB/s counts bytes read and written; copy: cuMemcpyDtoD of the same bytes, "
            "timed in the same run"), "target: ≥ 0.9 of copy"], args.out)


if __name__ == "__main__":
    main()
