"""Where things are, for tests at any depth of tests/: the project, the suite, its fixtures."""

from __future__ import annotations

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
TESTS = PROJECT_ROOT / "tests"
FIXTURES = TESTS / "fixtures"
SCRIPTS = PROJECT_ROOT / "scripts"
