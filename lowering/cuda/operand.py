"""Loading a GEMM operand's slice from global memory into registers, shared by the SIMT
and the TF32 kernels (which differ in how the registers then go to shared memory).

A block moves a ``rows`` x BK slice of A (rows along M) or of B (rows along N) per
step. Where an operand is contiguous in runs of four along a GEMM axis (see
`Problem.a_width`), a thread loads float4 runs along it; otherwise scalars, with
consecutive threads on consecutive rows (coalesced for NCHW data and HWIO weights).
Loads are predicated and zero-fill outside the image (padding) and past M, N and K, so
the multiply sees whole tiles.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol, TypeVar

if TYPE_CHECKING:
    from relayout.lowering.cuda.gemm import Problem


@dataclass(frozen=True)
class Operand:
    tile: str
    """The shared-memory tile the slice goes to."""
    reg: str
    """The registers holding a thread's part of the slice."""
    rows: int
    bk: int
    threads: int
    width: int
    along_k: bool
    """Whether a thread's runs go along k, else along rows."""

    @property
    def slots(self) -> int:
        return self.rows * self.bk // self.width // self.threads

    def coords(self) -> tuple[str, str]:
        """(row, k) within the slice of a thread's slot ``j``."""
        per_line = (self.bk if self.along_k else self.rows) // self.width
        assert self.threads % per_line == 0 and self.slots * self.width * self.threads == (
            self.rows * self.bk
        )
        inner = f"tid % {per_line} * {self.width}"
        outer = f"(tid / {per_line} + j * {self.threads // per_line})"
        return (outer, inner) if self.along_k else (inner, outer)

    @property
    def reg_type(self) -> str:
        return "float4" if self.width == 4 else "float"

    def read(self, pointer: str, offset: str) -> str:
        if self.width == 4:
            return f"*reinterpret_cast<const float4*>({pointer} + {offset})"
        return f"{pointer}[{offset}]"

    @property
    def zero(self) -> str:
        return "make_float4(0.0f, 0.0f, 0.0f, 0.0f)" if self.width == 4 else "0.0f"

    def declare(self) -> str:
        return f"{self.reg_type} {self.reg}[{self.slots}];"


class BlockShape(Protocol):
    @property
    def bm(self) -> int: ...
    @property
    def bn(self) -> int: ...
    @property
    def bk(self) -> int: ...

    @property
    def threads(self) -> int: ...


O = TypeVar("O", bound=Operand)


def operands(p: Problem, t: BlockShape, kind: type[O]) -> tuple[O, O]:
    """A (into ``As``) and B (into ``Bs``), each along its runs where it has them."""
    a = kind("As", "a", t.bm, t.bk, t.threads, p.a_width, p.a_width == 4)
    b_along_k = p.b_width == 4 and p.b_along_k
    b = kind("Bs", "b", t.bn, t.bk, t.threads, p.b_width, b_along_k)
    return a, b


def per_slot(s: Operand, body: list[str]) -> list[str]:
    return [
        "#pragma unroll",
        f"for (int j = 0; j < {s.slots}; ++j) {{",
        *("  " + line for line in body),
        "}",
    ]


def row_setup(p: Problem, a: Operand) -> tuple[list[str], str]:
    """Per-row ints of the A rows a thread loads, and how slot ``j`` indexes them: one
    row per slot when rows vary with the slot, else the thread's single row."""
    rows = a.slots if a.along_k else 1
    setup = p.row_setup("mm")
    row, _ = a.coords()
    return [
        f"bool valid[{rows}];",
        *(f"int {v}[{rows}];" for v, _ in setup),
        f"for (int j = 0; j < {rows}; ++j) {{",
        f"  const int m = m0 + {row};",
        f"  valid[j] = m < {p.m};",
        "  const int mm = valid[j] ? m : 0;",
        *(f"  {v}[j] = {e};" for v, e in setup),
        "}",
    ], ("j" if a.along_k else "0")


def load_a(p: Problem, a: Operand, index: str, k0: str) -> list[str]:
    cond, off = p.a_element({v: f"{v}[{index}]" for v, _ in p.row_setup("mm")})
    _, k = a.coords()
    return per_slot(a, [
        f"const int kk = {k0} + {k};",
        *p.k_split("kk"),
        f"{a.reg}[j] = (kk < {p.k} && valid[{index}] && {cond}) ? {a.read('in0', off)} : {a.zero};",
    ])


def load_b(p: Problem, b: Operand, k0: str) -> list[str]:
    row, k = b.coords()
    return per_slot(b, [
        f"const int kk = {k0} + {k}, o = n0 + {row};",
        *p.k_split("kk"),
        f"{b.reg}[j] = (kk < {p.k} && o < {p.n}) ? {b.read('in1', p.b_offset('o'))} : {b.zero};",
    ])
