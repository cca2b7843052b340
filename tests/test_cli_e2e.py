"""The spine end to end through the CLI: seed article → store → RDF export → map."""

from __future__ import annotations

import json
from typing import Any
from pathlib import Path

import pytest
import rdflib
from click.testing import CliRunner
from conftest import SEED, SEED_REQUIRED

from graphkg.cli import cli

REQUIRED = SEED_REQUIRED


def _run(home: Path, *args: str) -> tuple[int, str, str]:
    r = CliRunner().invoke(cli, ["--home", str(home), *args], catch_exceptions=False)
    return r.exit_code, r.stdout, r.stderr


@pytest.mark.slow
def test_seed_extract_jsonl_has_the_required_triples(tmp_path: Path, extractor: object) -> None:
    code, out, _ = _run(tmp_path, "extract", "--format", "jsonl", str(SEED))
    assert code == 0
    rows = [json.loads(line) for line in out.splitlines()]
    got = {(r["subject"]["label"], r["predicate"], r["object"]["label"]) for r in rows}
    assert REQUIRED <= got
    assert ("Murat Nurtleu", "MEETS", "Nasser Bourita") in got or ("Nasser Bourita", "MEETS", "Murat Nurtleu") in got
    for r in rows:  # shape read by ../shared/score.py, evidence from the article
        assert r["source"].endswith("000-fr-seed.txt")
        assert {"label", "id", "type"} <= set(r["subject"]) and {"label", "id", "type"} <= set(r["object"])
        assert r["evidence"] and 0 < r["confidence"] <= 1
        assert r["evidence"].replace("’", "'") in SEED.read_text(encoding="utf-8").replace("’", "'")
    # nothing from the speculative closing paragraph or the comment form
    assert not any("pourraient" in r["evidence"] or "COMMENTAIRE" in r["evidence"] for r in rows)


@pytest.mark.slow
def test_ingest_twice_export_map_stats(tmp_path: Path, extractor: object) -> None:
    home = tmp_path / "data"
    code, _, err = _run(home, "ingest", str(SEED))
    assert code == 0, err
    assert "1 article(s) read, 0 skipped" in err
    code, _, err = _run(home, "ingest", str(SEED))
    assert code == 0 and "unchanged file(s) skipped" in err and "nothing new written" in err
    code, _, err = _run(home, "ingest", "--no-resume", str(SEED))  # re-read: skipped by content hash
    assert code == 0 and "1 skipped as already ingested" in err and "nothing new written" in err
    code, out, _ = _run(home, "stats", "--format", "json")
    stats = json.loads(out)
    assert stats["articles"] == 1 and stats["relations"] >= 7
    assert stats["by_predicate"]["REPRESENTS"] == 2
    ttl = tmp_path / "export.ttl"
    assert _run(home, "export", "--format", "turtle", "-o", str(ttl))[0] == 0
    g = rdflib.Graph().parse(ttl, format="turtle")
    gkg = rdflib.Namespace("https://w3id.org/graphkg/ontology#")
    kz, ma = (rdflib.URIRef("https://w3id.org/graphkg/entity/wd/" + q) for q in ("Q232", "Q1028"))
    assert (kz, gkg.supports, ma) in g
    page = tmp_path / "map.html"
    assert _run(home, "map", "-o", str(page))[0] == 0
    html = page.read_text(encoding="utf-8")
    assert "Nasser Bourita" in html and 'src="http' not in html


def test_bad_files_one_line_each_others_go_in(tmp_path: Path) -> None:
    d = tmp_path / "in"
    d.mkdir()
    (d / "nobody.html").write_text("<html><head><title>x</title></head><body><nav>Home</nav></body></html>")
    (d / "notes.docx").write_bytes(b"PK\x03\x04")
    (d / "empty.md").write_text("")
    code, _, err = _run(tmp_path / "h", "ingest", "--extractor", "gdelt", str(d))
    assert code == 1
    lines = sorted(x for x in err.splitlines() if x.startswith("error: "))
    assert len(lines) == 3
    assert lines[0] == f"error: {d}/empty.md: empty file"
    assert lines[1] == f"error: {d}/nobody.html: no article text found in HTML"
    assert lines[2].startswith(f"error: {d}/notes.docx: unsupported file type '.docx'; expected one of")
    assert "Traceback" not in err


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    r = CliRunner().invoke(cli, ["export", "--format", "turtl"])
    assert r.exit_code == 2 and "turtl" in r.output


@pytest.mark.parametrize("args,needle", [
    (["map", "--predicate", "SUPPORT", "-o", "m.html"], "did you mean 'SUPPORTS'"),
    (["map", "--since", "yesterday", "-o", "m.html"], "'yesterday' is not a date"),
    (["map", "--since", "2024-13", "-o", "m.html"], "'2024-13' is not a date"),
    (["map", "--until", "2024-02-30", "-o", "m.html"], "'2024-02-30' is not a date"),
    (["--store", "nope", "stats"], "unknown store 'nope'"),
])
def test_cli_mistakes_are_usage_errors_in_one_line(tmp_path, args, needle) -> None:
    res = CliRunner().invoke(cli, ["--home", str(tmp_path), *args])
    assert res.exit_code == 2 and needle in res.output, res.output
    line = res.output.strip().splitlines()[-1]
    assert line.startswith("error: ") and len(line) <= 200, line
    assert not (tmp_path / "m.html").exists()


@pytest.mark.parametrize("args", [["export", "-o", "{d}/missing/x.ttl"], ["map", "-o", "{d}/missing/m.html"],
                                  ["ontology", "doc", "-o", "{d}/missing/o.md"], ["export", "-o", "{d}"]])
def test_output_paths_are_checked_and_never_follow_a_planted_part_file(tmp_path, args) -> None:
    res = CliRunner().invoke(cli, ["--home", str(tmp_path / "home"), *(a.replace("{d}", str(tmp_path)) for a in args)])
    assert res.exit_code == 2 and "cannot write" in res.output and "Traceback" not in res.output, res.output
    assert len(res.output.strip().splitlines()[-1]) <= 200


def test_a_symlink_planted_at_the_temporary_name_is_not_followed(tmp_path) -> None:
    victim = tmp_path / "victim.txt"
    out = tmp_path / "m.html"
    (tmp_path / "m.html.part").symlink_to(victim)
    res = CliRunner().invoke(cli, ["--home", str(tmp_path / "home"), "map", "-o", str(out)])
    assert res.exit_code == 0, res.output
    assert out.is_file() and not victim.exists()
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.endswith(".part")) == ["m.html.part"]  # left alone


@pytest.mark.parametrize("args", [["export", "--format", "turtle", "-o", "{out}"], ["map", "-o", "{out}"],
                                  ["ontology", "doc", "-o", "{out}"]])
def test_an_existing_output_is_replaced_only_with_force(tmp_path, args) -> None:
    out = tmp_path / "out.txt"
    out.write_text("keep me")
    argv = ["--home", str(tmp_path / "home"), *(a.replace("{out}", str(out)) for a in args)]
    res = CliRunner().invoke(cli, argv)
    assert res.exit_code == 2 and f"{out} exists; pass --force to replace it" in res.output, res.output
    assert out.read_text() == "keep me"
    res = CliRunner().invoke(cli, [*argv, "--force"])
    assert res.exit_code == 0, res.output
    assert out.read_text() != "keep me"


def test_dash_writes_to_standard_output(tmp_path) -> None:
    res = CliRunner().invoke(cli, ["--home", str(tmp_path / "home"), "map", "-o", "-"])
    assert res.exit_code == 0 and res.stdout.lstrip().lower().startswith(("<!doctype html", "<html")), res.output[:200]
    assert not (tmp_path / "-").exists()


def test_a_missing_chromium_is_one_line_before_any_work(tmp_path, monkeypatch) -> None:
    """GRAPHKG_CHROMIUM=/nonexistent printed a 38-line traceback after writing the map."""
    monkeypatch.setenv("GRAPHKG_CHROMIUM", str(tmp_path / "nonexistent"))
    out = tmp_path / "m.html"
    res = CliRunner().invoke(cli, ["--home", str(tmp_path / "home"), "map", "-o", str(out), "--png", str(tmp_path / "m.png")])
    assert res.exit_code == 1 and "Traceback" not in res.output, res.output
    assert res.output.strip().splitlines() == [f"error: chromium: GRAPHKG_CHROMIUM={tmp_path / 'nonexistent'} is not an "
                                               "executable; point it at Chromium or unset it to use `chromium` from PATH"]
    assert not out.exists()


@pytest.mark.parametrize("args", [["export", "--format", "turtl"], ["map", "--since", "2024-13"], ["query"],
                                  ["--store", "nope", "stats"], ["remove", "--article", "https://nowhere.example/x"],
                                  ["sparql", "SELEC *"], ["ingest", "{d}/missing.txt"], ["frobnicate"]])
def test_every_error_starts_the_same_way(tmp_path, args) -> None:
    res = CliRunner().invoke(cli, ["--home", str(tmp_path / "home"), *(a.replace("{d}", str(tmp_path)) for a in args)])
    assert res.exit_code in (1, 2) and "Traceback" not in res.output, res.output
    errors = [line for line in res.output.splitlines() if line.lower().startswith("error")]
    assert errors and all(line.startswith("error: ") for line in errors), res.output


def _command_paths(group: Any = None, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    import click

    group = group or cli
    out = []
    for name, cmd in sorted(group.commands.items()):
        out.append((*prefix, name))
        if isinstance(cmd, click.Group):
            out.extend(_command_paths(cmd, (*prefix, name)))
    return out


@pytest.mark.parametrize("path", _command_paths(), ids=" ".join)
def test_every_command_answers_wrong_arguments_in_one_usage_line(tmp_path, path) -> None:
    """Each command with an unknown option, and with a stray argument or a missing one: a usage
    error (exit 2) starting with 'error: ', never a traceback."""
    for extra in (["--no-such-option"], ["stray", "arguments", "here", "--no-such-option-either"]):
        res = CliRunner().invoke(cli, ["--home", str(tmp_path / "home"), *path, *extra])
        assert res.exit_code == 2 and "Traceback" not in res.output, (path, extra, res.output)
        assert res.exception is None or isinstance(res.exception, SystemExit), (path, res.exception)
        assert res.output.strip().splitlines()[-1].startswith("error: "), res.output
