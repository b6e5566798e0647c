"""Imports sit at the top of a module (docs/architecture.md, "which way
imports run"): an import inside a function hides what a room depends on and
is kept only where it breaks a real cycle.

Read from the source with `ast`, no app."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

RECRUIT = Path(__file__).resolve().parent.parent / "recruit"
MODULES = sorted(RECRUIT.rglob("*.py"))


def _imports_inside_functions(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            for inner in ast.walk(node):
                if isinstance(inner, ast.Import | ast.ImportFrom):
                    found.append(f"{path.relative_to(RECRUIT)}:{inner.lineno} in {node.name}()")
    return found


def test_the_packages_are_found():
    assert len(MODULES) > 100


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.relative_to(RECRUIT).as_posix())
def test_no_import_inside_a_function(path):
    assert _imports_inside_functions(path) == []
