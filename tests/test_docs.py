"""The Python examples of the README and docs/ run as written (from the repository root)."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from conftest import ROOT

_BLOCK = re.compile(r"^```python\n(.*?)^```", re.M | re.S)
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
BLOCKS = [(p, i, code) for p in DOCS for i, code in enumerate(_BLOCK.findall(p.read_text(encoding="utf-8")))]


def test_the_docs_have_examples() -> None:
    assert {p.name for p, _, _ in BLOCKS} >= {"README.md", "extraction.md"}


@pytest.mark.slow
@pytest.mark.parametrize(("path", "index", "code"), BLOCKS, ids=[f"{p.name}-{i}" for p, i, _ in BLOCKS])
def test_python_example_runs(path: Path, index: int, code: str, capsys: pytest.CaptureFixture[str]) -> None:
    here = os.getcwd()
    os.chdir(ROOT)
    try:
        exec(compile(code, f"{path.name}[{index}]", "exec"), {"__name__": "__doc_example__"})  # noqa: S102
    finally:
        os.chdir(here)
    assert capsys.readouterr().out.strip(), "an example shows its result"
