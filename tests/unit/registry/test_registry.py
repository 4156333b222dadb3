"""One explicit list of what registers privacy hooks and job kinds (issue 11 item 7): every
module of app/ that registers a hook or a job kind is in app.registry.REGISTERING, and the app
factory registers them all."""

from __future__ import annotations

import ast
from pathlib import Path

import app
from app.registry import REGISTERING, register_all

APP = Path(app.__file__).parent
# The functions that register a hook, a job kind or a file hook (called, or as a decorator).
REGISTERERS = {"register", "register_kind", "on_file_linked"}


def _registering_modules() -> set[str]:
    found = set()
    for path in APP.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        module = ".".join(path.relative_to(APP.parent).with_suffix("").parts)
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in REGISTERERS
            ):
                found.add(module)
            if isinstance(node, ast.FunctionDef) and any(
                isinstance(d, ast.Name) and d.id in REGISTERERS for d in node.decorator_list
            ):
                found.add(module)
    return found


def test_every_module_that_registers_is_in_the_list() -> None:
    found = _registering_modules()
    assert found, "the scan finds the registrations"
    assert found - set(REGISTERING) == set()
    assert set(REGISTERING) - found == set(), "the list names only modules that register"


def test_the_list_registers_every_hook_and_job_kind() -> None:
    from app.jobs.runner import KINDS
    from app.privacy.personal_data import REGISTRY

    register_all()
    # The observatory's rows follow the requests: exported, erased and purged after them.
    assert [hook.name for hook in REGISTRY.hooks] == ["account", "tracking", "observatory"]
    assert {"proceeding-reminder", "observatory-publish", "inactive-account-purge"} <= set(KINDS)


def test_the_app_factory_registers_them(app: object) -> None:
    from app.privacy.personal_data import REGISTRY

    assert {hook.name for hook in REGISTRY.hooks} == {"account", "tracking", "observatory"}


def test_nothing_registers_by_a_side_import() -> None:
    """No module imports another only for what it registers (`import ... # noqa`)."""
    side = []
    for path in APP.rglob("*.py"):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            stripped = line.strip()
            if stripped.startswith("import app.") and "noqa" in stripped:
                side.append(f"{path.relative_to(APP.parent)}:{number}: {stripped}")
    assert side == []
