"""Peak memory of reading back textual IR whose weights are one big hex constant.

Writes a module like `relayout import` prints for one N x N MatMul (an `nn.dense` with
a `dense<"0x...">` f32 weight: 8 N^2 hex characters, 128 MB for N = 4096), then parses
it with `relayout.dialects.context.parse_module` in a fresh process and reports how far the
peak resident set grew over the process before parsing, per hex character of the
weight. The text itself, read from the file, counts: 1 byte per character.

    python bench/parse_memory.py [N]      (default 4096)
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

# Run in the child: peak RSS before and after parsing. VmHWM (Linux), not ru_maxrss,
# which keeps the parent's high-water mark across exec.
CHILD = """
import re, sys
from pathlib import Path
from relayout.dialects.context import parse_module
import relayout.dialects.nn, relayout.dialects.ir_parser  # imported before the first reading
def peak():
    return re.search(r"VmHWM:\\s*(\\d+) kB", Path("/proc/self/status").read_text())[1]
before = peak()
parse_module(Path(sys.argv[1]))
print(before, peak())
"""


def module_text(n: int) -> str:
    weight = np.random.default_rng(0).standard_normal((n, n), np.float32)
    return (
        f"func.func @main(%x: tensor<1x{n}xf32>) -> tensor<1x{n}xf32> {{\n"
        f'  %w = nn.constant dense<"0x{weight.tobytes().hex().upper()}"> : '
        f"tensor<{n}x{n}xf32>\n"
        f"  %y = nn.dense %x, %w : (tensor<1x{n}xf32>, tensor<{n}x{n}xf32>) -> "
        f"tensor<1x{n}xf32>\n"
        f"  func.return %y : tensor<1x{n}xf32>\n}}\n"
    )


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 4096
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "matmul.mlir"
        path.write_text(module_text(n))
        size = path.stat().st_size
        done = subprocess.run([sys.executable, "-c", CHILD, str(path)],
                              check=False, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"parsing failed (exit {done.returncode}): {done.stderr[-2000:]}")
    before, after = (int(kib) * 1024 for kib in done.stdout.split())
    hex_chars = 8 * n * n
    print(f"{n}x{n} f32 weight: text {size / 1e6:.1f} MB ({hex_chars / 1e6:.1f} M hex chars)")
    print(f"peak RSS {after / 1e6:.0f} MB, {(after - before) / 1e6:.0f} MB over the "
          f"{before / 1e6:.0f} MB before parsing")
    print(f"{(after - before) / hex_chars:.2f} bytes per hex character")


if __name__ == "__main__":
    main()
