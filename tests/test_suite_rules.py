"""Rules of the test suite itself: what several test modules share lives in tests/support, so no
test module imports another."""

from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parent


def _is_test_module(dotted: str) -> bool:
    return dotted.rsplit(".", 1)[-1].startswith("test_")


def imports_of_test_modules(source: str) -> list[str]:
    """The test modules (tests.test_x, tests.browser.test_y) that `source` imports."""
    found: list[str] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("tests"):
            found += [node.module] if _is_test_module(node.module) else []
            found += [
                f"{node.module}.{alias.name}" for alias in node.names if _is_test_module(alias.name)
            ]
        elif isinstance(node, ast.Import):
            found += [
                alias.name
                for alias in node.names
                if alias.name.startswith("tests.") and _is_test_module(alias.name)
            ]
    return found


def test_the_rule_sees_every_way_of_importing_a_test_module() -> None:
    assert imports_of_test_modules("from tests.test_web import start_letter") == ["tests.test_web"]
    assert imports_of_test_modules("def f():\n    from tests.browser.test_a import b\n") == [
        "tests.browser.test_a"
    ]
    assert imports_of_test_modules("import tests.test_web") == ["tests.test_web"]
    assert imports_of_test_modules("from tests import test_web") == ["tests.test_web"]
    assert imports_of_test_modules("from tests.support.pages import walk") == []


def test_no_test_module_imports_another() -> None:
    offending = {
        str(path.relative_to(TESTS)): found
        for path in sorted(TESTS.rglob("*.py"))
        if (found := imports_of_test_modules(path.read_text(encoding="utf-8")))
    }
    assert offending == {}
