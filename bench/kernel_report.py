"""Static kernel report, no GPU needed: compile a generated translation unit with nvcc for
sm_90 and tabulate, per kernel, ptxas's registers, spills and shared memory, and the
theoretical occupancy on an H100 from the block size in the plan comment.

    relayout compile --example resnet50 --size 224 --layout NHWC --emit cuda -o r50.cu
    python -m relayout.bench.kernel_report r50.cu
"""

from __future__ import annotations

import argparse
import re
import subprocess
import tempfile
from dataclasses import dataclass
from math import prod
from pathlib import Path

# sm_90 limits per SM (CUDA occupancy calculator): registers are allocated per warp in
# units of 256, and each block reserves 1 KiB of shared memory for the system.
REGISTERS, REG_UNIT, WARPS, BLOCKS, SMEM, SMEM_RESERVED = 65536, 256, 64, 32, 233472, 1024

_ENTRY = re.compile(r"Compiling entry function '(\w+)'")
_SPILLS = re.compile(r"(\d+) bytes spill stores, (\d+) bytes spill loads")
_USED = re.compile(r"Used (\d+) registers(?:.*?(\d+) bytes smem)?")
_BLOCK = re.compile(r"^// launch (\w+) .*block=\((\d+), (\d+), (\d+)\)", re.MULTILINE)


@dataclass
class Stats:
    registers: int = 0
    spill_stores: int = 0
    spill_loads: int = 0
    smem: int = 0


def ptxas(source: Path, arch: str = "sm_90") -> dict[str, Stats]:
    """ptxas's resource use of each kernel of ``source``."""
    with tempfile.TemporaryDirectory() as tmp:
        out = subprocess.run(
            ["nvcc", "-cubin", f"-arch={arch}", "-Xptxas", "-v", "-o", f"{tmp}/k.cubin",
             str(source)], check=True, capture_output=True, text=True)
    stats: dict[str, Stats] = {}
    current = Stats()
    for line in out.stderr.splitlines():
        if m := _ENTRY.search(line):
            current = stats.setdefault(m[1], Stats())
        elif m := _SPILLS.search(line):
            current.spill_stores, current.spill_loads = int(m[1]), int(m[2])
        elif m := _USED.search(line):
            current.registers, current.smem = int(m[1]), int(m[2] or 0)
    return stats


def occupancy(s: Stats, threads: int) -> float:
    """Resident warps over the SM's 64, as the limits on registers, warps, blocks and
    shared memory allow."""
    warps = -(-threads // 32)
    per_warp = -(-s.registers * 32 // REG_UNIT) * REG_UNIT
    blocks = min(BLOCKS, WARPS // warps,
                 (REGISTERS // per_warp) // warps if per_warp else BLOCKS,
                 SMEM // (s.smem + SMEM_RESERVED))
    return blocks * warps / WARPS


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("source", type=Path, help="a .cu written by relayout compile --emit cuda")
    p.add_argument("--arch", default="sm_90")
    args = p.parse_args()
    threads = {m[1]: prod(int(d) for d in m.groups()[1:])
               for m in _BLOCK.finditer(args.source.read_text())}
    print(f"{'kernel':60} {'threads':>7} {'regs':>5} {'spill st':>8} {'spill ld':>8} "
          f"{'smem':>6} {'occupancy':>9}")
    for name, s in sorted(ptxas(args.source, args.arch).items()):
        t = threads.get(name, 0)
        occ = f"{occupancy(s, t):.0%}" if t else "-"
        print(f"{name:60} {t:>7} {s.registers:>5} {s.spill_stores:>8} {s.spill_loads:>8} "
              f"{s.smem:>6} {occ:>9}")


if __name__ == "__main__":
    main()
