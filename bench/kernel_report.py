"""Static kernel report, no GPU needed: compile a generated translation unit with nvcc for
sm_90 and tabulate, per kernel, ptxas's registers, spills and shared memory, the
theoretical occupancy on an H100 from the block size in the plan comment, and for kernels
with a loop that reads shared memory (the GEMMs) the FFMA : LDS ratio of the main loop in
the SASS: FFMAs per shared-load instruction and per float loaded. A register-tiled GEMM
reuses each loaded float in several FFMAs; near 1 per float, shared memory bandwidth
bounds it.

    relayout compile --example resnet50 --size 224 --layout NHWC --emit cuda -o r50.cu
    python -m relayout.bench.kernel_report r50.cu

The SASS comes from cuobjdump (on PATH, or named by $CUOBJDUMP; the CUDA toolkit and
triton's wheel ship it); without it that column shows "-".
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
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
_FUNCTION = re.compile(r"Function : (\w+)")
_INSTRUCTION = re.compile(r"/\*([0-9a-f]{4,})\*/\s+(@!?U?P\w+\s+)?([A-Z][A-Z0-9.]*)\s*([^;]*);")
_LDS_FLOATS = {"LDS": 1, "LDS.64": 2, "LDS.128": 4}


@dataclass
class Stats:
    registers: int = 0
    spill_stores: int = 0
    spill_loads: int = 0
    smem: int = 0


@dataclass(frozen=True)
class Loop:
    """A main loop's FFMAs and shared-memory loads."""

    ffma: int
    lds: int
    floats: int

    def __str__(self) -> str:
        if not self.lds:
            return f"{self.ffma}:0"
        return f"{self.ffma / self.lds:.1f} ({self.ffma / self.floats:.1f}/f)"


def compile_cubin(source: Path, cubin: Path, arch: str) -> str:
    """Compile ``source`` to ``cubin``; ptxas's verbose report."""
    out = subprocess.run(
        ["nvcc", "-cubin", f"-arch={arch}", "-Xptxas", "-v", "-o", str(cubin), str(source)],
        check=True, capture_output=True, text=True)
    return out.stderr


def main_loops(cubin: Path, cuobjdump: str) -> dict[str, Loop]:
    """Per kernel, the loop (a backward branch's range) with the most FFMAs, if it loads
    from shared memory."""
    sass = subprocess.run([cuobjdump, "-sass", str(cubin)], check=True, capture_output=True,
                          text=True).stdout
    loops: dict[str, Loop] = {}
    for name, body in zip(_FUNCTION.findall(sass), _FUNCTION.split(sass)[2::2], strict=True):
        code = [(int(m[1], 16), m[3], m[4]) for m in _INSTRUCTION.finditer(body)]
        best = None
        for at, op, operand in code:
            target = int(operand.split()[0], 16) if op == "BRA" and operand else at
            if target >= at:
                continue
            ops = [o for a, o, _ in code if target <= a <= at]
            loop = Loop(ops.count("FFMA"), sum(o in _LDS_FLOATS for o in ops),
                        sum(_LDS_FLOATS.get(o, 0) for o in ops))
            if loop.lds and (best is None or loop.ffma > best.ffma):
                best = loop
        if best is not None:
            loops[name] = best
    return loops


def ptxas(report: str) -> dict[str, Stats]:
    """ptxas's resource use of each kernel, from its verbose ``report``."""
    stats: dict[str, Stats] = {}
    current = Stats()
    for line in report.splitlines():
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
    cuobjdump = os.environ.get("CUOBJDUMP") or shutil.which("cuobjdump")
    with tempfile.TemporaryDirectory() as tmp:
        cubin = Path(tmp) / "k.cubin"
        stats = ptxas(compile_cubin(args.source, cubin, args.arch))
        loops = main_loops(cubin, cuobjdump) if cuobjdump else {}
    print(f"{'kernel':60} {'threads':>7} {'regs':>5} {'spill st':>8} {'spill ld':>8} "
          f"{'smem':>6} {'occupancy':>9} {'FFMA:LDS':>14}")
    for name, s in sorted(stats.items()):
        t = threads.get(name, 0)
        occ = f"{occupancy(s, t):.0%}" if t else "-"
        loop = str(loops[name]) if name in loops else "-"
        print(f"{name:60} {t:>7} {s.registers:>5} {s.spill_stores:>8} {s.spill_loads:>8} "
              f"{s.smem:>6} {occ:>9} {loop:>14}")
    if not cuobjdump:
        print("(no cuobjdump on PATH or in $CUOBJDUMP: FFMA:LDS not shown)")


if __name__ == "__main__":
    main()
