"""The package's layout: imports run one way (optimizer/__init__.py), modules stay small.

Every module's imports are parsed (ast), including imports inside functions, so a lazy import
cannot hide an upward dependency.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "optimizer"

# Lower layers first; a module may import its own layer's subpackage and anything below.
LAYERS = ["case", "rules", "risk", "coverage", "pricing", "plan", "workbench", "cli"]
MAX_LINES = 400


def _layer(module: str) -> str | None:
    """Layer of a dotted module name inside optimizer (None for the package facade itself)."""
    parts = module.split(".")
    if parts[0] != "optimizer":
        return None
    if len(parts) == 1:
        return None
    return parts[1]


def _module_name(path: Path) -> str:
    relative = path.relative_to(ROOT).with_suffix("")
    parts = list(relative.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported_modules(path: Path) -> list[tuple[int, str]]:
    """(line, module) for every import in the file, absolute or relative, at any depth."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    here = _module_name(path).split(".")
    package = here if path.name == "__init__.py" else here[:-1]
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - (node.level - 1)]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            found.append((node.lineno, module))
            # `from optimizer import coverage` names a subpackage, not a symbol of the facade.
            if module == "optimizer":
                found += [(node.lineno, f"optimizer.{alias.name}") for alias in node.names]
    return found


def upward_imports(path: Path) -> list[str]:
    """The imports of one optimizer module that break the layer order, as messages."""
    own = _layer(_module_name(path))
    if own is None:  # the facade re-exports everything
        return []
    rank = LAYERS.index(own)
    problems = []
    for line, module in imported_modules(path):
        if module == "optimizer":
            problems.append(f"{path.relative_to(ROOT)}:{line} imports the facade `optimizer` (import the module)")
            continue
        layer = _layer(module)
        if layer is None or layer == own:
            continue
        if layer not in LAYERS:
            problems.append(f"{path.relative_to(ROOT)}:{line} imports {module}, which is in no layer")
        elif LAYERS.index(layer) > rank:
            problems.append(f"{path.relative_to(ROOT)}:{line} ({own}) imports {module} ({layer}), a layer above")
    return problems


def _python_files(*folders: Path) -> list[Path]:
    return sorted(p for folder in folders for p in ([folder] if folder.is_file() else folder.rglob("*.py")))


def test_every_subpackage_is_a_layer() -> None:
    subpackages = {p.parent.name for p in PACKAGE.glob("*/__init__.py")}
    assert subpackages == set(LAYERS) - {"cli"}
    top_modules = {p.stem for p in PACKAGE.glob("*.py")} - {"__init__"}
    assert top_modules == {"cli"}


def test_imports_run_downwards_only() -> None:
    problems = [message for path in _python_files(PACKAGE) for message in upward_imports(path)]
    assert problems == []


def test_the_checker_catches_an_upward_import(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A module in `case` that imports the coverage pipeline, relatively and absolutely.
    fake_root = tmp_path
    module = fake_root / "optimizer" / "case" / "bad.py"
    module.parent.mkdir(parents=True)
    module.write_text(
        "from optimizer.coverage.pipeline import optimize\n"
        "def f():\n    from ..workbench import report\n"
    )
    monkeypatch.setattr(sys.modules[__name__], "ROOT", fake_root)
    problems = upward_imports(module)
    assert len(problems) == 2
    assert "optimizer.coverage.pipeline (coverage), a layer above" in problems[0]
    assert "optimizer.workbench (workbench), a layer above" in problems[1]


@pytest.mark.parametrize("library", ["streamlit"])
def test_optimizer_never_imports_the_app_framework(library: str) -> None:
    offenders = [
        f"{path.relative_to(ROOT)}:{line}"
        for path in _python_files(PACKAGE)
        for line, module in imported_modules(path)
        if module.split(".")[0] == library
    ]
    assert offenders == []


def test_the_app_never_imports_the_solver() -> None:
    app = _python_files(ROOT / "app.py", ROOT / "app_pages", ROOT / "ui")
    assert app, "the app's files were not found"
    offenders = [
        f"{path.relative_to(ROOT)}:{line} imports {module}"
        for path in app
        for line, module in imported_modules(path)
        if module.split(".")[0] in {"pulp", "highspy"}
    ]
    assert offenders == []


def test_no_module_is_over_400_lines() -> None:
    long = {
        str(path.relative_to(ROOT)): n
        for path in _python_files(PACKAGE)
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}
