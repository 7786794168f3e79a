"""The `relayout` command line: import, compile, explain and run models.

Exit codes: 0 ok; 1 a --check failed; 2 anything else, always with one short
paragraph on stderr (`relayout: error: ...`) and never a traceback: bad arguments
(argparse), bad input files or options, input too large or too deeply nested, and
internal errors, which say so and ask for a report. Set RELAYOUT_TRACEBACK=1 to see
the traceback of any error that is not a plain message about the arguments.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import numpy as np
from onnx import ModelProto
from xdsl.dialects import func
from xdsl.dialects.builtin import ModuleOp
from xdsl.utils.exceptions import DiagnosticException, ParseError

from relayout import api
from relayout.dialects.context import make_context
from relayout.dialects.nn import ConstantOp, LayoutTransformOp
from relayout.dialects.nn.base import shape_of
from relayout.frontend.errors import OnnxImportError
from relayout.frontend.models import EXAMPLES
from relayout.frontend.onnx_import import import_onnx
from relayout.frontend.onnx_ops import operator_table
from relayout.interpreters import check as check_rule
from relayout.layout import LayoutError
from relayout.lowering.cuda.precision import PRECISIONS
from relayout.runtime.input_files import InputFileError, read_input

if TYPE_CHECKING:
    from relayout.lowering.cuda.report import Report

# --check: max abs error <= TOLERANCES[precision] * max |reference| (interpreters/check.py).
TOLERANCES = check_rule.TOLERANCES

# DiagnosticException covers VerifyException and PassFailedException (bad options);
# LayoutError and OnnxImportError are ValueErrors but are named for the reader. Any
# other exception is reported as an internal error: a bug, not the user's mistake.
BAD_INPUT = (ParseError, DiagnosticException, OnnxImportError, LayoutError, OSError,
             ValueError)
# Inputs may exhaust memory or the stack before any check names them.
TOO_BIG = (MemoryError, RecursionError)

# Error messages echo names, constants and source lines from the input, which may be
# megabytes long: no token and no message gets longer than these.
MAX_TOKEN, MAX_MESSAGE = 100, 2000


class BadInput(Exception):
    """A problem with what the user gave us, already phrased for them."""


# Messages that need no type name or model prefix.
PHRASED = (BadInput, InputFileError)


@dataclass
class Model:
    module: ModuleOp
    label: str
    onnx: ModelProto | str | None = None
    """The ModelProto or path, so --check can ask onnxruntime."""


# --- loading -------------------------------------------------------------------------
def load_model(args: argparse.Namespace) -> Model:
    if args.example and args.model:
        raise BadInput(f"give either {args.model} or --example {args.example}, not both")
    if args.example:
        proto = EXAMPLES[args.example](size=args.size, batch=1)
        return Model(import_onnx(proto)[0], f"example {args.example}", proto)
    if not args.model:
        raise BadInput("give a MODEL file (.onnx or .mlir) or --example NAME")
    path = Path(args.model)
    if not path.is_file():
        raise BadInput(f"{path}: no such file")
    if path.suffix == ".onnx":
        module, notes = import_onnx(path, args.batch)
        for line in notes:
            note(f"{path}: {line}")
        return Model(module, str(path), str(path))
    if path.suffix == ".mlir":
        return Model(api.parse_module(path), str(path))
    raise BadInput(f"{path}: expected a .onnx or .mlir file")


def add_model_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("model", nargs="?", help="a .onnx or .mlir file")
    p.add_argument("--example", choices=sorted(EXAMPLES), help="a built-in example net")
    p.add_argument("--size", type=positive_int, default=32, help="image size of --example")
    p.add_argument("--batch", type=positive_int, help="extent of a symbolic ONNX batch axis")


def positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value <= 0:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}")
    return value


def add_layout_args(p: argparse.ArgumentParser, required: bool) -> None:
    p.add_argument("--layout", required=required, help="conv2d data layout, e.g. NHWC")
    p.add_argument("--kernel-layout", default="default", help="conv2d kernel layout")
    p.add_argument("--io-layout", help="layout of the function's inputs and outputs")


def add_precision_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("--precision", choices=PRECISIONS, default="fp32",
                   help="tf32: convs and dense layers that fit run on TF32 tensor cores")


# --- optimizing with per-stage statistics --------------------------------------------
def transforms(module: ModuleOp) -> list[LayoutTransformOp]:
    return [op for op in module.walk() if isinstance(op, LayoutTransformOp)]


def optimize(module: ModuleOp, args: argparse.Namespace) -> dict[str, Any]:
    """Run optimize-layout stage by stage in place, timing each and counting the
    transforms convert-layout inserts and the weight transforms folded away."""
    # A list, not a dict by name: fold-constants runs twice, and the first run (the
    # weight transforms) is the one that costs.
    ctx, stages_ms = make_context(), list[tuple[str, float]]()
    stats: dict[str, Any] = {"stages_ms": stages_ms}
    p = api.optimize_pass((args.layout, args.kernel_layout), args.io_layout)
    for stage in p.stages():
        start = time.perf_counter()
        stage.apply(ctx, module)
        stages_ms.append((stage.name, round(1e3 * (time.perf_counter() - start), 2)))
        if stage.name == "convert-layout":
            inserted = transforms(module)
            on_weights = [t for t in inserted if isinstance(t.x.owner, ConstantOp)]
            stats["transforms_before"] = len(inserted)
            stats["weights_folded"] = len(on_weights)
            stats["weight_bytes_folded"] = sum(4 * math.prod(shape_of(t.x)) for t in on_weights)
    module.verify()
    stats["transforms_after"] = len(transforms(module))
    stats["ops"] = dict(Counter(op.name for op in module.walk()
                                if not isinstance(op, ModuleOp | func.FuncOp)))
    return stats


def print_summary(label: str, stats: dict) -> None:
    print(f"{label}: optimized")
    print("  ops: " + ", ".join(f"{k} {v}" for k, v in sorted(stats["ops"].items())))
    print(f"  layout_transforms: {stats['transforms_before']} → {stats['transforms_after']} "
          "(inserted by convert-layout → left after folding and simplifying)")
    print(f"  weights folded: {stats['weights_folded']} "
          f"({stats['weight_bytes_folded']} bytes)")
    print("  time: " + ", ".join(f"{k} {v} ms" for k, v in stats["stages_ms"]))


# --- subcommands ---------------------------------------------------------------------
def cmd_import(args: argparse.Namespace) -> int:
    check_output(args, args.output, "-o")
    model = load_model(args)
    write(args.output, str(model.module))
    return 0


def check_output(args: argparse.Namespace, path: str | None, flag: str) -> None:
    """Refuse, before any work, an output that would overwrite the model (also through
    a symlink or another spelling of its path) or that is a directory."""
    if path in (None, "-") or not os.path.exists(path):
        return
    if os.path.isdir(path):
        raise BadInput(f"{flag} {path}: is a directory; give a file name")
    if args.model and os.path.exists(args.model) and os.path.samefile(path, args.model):
        raise BadInput(f"{flag} {path}: is the input model {args.model}; refusing to "
                       "overwrite it")


def write(path: str | None, text: str) -> None:
    if path in (None, "-"):
        print(text)
        return
    try:
        Path(path).write_text(text + "\n")
    except OSError as e:
        raise BadInput(f"{path}: cannot write it ({e.strerror or e})") from None


def cmd_compile(args: argparse.Namespace) -> int:
    check_output(args, args.output, "-o")
    model = load_model(args)
    stats = optimize(model.module, args)
    if args.precision != "fp32" and args.emit != "cuda":
        raise BadInput(f"--precision {args.precision} applies to --emit cuda only")
    if args.report and args.emit != "cuda":
        raise BadInput("--report applies to --emit cuda only")
    report = None
    if args.emit == "cuda":
        if not args.output:
            raise BadInput("--emit cuda needs -o FILE.cu")
        source, report = cuda_source(model.module, args.precision)
        write(args.output, source)
    elif args.output:
        write(args.output, str(model.module))
    lines = [str(e) for e in api.explain(model.module)] if args.explain else None
    if args.json:
        print(json.dumps({"model": model.label, **stats,
                          **({"explain": lines} if lines is not None else {}),
                          **({"report": report.as_json()} if args.report and report else {})},
                         indent=2))
        return 0
    if not args.quiet:
        print_summary(model.label, stats)
    if args.report and report:
        print(report.table())
    for line in lines or ():
        print(line)
    return 0


def cuda_source(module: ModuleOp, precision: str) -> tuple[str, Report]:
    """The translation unit `-t cuda` prints, and its data-movement report."""
    try:
        from relayout.lowering.cuda.target import translation_unit
    except ImportError as e:
        raise BadInput(f"--emit cuda: the CUDA lowering is not available ({e})") from None
    return translation_unit(module, precision)


def cmd_explain(args: argparse.Namespace) -> int:
    check_output(args, args.dot, "--dot")
    model = load_model(args)
    optimize(model.module, args)
    lines = api.explain(model.module)
    print(f"{model.label}: {len(lines)} layout transform(s) move data")
    for line in lines:
        print(f"  {line}")
    if args.dot:
        write(args.dot, to_dot(model.module))
    return 0


def to_dot(module: ModuleOp) -> str:
    """Graphviz text of each function's dataflow (constants left out), with the
    layout transforms filled red and labelled with their layouts."""
    ids: dict[object, str] = {}
    lines = ["digraph relayout {", "  node [shape=box, fontsize=10];"]
    for fn in (op for op in module.walk() if isinstance(op, func.FuncOp)):
        for arg in fn.body.block.args:
            ids[arg] = f"{fn.sym_name.data}_arg{arg.index}"
            lines.append(f'  {ids[arg]} [label="@{fn.sym_name.data} arg {arg.index}", '
                         "shape=ellipse];")
        for op in fn.body.block.ops:
            if isinstance(op, ConstantOp):
                continue
            node = f"n{len(ids)}"
            ids.update({r: node for r in op.results} or {op: node})
            lines.append(f"  {node} {node_style(op)};")
            lines += [f"  {ids[v]} -> {node};" for v in op.operands if v in ids]
    return "\n".join(lines + ["}"])


def node_style(op) -> str:
    if isinstance(op, LayoutTransformOp):
        return (f'[label="{op.name}\\n{op.src_layout.data} → {op.dst_layout.data}", '
                "style=filled, fillcolor=red, fontcolor=white]")
    return f'[label="{op.name}"]'


def cmd_operators(args: argparse.Namespace) -> int:
    print(operators_markdown())
    return 0


def operators_markdown() -> str:
    """The supported-operator table of the README, from the live converter table."""
    lines = ["| ONNX operator | imported as |", "|---|---|"]
    lines += [f"| {op_type} | {text} |" for op_type, text in operator_table()]
    lines.append(
        "\nAny other operator whose inputs are all constant at import (shape arithmetic: "
        "`Shape`, `Unsqueeze`, `Cast`, `Range`, `ConstantOfShape`, ...) is evaluated by "
        "onnx.reference before the `nn` module exists. Any other operator that ONNX "
        "defines as a function of other operators (`Celu`, `MeanVarianceNormalization`, "
        "`GroupNormalization`, `RMSNormalization`, ...) imports as its function body at "
        "the model's opset, when the operators of that body import."
    )
    return "\n".join(lines)


def cmd_run(args: argparse.Namespace) -> int:
    model = load_model(args)
    reference = model.module.clone() if args.check else None
    if args.layout:
        optimize(model.module, args)
    inputs = read_inputs(args, model.module)
    outputs = run_on(model.module, inputs, args.device, args.precision)
    for i, out in enumerate(outputs):
        print(f"output #{i}: shape {list(out.shape)}, mean {out.mean():.6g}, "
              f"std {out.std():.6g}")
    if reference is None:
        return 0
    references = expected(model, reference, inputs)
    code = check(outputs, references, args.precision)
    shapes = [tuple(np.shape(x)) for x in inputs]
    warn_if_insensitive(references, expected(model, reference, random_inputs(shapes, seed=1)))
    return code


def run_on(module: ModuleOp, inputs: list[np.ndarray], device: str, precision: str) -> tuple:
    try:
        return api.run(module, inputs, device, precision)
    except ImportError as e:
        raise BadInput(f"--device {device}: not available here ({e})") from None


def read_inputs(args: argparse.Namespace, module: ModuleOp) -> list[np.ndarray]:
    shapes = api.input_shapes(module)
    if not args.input:
        return random_inputs(shapes, seed=0)
    if len(args.input) != len(shapes):
        raise BadInput(f"@main takes {len(shapes)} input(s), got {len(args.input)} --input")
    return [read_input(path, shape) for path, shape in zip(args.input, shapes)]


def random_inputs(shapes: list[tuple[int, ...]], seed: int) -> list[np.ndarray]:
    rng = np.random.default_rng(seed)
    return [rng.standard_normal(s).astype(np.float32) for s in shapes]


def expected(model: Model, reference: ModuleOp, inputs: list[np.ndarray]) -> tuple:
    """onnxruntime's outputs for ONNX models when it is installed, else the
    interpreter's on the unconverted module."""
    if model.onnx is not None:
        try:
            import onnxruntime as ort
        except ImportError:
            return api.run(reference, inputs)
        source = model.onnx if isinstance(model.onnx, str) else model.onnx.SerializeToString()
        session = ort.InferenceSession(source, providers=["CPUExecutionProvider"])
        names = [i.name for i in session.get_inputs()]
        return tuple(session.run(None, dict(zip(names, inputs))))
    return api.run(reference, inputs)


def check(outputs: tuple, references: tuple, precision: str = "fp32") -> int:
    """Print each output's error against its reference relative to the output's
    magnitude (interpreters/check.py); 1 when any is out of tolerance."""
    if len(outputs) != len(references):
        print(f"check: {len(outputs)} output(s) against the reference's {len(references)}: "
              "FAILED")
        return 1
    ok = True
    for i, (got, want) in enumerate(zip(outputs, references)):
        result = api.check(got, want, precision)
        ok &= result.ok
        print(f"check output #{i}: {result}")
    return 0 if ok else 1


def warn_if_insensitive(first: tuple, second: tuple) -> None:
    """Warn about reference outputs that a second, different random input barely
    changes: matching such an output says little about how the input was processed."""
    for i, (a, b) in enumerate(zip(first, second, strict=True)):
        change = check_rule.dependence(a, b)
        if change < check_rule.INSENSITIVE:
            how = ("is identical" if change == 0 else
                   f"changes by {change:.2g} of its magnitude")
            warn(f"output #{i} barely depends on the input (on a second random input it "
                 f"{how}): --check proves little for it")


# --- argument parsing and the error boundary -----------------------------------------
class Parser(argparse.ArgumentParser):
    """argparse, with its messages capped too: they quote the user's arguments."""

    def error(self, message: str) -> NoReturn:
        super().error(capped(message))


def parser() -> argparse.ArgumentParser:
    top = Parser(prog="relayout", description=__doc__.splitlines()[0])
    sub = top.add_subparsers(dest="command", required=True)

    p = sub.add_parser("import", help="ONNX to nn-dialect MLIR")
    add_model_args(p)
    p.add_argument("-o", "--output", help="output .mlir (default: stdout)")
    p.set_defaults(run=cmd_import)

    p = sub.add_parser("compile", help="optimize layouts and print a summary")
    add_model_args(p)
    add_layout_args(p, required=True)
    p.add_argument("-o", "--output", help="output file (.mlir, or .cu with --emit cuda)")
    p.add_argument("--emit", choices=("mlir", "cuda"), default="mlir")
    add_precision_arg(p)
    p.add_argument("--explain", action="store_true", help="list the remaining transforms")
    p.add_argument("--json", action="store_true", help="print the summary as JSON")
    p.add_argument("--quiet", action="store_true", help="print no summary")
    p.add_argument("--report", action="store_true",
                   help="with --emit cuda: bytes moved and FLOPs per launch, against the floor")
    p.set_defaults(run=cmd_compile)

    p = sub.add_parser("explain", help="why each remaining layout transform is there")
    add_model_args(p)
    add_layout_args(p, required=True)
    p.add_argument("--dot", help="write a Graphviz graph with transforms highlighted")
    p.set_defaults(run=cmd_explain)

    p = sub.add_parser("run", help="run a model on random or given inputs")
    add_model_args(p)
    add_layout_args(p, required=False)
    p.add_argument("--input", action="append", help=".npy file, once per input")
    p.add_argument("--device", choices=api.DEVICES, default="cpu")
    add_precision_arg(p)
    p.add_argument("--check", action="store_true",
                   help="compare with onnxruntime (ONNX) or the unconverted module: max abs "
                   "error within 1e-4 (tf32: 1e-2) of max |output|")
    p.set_defaults(run=cmd_run)

    p = sub.add_parser("operators", help="the ONNX operators relayout imports, as a table")
    p.set_defaults(run=cmd_operators)
    return top


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        # Weights may be infinite or NaN and inputs may divide by zero: IEEE results
        # are the model's meaning, and numpy's warnings would show our source lines.
        with np.errstate(all="ignore"):
            return args.run(args)
    except PHRASED as e:
        return fail(str(e))
    except Exception as e:  # the boundary: no traceback reaches the user
        if os.environ.get("RELAYOUT_TRACEBACK") == "1":
            raise
        return fail(describe(e, args.example and f"example {args.example}"
                             or args.model or "input"))


def describe(e: Exception, where: str) -> str:
    # The parser's own subclasses are details: the user sees a ParseError.
    what = f"{'ParseError' if isinstance(e, ParseError) else type(e).__name__}: {e}"
    if isinstance(e, TOO_BIG):
        return f"{where}: input too large or too deeply nested ({what})"
    if isinstance(e, BAD_INPUT):
        return f"{where}: {what}"
    return f"internal error ({what}) while processing {where}; please report it"


def one_paragraph(text: str) -> str:
    # xDSL diagnostics print the whole module around the failing op; keep the lines
    # that say what failed, which are short, and drop the module dump.
    lines = [ln for ln in text.strip().splitlines() if ln.strip()]
    return " ".join(lines) if len(lines) <= 8 else " ".join(lines[:4] + ["..."] + lines[-3:])


def capped(text: str) -> str:
    """``text`` on one line with single spaces (xDSL pads its caret lines to the
    column, a million spaces for a long line), each token over MAX_TOKEN characters
    cut to its head and tail, and the whole cut in the middle to about MAX_MESSAGE."""
    keep = MAX_TOKEN // 2 - 2
    text = " ".join(t if len(t) <= MAX_TOKEN else f"{t[:keep]}...{t[-keep:]}"
                    for t in text.split())
    if len(text) <= MAX_MESSAGE:
        return text
    return f"{text[:MAX_MESSAGE * 3 // 4]} ... {text[-MAX_MESSAGE // 4:]}"


def note(message: str) -> None:
    """What the import changed about the model, which the user should know."""
    print(f"relayout: note: {capped(one_paragraph(message))}", file=sys.stderr)


def warn(message: str) -> None:
    print(f"relayout: warning: {capped(one_paragraph(message))}", file=sys.stderr)


def fail(message: str) -> int:
    print(f"relayout: error: {capped(one_paragraph(message))}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
