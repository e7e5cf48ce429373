"""The package's layout is its architecture: each subpackage imports only the layers below it, so data
flows one way (load -> check: schema, then rules -> report), and no rule is stated twice."""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "validators"

# what each part of l4e_contract may import (besides itself); README's layout table says the same
MAY_IMPORT = {
    "findings": set(),
    "contract": {"findings"},
    "load": {"findings", "contract"},
    "rules": {"findings", "contract"},
    "check": {"findings", "contract", "rules"},
    "report": {"findings", "contract", "check"},
    "drift": {"findings", "contract", "load", "check"},
    "strategies": {"findings", "contract", "rules", "check"},
    "endpoints": {"findings", "contract", "load", "check", "report", "drift"},
    "pytest_plugin": {"findings", "contract", "load", "rules", "check", "report", "strategies", "endpoints"},
    "cli": {"findings", "contract", "load", "rules", "check", "report", "drift", "strategies", "endpoints"},
}
# `import l4e_contract` / `from l4e_contract import validate`: the package's face, which is check's validate
ROOT_IS = "check"


def _part(path: Path) -> str:
    rel = path.relative_to(PACKAGE)
    return rel.parts[0] if len(rel.parts) > 1 else rel.stem


def _imports(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "l4e_contract":
                for alias in node.names:
                    yield node.lineno, alias.name if alias.name in MAY_IMPORT else ROOT_IS
            elif node.module.startswith("l4e_contract."):
                yield node.lineno, node.module.split(".")[1]
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name == "l4e_contract":
                    yield node.lineno, ROOT_IS
                elif alias.name.startswith("l4e_contract."):
                    yield node.lineno, alias.name.split(".")[1]


MODULES = sorted(p for p in PACKAGE.rglob("*.py") if p.name != "__init__.py" or p.parent != PACKAGE)


def test_every_module_belongs_to_a_known_part():
    unknown = {_part(p) for p in MODULES} - MAY_IMPORT.keys()
    assert not unknown, f"parts with no place in the layering: {sorted(unknown)}"


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_a_module_imports_only_the_layers_below_its_own(path):
    part = _part(path)
    allowed = MAY_IMPORT[part] | {part}
    wrong = [(line, other) for line, other in _imports(path) if other not in allowed]
    assert not wrong, f"{path.relative_to(PACKAGE)} ({part}) imports {wrong}: {part} may import {sorted(MAY_IMPORT[part])}"


def test_the_layering_is_acyclic():
    seen, order = set(), []

    def visit(part, stack=()):
        assert part not in stack, f"cycle: {' -> '.join((*stack, part))}"
        if part not in seen:
            for below in MAY_IMPORT[part]:
                visit(below, (*stack, part))
            seen.add(part)
            order.append(part)

    for part in MAY_IMPORT:
        visit(part)
    assert set(order) == set(MAY_IMPORT)


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_code_is_built_at_run_time(path):
    """A rule is stated once, in plain Python: no expressions in strings compiled at run time."""
    text = path.read_text(encoding="utf-8")
    assert not re.search(r"(^|[^.\w])(exec|eval|compile)\(", text, re.M), path
    assert not re.search(r"^\s*import ast\b|^\s*from ast import", text, re.M), path
    assert not re.search(r"\bholds\s*=", text), path
