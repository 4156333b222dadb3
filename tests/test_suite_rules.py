"""Rules of the test suite itself: the test tree mirrors app/, and what several test modules
share lives in tests/support, so no test module imports another.

This module stays at the top of tests/ with test_pagecheck.py: both test the suite's own tools,
which mirror nothing in app/, and tests/unit/ is kept for app/ alone so its rule can be strict."""

from __future__ import annotations

import ast
from collections import Counter
from pathlib import Path

TESTS = Path(__file__).resolve().parent
APP = TESTS.parent / "app"

# The only test modules at the top of tests/: tests of the suite itself.
SUITE_TESTS = frozenset({"test_suite_rules.py", "test_pagecheck.py"})
PLACES = (
    "tests/unit/NAME/ when it tests the package or module app/NAME (the rules of one package, even"
    " reached through a page or a command); tests/functional/ when it drives the service through"
    " its pages, its JSON API, the `reprise` command or served processes, across packages;"
    " tests/browser/ when it drives Chromium"
)


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


def _is_test_file(path: Path) -> bool:
    """What pytest collects (its default python_files)."""
    return path.suffix == ".py" and (path.name.startswith("test_") or path.stem.endswith("_test"))


def _in_app(parts: tuple[str, ...], app: Path) -> bool:
    """Whether app/PARTS is a package or a module of app/."""
    if not parts:
        return False
    package = app.joinpath(*parts)
    return (package / "__init__.py").is_file() or package.with_suffix(".py").is_file()


def _app_names(app: Path) -> list[str]:
    packages = [path.parent.name for path in app.glob("*/__init__.py")]
    modules = [path.stem for path in app.glob("*.py") if path.stem != "__init__"]
    return sorted(packages + modules)


def _likely_package(path: Path) -> str | None:
    """The package of app/ that a test module imports most, a hint of where it belongs."""
    counts: Counter[str] = Counter()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("app."):
            counts[node.module.split(".")[1]] += 1
        elif isinstance(node, ast.ImportFrom) and node.module == "app":
            counts.update(alias.name for alias in node.names)
        elif isinstance(node, ast.Import):
            counts.update(
                alias.name.split(".")[1] for alias in node.names if alias.name.startswith("app.")
            )
    return counts.most_common(1)[0][0] if counts else None


def _why_not_here(relative: Path, app: Path) -> str:
    folder = relative.parent.as_posix()
    if folder == ".":
        own = ", ".join(sorted(SUITE_TESTS))
        return f"The top of tests/ holds only the suite's own tests ({own})."
    if relative.parts[0] == "unit" and len(relative.parts) > 2:
        return f"tests/{folder}/ names nothing in app/ (app/NAME: {', '.join(_app_names(app))})."
    return f"tests/{folder}/ is not a place for test modules."


def misplaced(tests: Path, app: Path) -> dict[str, str]:
    """Each test module outside its place in the tree that mirrors app/, with where it belongs."""
    found: dict[str, str] = {}
    for path in sorted(tests.rglob("*.py")):
        relative = path.relative_to(tests)
        top, inside = relative.parts[0], relative.parts[1:-1]
        if not _is_test_file(path) or "fixtures" in relative.parts:
            continue
        if top == "unit" and _in_app(inside, app):
            continue
        if (top in ("functional", "browser") and not inside) or relative.as_posix() in SUITE_TESTS:
            continue
        hint = _likely_package(path)
        guess = (
            f" It imports app.{hint} most: tests/unit/{hint}/ if that is its subject."
            if hint
            else ""
        )
        found[f"tests/{relative.as_posix()}"] = (
            f"{_why_not_here(relative, app)} Move it to {PLACES}.{guess}"
        )
    return found


def packages_without_init(tests: Path) -> list[str]:
    """Directories of test modules that are not packages (the suite imports tests as tests.x.y)."""
    return sorted(
        f"tests/{directory.relative_to(tests).as_posix()}/"
        for directory in {path.parent for path in tests.rglob("*.py")}
        if "fixtures" not in directory.relative_to(tests).parts
        and not (directory / "__init__.py").is_file()
    )


def test_the_layout_rule_says_where_a_stray_module_belongs(tmp_path: Path) -> None:
    app, tests = tmp_path / "app", tmp_path / "tests"
    for package in ("letters", "letters/compose"):
        (app / package).mkdir(parents=True)
        (app / package / "__init__.py").write_text("")
    (app / "config.py").write_text("")
    placed = [
        "unit/letters/test_a.py",
        "unit/letters/compose/test_b.py",
        "unit/config/test_c.py",
        "functional/test_d.py",
        "browser/test_e.py",
        "test_suite_rules.py",
        "support/pages.py",
        "conftest.py",
    ]
    stray = [
        "test_x.py",
        "unit/nosuchpackage/test_y.py",
        "unit/test_z.py",
        "functional/deeper/test_w.py",
        "support/test_v.py",
    ]
    for name in placed + stray:
        (tests / name).parent.mkdir(parents=True, exist_ok=True)
        (tests / name).write_text("from app.letters.render import letter_text\n")
    found = misplaced(tests, app)
    assert sorted(found) == sorted(f"tests/{name}" for name in stray)
    assert "Move it to tests/unit/NAME/" in found["tests/test_x.py"]
    assert "tests/unit/letters/ if that is its subject" in found["tests/test_x.py"]
    assert (
        "names nothing in app/ (app/NAME: config, letters)"
        in found["tests/unit/nosuchpackage/test_y.py"]
    )
    (tests / "unit" / "config" / "__init__.py").write_text("")
    assert "tests/unit/letters/" in packages_without_init(tests)
    assert "tests/unit/config/" not in packages_without_init(tests)


def test_every_test_module_lives_where_the_tree_mirrors_app() -> None:
    found = misplaced(TESTS, APP)
    assert not found, "\n\n".join(f"{path}: {where}" for path, where in found.items())


def test_every_directory_of_tests_is_a_package() -> None:
    assert packages_without_init(TESTS) == []
