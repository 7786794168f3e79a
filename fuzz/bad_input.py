"""The bad-input oracle: the `relayout` CLI, run in-process on a mutated file, must end
in a clean error (exit code 2, a one-paragraph message, no traceback) or, where the
input happens to be valid, succeed with generated C that compiles and holds no text
from the input. Every command runs under a wall-clock guard, so a hang is a failure.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import signal
import subprocess
import tempfile
import traceback
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import NoReturn

from hypothesis import HealthCheck, Phase, given, seed, settings

from relayout.cli import main
from relayout.fuzz.case import CACHE, Case, Extra
from relayout.fuzz.mutations import HOSTILE, cases

TIMEOUT_S = 30
ERROR = re.compile(r"relayout: error: \S.*")


class Hang(BaseException):
    """Raised by the alarm; a BaseException so no `except Exception` can swallow it."""


@dataclass(frozen=True)
class Outcome:
    argv: tuple[str, ...]
    code: int | None
    out: str
    err: str
    warnings: tuple[str, ...] = ()
    """Python warnings a user would see on stderr."""


def commands(case: Case, path: Path, cu: Path) -> list[list[str]]:
    """What the CLI does with a model: import an ONNX file, optimize and emit CUDA C,
    and run the reference interpreter."""
    emit = ["compile", str(path), "--layout", "NHWC", "--explain", "--quiet",
            "--emit", "cuda", "-o", str(cu)]
    run = ["run", str(path), *(str(path.parent / a[1:]) if a.startswith("@") else a
                               for a in case.run_args)]
    return [["import", str(path)], emit, run] if case.suffix == ".onnx" else [emit, run]


def lay_out(extras: tuple[Extra, ...], folder: Path) -> dict[Path, int]:
    """Creates the extras in ``folder``; returns the inode of each plain file."""
    inodes = {}
    for extra in extras:
        path = folder / extra.name
        path.parent.mkdir(parents=True, exist_ok=True)
        match extra.kind:
            case "file":
                path.write_bytes(extra.data)
                inodes[path] = path.stat().st_ino
            case "symlink":
                path.symlink_to(extra.data.decode())
            case "fifo":
                os.mkfifo(path)
            case "dir":
                path.mkdir()
            case "sparse":
                with path.open("wb") as f:
                    f.truncate(1 << 31)
        if extra.mode is not None:
            path.chmod(extra.mode)
        if extra.foreign and os.geteuid() == 0:
            os.chown(path, 65534, 65534, follow_symlinks=False)
    return inodes


def written_through(extras: tuple[Extra, ...], folder: Path, inodes: dict[Path, int]) -> list[str]:
    """Laid-out files changed in place (a rename over one is fine: that is how the
    compile cache replaces what it does not trust)."""
    return [f"{e.name} was written to" for e in extras
            if (path := folder / e.name) in inodes and path.exists()
            and os.lstat(path).st_ino == inodes[path] and path.read_bytes() != e.data]


@contextlib.contextmanager
def environment(name: str, value: str | None) -> Iterator[None]:
    old = os.environ.get(name)
    if value is not None:
        os.environ[name] = value
    try:
        yield
    finally:
        if old is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = old


@contextlib.contextmanager
def alarm(seconds: float) -> Iterator[None]:
    def hang(signum: int, frame: FrameType | None) -> NoReturn:
        raise Hang(f"no answer within {seconds} s")

    previous = signal.signal(signal.SIGALRM, hang)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def run_cli(argv: list[str], timeout: float = TIMEOUT_S) -> Outcome:
    """`relayout ARGV` in this process; an escaping exception is kept as its traceback."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err), \
            warnings.catch_warnings(record=True) as caught:
        # What Python shows a user by default; pytest would otherwise swallow it.
        warnings.simplefilter("always")
        warnings.simplefilter("ignore", DeprecationWarning)
        try:
            with alarm(timeout):
                code = main(argv)
        except (Exception, Hang):  # noqa: BLE001 -- the oracle keeps any escape
            traceback.print_exc()
            code = None
        except SystemExit as e:
            code = e.code if isinstance(e.code, int) else 1
    shown = tuple(str(warnings.formatwarning(w.message, w.category, w.filename, w.lineno))
                  for w in caught)
    return Outcome(tuple(argv), code, out.getvalue(), err.getvalue(), shown)


def problems(outcome: Outcome, valid: bool) -> list[str]:
    """What is wrong with one command's outcome; empty when it is clean."""
    found = []
    if "Traceback" in outcome.out + outcome.err:
        found.append(f"a traceback: {outcome.err[-3000:]}")
    if "internal error (" in outcome.err:
        found.append(f"an internal error: {outcome.err[:3000]}")
    if outcome.code not in ((0,) if valid else (0, 2)):
        found.append(f"exit code {outcome.code}")
    if outcome.code == 2 and not ERROR.fullmatch(outcome.err.strip()):
        found.append(f"not a one-paragraph error: {outcome.err[:2000]!r}")
    if outcome.warnings:
        found.append(f"a Python warning: {outcome.warnings[0]}")
    return found


def c_problems(source: str) -> list[str]:
    """Generated C must hold only ASCII, no text a user gave, and compile."""
    found = [f"input text {h!r} in the C" for h in HOSTILE if h in source]
    if not source.isascii():
        found.append("non-ASCII characters in the C")
    from relayout.runtime.emulate import compile_library

    try:
        compile_library(source)
    except subprocess.CalledProcessError as e:
        found.append(f"the C does not compile: {e.stderr[-2000:]}")
    return found


@dataclass(frozen=True)
class Verdict:
    problems: list[str]
    """Each naming the command; empty when the CLI handled the case cleanly."""
    accepted: bool
    """Every command succeeded: the mutant was still a valid model."""


def reparse_problems(text: str) -> list[str]:
    """What `relayout import` prints must read back: names from the model are escaped."""
    from relayout.dialects.context import parse_module

    try:
        parse_module(text)
    except Exception as e:  # noqa: BLE001 -- the oracle reports whatever breaks
        return [f"its output does not parse back: {type(e).__name__}: {str(e)[:2000]}"]
    return []


def check(case: Case) -> Verdict:
    found, codes = [], []
    with tempfile.TemporaryDirectory() as tmp:
        path, cu = Path(tmp) / f"model{case.suffix}", Path(tmp) / "model.cu"
        path.write_bytes(case.data)
        inodes = lay_out(case.extras, Path(tmp))
        cache = any(e.name.startswith(f"{CACHE}/") for e in case.extras)
        for argv in commands(case, path, cu):
            with environment("XDG_CACHE_HOME", str(Path(tmp) / CACHE) if cache else None):
                outcome = run_cli(argv)
            codes.append(outcome.code)
            found += [f"relayout {argv[0]}: {p}" for p in problems(outcome, case.valid)]
            if outcome.code == 0 and argv[0] == "compile":
                found += [f"relayout compile: {p}" for p in c_problems(cu.read_text())]
            if outcome.code == 0 and argv[0] == "import":
                found += [f"relayout import: {p}" for p in reparse_problems(outcome.out)]
        found += written_through(case.extras, Path(tmp), inodes)
    return Verdict(found, set(codes) == {0})


@dataclass
class Campaign:
    kind: str
    tried: int = 0
    accepted: int = 0
    failures: list[tuple[Case, list[str]]] = field(default_factory=list)


def campaign(kind: str, examples: int, seed_: int = 0) -> Campaign:
    """``examples`` cases of one mutation class, checked; failures are kept, not raised,
    so one bug does not hide the others."""
    result = Campaign(kind)

    @seed(seed_)
    @settings(max_examples=examples, deadline=None, database=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(cases(kind))
    def fuzz(case: Case) -> None:
        verdict = check(case)
        result.tried += 1
        result.accepted += verdict.accepted
        if verdict.problems:
            result.failures.append((case, verdict.problems))

    fuzz()
    return result
