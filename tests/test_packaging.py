"""A built wheel (not only the editable install) carries every module and data file."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

from conftest import ROOT


def test_wheel_contains_all_code_and_ontology_data(tmp_path: Path) -> None:
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation",
                    "-w", str(tmp_path), str(ROOT)], check=True, capture_output=True)
    (wheel,) = tmp_path.glob("graphkg-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = {f"graphkg/{p.relative_to(ROOT / 'graphkg')}" for p in (ROOT / "graphkg").rglob("*.py")}
    expected |= {f"graphkg/loaders/{p.relative_to(ROOT / 'loaders')}" for p in (ROOT / "loaders").rglob("*.py")}
    expected |= {f"graphkg/ontology_data/{p.relative_to(ROOT / 'ontology')}" for p in (ROOT / "ontology").rglob("*")
                 if p.is_file() and p.suffix in {".ttl", ".tsv", ".md", ".jsonld", ".py"}}
    missing = sorted(n for n in expected if "__pycache__" not in n and n not in names)
    assert missing == []
    assert any(n.endswith("entry_points.txt") for n in names)
