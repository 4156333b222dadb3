"""Importing one of the project's scripts (scripts/NAME.py) in a test."""

import importlib.util
import sys
from types import ModuleType

from tests.support.paths import SCRIPTS


def load_script(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, SCRIPTS / f"{name}.py")
    assert spec
    assert spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module
