"""Imports run one way: frontend -> dialects -> passes -> lowering -> runtime.

Every shipped module (every ``*.py`` under the repository root, which is the package
``relayout``, outside the folders that are not shipped) is read as source, and each of
its ``relayout.*`` imports, those inside functions and ``if TYPE_CHECKING:`` included,
must go to a stage its own stage may import (``ALLOWED``). No shipped module imports the
test-only packages (``NOT_SHIPPED_IMPORTS``).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = "relayout"

NOT_SHIPPED_DIRS = {"test", "bench", "fuzz", "examples", "build"}
"""Top-level folders that are not part of the distribution (see setup.py)."""

TOP = {"api", "cli", "universe", "__init__"}
"""The user-facing modules at the root, which may import any shipped stage."""

SHIPPED_STAGES = {
    "layout", "dialects", "frontend", "interpreters", "passes", "lowering", "runtime", *TOP,
}

ALLOWED: dict[str, set[str]] = {
    "layout": set(),
    "dialects": {"layout"},
    "frontend": {"layout", "dialects"},
    "interpreters": {"layout", "dialects"},
    "passes": {"layout", "dialects"},
    "lowering": {"layout", "dialects", "passes"},
    "runtime": {"layout", "dialects", "lowering"},
    "setup": set(),  # the build script (setup.py) imports setuptools only
    **{top: SHIPPED_STAGES for top in TOP},
}
"""Stage -> the other stages it may import (a stage may always import itself)."""

NOT_SHIPPED_IMPORTS = ("hypothesis", "pytest", *(f"{PACKAGE}.{d}" for d in sorted(NOT_SHIPPED_DIRS)))

@dataclass(frozen=True)
class Import:
    module: str
    """The importing module, e.g. ``relayout.passes.fuse_ops``."""
    target: str
    """The imported module, e.g. ``relayout.dialects.nn``."""
    line: int

    def __str__(self) -> str:
        return f"{self.module}:{self.line} imports {self.target}"


def shipped_files(root: Path = ROOT) -> list[Path]:
    files = []
    for path in sorted(root.rglob("*.py")):
        parts = path.relative_to(root).parts
        if parts[0] in NOT_SHIPPED_DIRS or any(p.startswith(".") for p in parts):
            continue
        if "__pycache__" in parts or any(p.endswith(".egg-info") for p in parts):
            continue
        files.append(path)
    return files


def module_name(path: Path, root: Path = ROOT) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join([PACKAGE, *parts])


def _exists(module: str, root: Path = ROOT) -> bool:
    """Whether ``module`` (``relayout.x.y``) is a module or package of the tree."""
    rel = Path(*module.split(".")[1:])
    return (root / rel).with_suffix(".py").is_file() or (root / rel / "__init__.py").is_file()


def _resolve_from(module: str, package: bool, node: ast.ImportFrom) -> str:
    """The absolute module that ``from X import ...`` in ``module`` names as X."""
    if node.level == 0:
        return node.module or ""
    base = module.split(".") if package else module.split(".")[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join([*base, *([node.module] if node.module else [])])


def _is_import_call(node: ast.AST) -> bool:
    """``importlib.import_module("...")``, ``import_module("...")``, ``__import__("...")``."""
    if not (isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant)):
        return False
    f = node.func
    name = f.attr if isinstance(f, ast.Attribute) else f.id if isinstance(f, ast.Name) else ""
    return name in ("import_module", "__import__") and isinstance(node.args[0].value, str)


def imports_of(path: Path, root: Path = ROOT) -> Iterator[Import]:
    """Every module ``path`` imports, at any depth of its syntax tree. ``from P import
    name`` imports ``P.name`` where that is a module of the tree (``from relayout import
    layout``), else ``P``; a literal ``importlib.import_module("relayout...")`` counts."""
    module = module_name(path, root)
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield Import(module, alias.name, node.lineno)
        elif isinstance(node, ast.ImportFrom):
            source = _resolve_from(module, path.name == "__init__.py", node)
            within = source == PACKAGE or source.startswith(PACKAGE + ".")
            for alias in node.names:
                sub = f"{source}.{alias.name}"
                target = sub if within and alias.name != "*" and _exists(sub, root) else source
                yield Import(module, target, node.lineno)
        elif _is_import_call(node):
            assert isinstance(node, ast.Call) and isinstance(node.args[0], ast.Constant)
            yield Import(module, str(node.args[0].value), node.lineno)


def stage_of(module: str) -> str | None:
    """``relayout.passes.fuse_ops`` -> ``passes``; ``relayout`` -> ``__init__``; None for
    a module outside the package."""
    if module == PACKAGE:
        return "__init__"
    if not module.startswith(PACKAGE + "."):
        return None
    return module.split(".")[1]


def violations(root: Path = ROOT) -> set[tuple[str, str]]:
    """(module, imported module) for each import against ``ALLOWED``."""
    found: set[tuple[str, str]] = set()
    for path in shipped_files(root):
        for imp in imports_of(path, root):
            stage, target = stage_of(imp.module), stage_of(imp.target)
            if target is None or stage not in ALLOWED:
                continue  # not a relayout import; a module of no stage fails below
            if target != stage and target not in ALLOWED[stage]:
                found.add((imp.module, imp.target))
    return found


def imports_of_test_code(root: Path = ROOT) -> list[str]:
    """Each import of test-only code (``NOT_SHIPPED_IMPORTS``) by a shipped module."""
    return [
        str(imp)
        for path in shipped_files(root)
        for imp in imports_of(path, root)
        if any(imp.target == n or imp.target.startswith(n + ".") for n in NOT_SHIPPED_IMPORTS)
    ]


def test_the_walk_sees_the_package():
    names = {module_name(p) for p in shipped_files()}
    for expected in ("relayout", "relayout.layout", "relayout.passes.fuse_ops",
                     "relayout.dialects.nn.base", "relayout.lowering", "relayout.runtime"):
        assert expected in names
    assert not any(stage_of(n) in NOT_SHIPPED_DIRS for n in names)


def test_every_module_has_a_stage():
    unknown = sorted(n for n in map(module_name, shipped_files()) if stage_of(n) not in ALLOWED)
    assert not unknown, f"modules of no stage (add their stage to ALLOWED): {unknown}"


def test_the_checker_finds_what_it_should(tmp_path: Path):
    """On a small tree: the import forms the package uses, found at any depth."""
    files = {
        "__init__.py": "from relayout import api\n",
        "layout.py": "",
        "api.py": "from relayout.runtime import run\n",
        "dialects/__init__.py": "",
        "dialects/nn/__init__.py": "from .base import NNOp\nfrom ..context import make\n",
        "dialects/nn/base.py": "from relayout import layout\n"
                               "def f():\n    from relayout.passes import x\n",
        "dialects/context.py": "import relayout.dialects.nn\n",
        "passes/__init__.py": "",
        "passes/fuse.py": "from relayout import lowering\nfrom relayout import parse\n"
                          "import importlib\nimportlib.import_module('relayout.runtime.cuda')\n",
        "lowering/__init__.py": "from relayout.passes import fuse\n",
        "runtime/__init__.py": "import hypothesis\n",
        "runtime/cuda.py": "from relayout.fuzz.case import Case\n",
        "fuzz/__init__.py": "from relayout.runtime import cuda\n",
        "test/test_x.py": "from relayout.fuzz import y\n",
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    assert violations(tmp_path) == {
        ("relayout.dialects.nn.base", "relayout.passes"),
        ("relayout.passes.fuse", "relayout.lowering"),
        ("relayout.passes.fuse", "relayout"),
        ("relayout.passes.fuse", "relayout.runtime.cuda"),
        ("relayout.runtime.cuda", "relayout.fuzz.case"),
    }
    assert imports_of_test_code(tmp_path) == [
        "relayout.runtime:1 imports hypothesis",
        "relayout.runtime.cuda:1 imports relayout.fuzz.case",
    ]
    found = {(i.module, i.target) for p in shipped_files(tmp_path) for i in imports_of(p, tmp_path)}
    assert ("relayout.dialects.nn", "relayout.dialects.nn.base") in found
    assert ("relayout.dialects.nn", "relayout.dialects.context") in found
    assert ("relayout.dialects.nn.base", "relayout.layout") in found
    assert not any(m.startswith(("relayout.fuzz", "relayout.test")) for m, _ in found)


def test_imports_follow_the_direction():
    bad = sorted(violations())
    assert not bad, "imports against frontend -> dialects -> passes -> lowering -> runtime:\n" + (
        "\n".join(f"  {m} imports {t}" for m, t in bad)
    )


def test_no_shipped_module_imports_test_code():
    bad = imports_of_test_code()
    assert not bad, "shipped modules import test-only code:\n" + "\n".join(bad)
