"""The long run of the bad-input fuzzer (issue 7); CI runs a bounded one in
`test/fuzz/test_bad_input.py`.

    python bench/fuzz_bad_input.py [--examples 2000] [--seed 0] [--kind ir/truncate ...]

Spreads the examples over the mutation classes and prints, per class, the cases tried,
how many were still valid models (every command succeeded), the failures found and the
time; then each failure with the input that caused it.
Exits 1 if anything failed.
"""

from __future__ import annotations

import argparse
import sys
import time

from relayout.fuzz.bad_input import campaign
from relayout.fuzz.mutations import KINDS


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--examples", type=int, default=2000, help="cases over all classes")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--kind", action="append", choices=KINDS, help="only these classes")
    args = ap.parse_args()
    kinds = args.kind or KINDS

    print(f"{'class':28s} {'tried':>6s} {'valid':>6s} {'failed':>6s} {'seconds':>8s}")
    results, start = [], time.perf_counter()
    for kind in kinds:
        begin = time.perf_counter()
        result = campaign(kind, max(1, args.examples // len(kinds)), args.seed)
        results.append(result)
        print(f"{kind:28s} {result.tried:6d} {result.accepted:6d} {len(result.failures):6d} "
              f"{time.perf_counter() - begin:8.1f}", flush=True)
    tried = sum(r.tried for r in results)
    failures = [f for r in results for f in r.failures]
    accepted = sum(r.accepted for r in results)
    print(f"{'total':28s} {tried:6d} {accepted:6d} {len(failures):6d} "
          f"{time.perf_counter() - start:8.1f}")
    for case, found in failures:
        print(f"\nFAILED {case}")
        for problem in found:
            print(f"  {problem}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
