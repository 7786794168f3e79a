"""The meaning fuzzer's long run: random networks through every pipeline.

    python bench/fuzz_meaning.py [--examples 1000] [--seed 0] [--emulate-ops 3]

Draws ``--examples`` networks (hypothesis, so each failure is shrunk to a minimal
network), checks each with `relayout.fuzz.meaning.check_meaning`, and prints the count
tried, the failures found with the shrunk network of each, and the time taken. Networks
of at most ``--emulate-ops`` ops also run as emulated CUDA C (g++, 1-3 s each).
Exits 1 if anything failed.
"""

from __future__ import annotations

import argparse
import sys
import time

from hypothesis import HealthCheck, given, seed, settings

from relayout.dialects.nn import ConstantOp, NNOp
from relayout.fuzz.meaning import check_meaning
from relayout.fuzz.networks import networks


def op_count(module) -> int:
    return sum(isinstance(op, NNOp) and not isinstance(op, ConstantOp) for op in module.walk())


def run(examples: int, start: int, emulate_ops: int) -> tuple[int, int, list[BaseException]]:
    """Networks tried, how many of them emulated, and the failures."""
    tried = emulated = 0

    @seed(start)
    @settings(
        max_examples=examples, deadline=None, database=None, report_multiple_bugs=True,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(networks())
    def fuzz(module):
        nonlocal tried, emulated
        small = op_count(module) <= emulate_ops
        tried, emulated = tried + 1, emulated + small
        check_meaning(module, emulate=small)

    try:
        fuzz()
    except BaseExceptionGroup as group:
        return tried, emulated, list(group.exceptions)
    except Exception as e:  # noqa: BLE001 -- the long run reports whatever failed
        return tried, emulated, [e]
    return tried, emulated, []


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--examples", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--emulate-ops", type=int, default=3,
                    help="emulate networks of at most this many ops (0: none)")
    args = ap.parse_args()

    start = time.perf_counter()
    tried, emulated, failures = run(args.examples, args.seed, args.emulate_ops)
    elapsed = time.perf_counter() - start
    for i, failure in enumerate(failures, 1):
        print(f"--- failure {i}: {failure}")
        # hypothesis notes the failing case, the shrunk network as IR text, first
        print(getattr(failure, "__notes__", ["(no failing case noted)"])[0])
    print(f"seed {args.seed}: {tried} networks tried (shrinking included), {emulated} "
          f"of them emulated too, {len(failures)} failure(s), {elapsed:.1f} s")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
