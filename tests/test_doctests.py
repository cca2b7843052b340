"""Doctests of the pure helpers run as part of the suite (only modules that have some)."""

from __future__ import annotations

import doctest
import importlib
import pkgutil
from pathlib import Path

import pytest

import graphkg
import graphkg.loaders


def _modules_with_doctests() -> list[str]:
    names = []
    for pkg in (graphkg, graphkg.loaders):
        for info in pkgutil.walk_packages(pkg.__path__, pkg.__name__ + "."):
            spec = importlib.util.find_spec(info.name)
            if spec is not None and spec.origin and Path(spec.origin).read_text(encoding="utf-8").count(">>> "):
                names.append(info.name)
    if ">>> " in Path(graphkg.__file__).read_text(encoding="utf-8"):
        names.append("graphkg")
    return sorted(set(names))


@pytest.mark.parametrize("name", _modules_with_doctests())
def test_doctests(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0, f"{name} has '>>> ' in its source but no doctest was collected"
    assert result.failed == 0, f"{result.failed} doctest(s) failed in {name}"
