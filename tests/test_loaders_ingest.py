"""`graphkg ingest` at scale: bad input, journal and resume (kill -9 for real), workers,
replacement by URL, `graphkg remove`, `graphkg stats --format json`."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from graphkg.cli import cli
from graphkg.pipeline.journal import Journal
from graphkg.loaders.gdelt import cameo_map
from graphkg.model import Article, Candidate, EntityRef
from graphkg.vocab import EntityType, Predicate
from graphkg.pipeline import IngestOptions, ingest_items
from graphkg.stores.oxigraph import OxigraphStore

SAMPLE = Path(__file__).parent / "data" / "gdelt" / "20250807220000.export.CSV"
GRAPHKG = str(Path(sys.executable).with_name("graphkg"))


def mapped_rows() -> list[list[str]]:
    """Sample rows the CAMEO mapping keeps (each yields exactly one candidate)."""
    m = cameo_map()
    rows = [line.split("\t") for line in SAMPLE.read_text(encoding="utf-8").splitlines()]
    return [f for f in rows if not isinstance(m.map(f), str)]


def gdelt_folder(root: Path, files: int, per_file: int) -> int:
    """Generated GDELT 2.0 exports: every row a distinct event id and SOURCEURL."""
    rows, n = mapped_rows(), 0
    root.mkdir(parents=True, exist_ok=True)
    for i in range(files):
        lines = []
        for _ in range(per_file):
            f = list(rows[n % len(rows)])
            f[0], f[60] = str(10_000_000 + n), f"https://gen.example/{n}"
            lines.append("\t".join(f))
            n += 1
        (root / f"{i:04d}.export.CSV").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return n


def run(home: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["--home", str(home), "--store", "oxigraph", *args])
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stderr


def stats(home: Path) -> dict[str, object]:
    result = CliRunner().invoke(cli, ["--home", str(home), "stats", "--format", "json"])
    assert result.exit_code == 0, result.output
    data: dict[str, object] = json.loads(result.stdout)
    return data


# ------------------------------------------------------------------ bad input, one line each

def test_bad_inputs_reported_one_line_each_rest_ingested(tmp_path: Path) -> None:
    d = tmp_path / "in"
    d.mkdir()
    text = "Le Maroc et la France ont signé un accord de coopération à Rabat.\n"
    (d / "good.txt").write_text(text)
    (d / "latin1.txt").write_bytes("Le président sénégalais a reçu à Dakar l'envoyé spécial.".encode("latin-1"))
    (d / "cp1252.txt").write_bytes("L’ONU salue l’accord signé à Genève – une première.".encode("cp1252"))
    (d / "utf16.txt").write_bytes("Le Kazakhstan soutient la souveraineté du Maroc.".encode("utf-16"))
    (d / "empty.txt").write_bytes(b"")
    (d / "binary.txt").write_bytes(b"\x00\x01\xffPNG" * 100)
    with open(d / "big.txt", "wb") as f:  # a 50 MB article: refused before being read
        f.write((text * (50 * 1024 * 1024 // len(text) + 1)).encode()[: 50 * 1024 * 1024])
    (d / "dump.jsonl").write_text('{"text": "Un."}\n{"text": "Deux."}\n{"text": \n{"text": "Quatre."}\n')
    (d / "nocol.csv").write_text("title,summary\nA,B\n")
    (d / "feed.rss").write_text("this is not XML")
    rows = ["\t".join(f) for f in mapped_rows()[:6]]
    (d / "short.export.CSV").write_text("\n".join(rows[:3] + ["1\t2\t3"] + rows[3:6]) + "\n")
    with zipfile.ZipFile(d / "bomb.zip", "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("bomb.jsonl", b" " * (32 * 1024 * 1024))
    (d / "dangling.txt").symlink_to(d / "gone.txt")
    missing = str(tmp_path / "nope.jsonl")
    home = tmp_path / "home"

    code, err = run(home, "ingest", "--extractor", "gdelt", str(d), missing)
    assert code == 1
    errors = sorted(re.sub(r"ratio \d+:1", "ratio N:1", line) for line in err.splitlines() if line.startswith("error: "))
    assert errors == sorted([
        f"error: {missing}: no such file or directory",
        f"error: {d}/big.txt: file is 50.0 MB, over the 10.0 MB limit; raise --max-bytes",
        f"error: {d}/binary.txt: binary file, not text",
        f"error: {d}/bomb.zip!bomb.jsonl: compression ratio N:1 looks like a zip bomb; refused",
        f"error: {d}/dangling.txt: cannot read file (No such file or directory)",
        f"error: {d}/dump.jsonl:3: invalid JSON: Expecting value (column 10)",
        f"error: {d}/empty.txt: empty file",
        f"error: {d}/feed.rss: not XML (Start tag expected, '<' not found, line 1, column 1)",
        f"error: {d}/nocol.csv: no text column (looked for text, content, body, article, full_text, "
        "maintext); columns: title, summary; name it with --field text=NAME",
        f"error: {d}/short.export.CSV:4: expected 61 tab-separated columns (GDELT 2.0; 57 or 58 for 1.0), got 3",
    ])
    s = stats(home)
    gdelt_urls = {line.split("\t")[60] for line in rows[:6]}
    # 4 text files + 3 JSONL lines + one article per GDELT SOURCEURL
    assert s["articles"] == 7 + len(gdelt_urls)
    code2, err2 = run(home, "ingest", "--extractor", "gdelt", str(d))
    assert code2 == 1 and "0 written, nothing new" in err2  # failures again, nothing duplicated
    assert stats(home)["articles"] == s["articles"]


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root reads any file")
def test_unreadable_file_permissions(tmp_path: Path) -> None:
    p = tmp_path / "locked.jsonl"
    p.write_text('{"text": "x"}\n')
    p.chmod(0)
    try:
        code, err = run(tmp_path / "home", "ingest", "--extractor", "gdelt", str(p))
        assert code == 1 and f"error: {p}: permission denied" in err
    finally:
        p.chmod(0o644)


# ------------------------------------------------------------------ resume after kill -9

def test_kill_9_mid_run_then_resume_no_duplicate_no_loss(tmp_path: Path) -> None:
    n = gdelt_folder(tmp_path / "in", files=20, per_file=100)
    home = tmp_path / "home"
    cmd = [GRAPHKG, "--home", str(home), "--store", "oxigraph", "-q", "ingest", "--extractor", "gdelt",
           "--batch-size", "7", str(tmp_path / "in")]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while Journal.peek_count(home) < 150 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert proc.poll() is None, "the run finished before it could be killed; raise the input size"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    done_before = Journal.peek_count(home)
    assert 0 < done_before < n
    code, err = run(home, "ingest", "--extractor", "gdelt", "--batch-size", "50", str(tmp_path / "in"))
    assert code == 0, err
    assert "resuming interrupted run" in err
    s = stats(home)
    assert (s["articles"], s["relations"]) == (n, n)  # every article exactly once, none lost
    with _open(home) as store:
        urls = [a.url for a in store.articles()]
    assert len(urls) == len(set(urls)) == n
    assert Journal.peek_count(home) == n


class _open:
    def __init__(self, home: Path) -> None:
        self.store = OxigraphStore.open(home=home)

    def __enter__(self) -> OxigraphStore:
        return self.store

    def __exit__(self, *exc: object) -> None:
        self.store.close()


def test_resume_skips_clean_files_and_no_resume_rereads(tmp_path: Path) -> None:
    gdelt_folder(tmp_path / "in", files=3, per_file=20)
    home = tmp_path / "home"
    assert run(home, "ingest", "--extractor", "gdelt", str(tmp_path / "in"))[0] == 0
    code, err = run(home, "ingest", "--extractor", "gdelt", str(tmp_path / "in"))
    assert code == 0 and "3 unchanged file(s) skipped" in err and "0 article(s) read" in err
    code, err = run(home, "ingest", "--extractor", "gdelt", "--no-resume", str(tmp_path / "in"))
    assert code == 0 and "60 article(s) read, 60 skipped as already ingested" in err


def test_two_workers_same_result_as_one(tmp_path: Path) -> None:
    gdelt_folder(tmp_path / "in", files=4, per_file=25)
    assert run(tmp_path / "h1", "ingest", "--extractor", "gdelt", str(tmp_path / "in"))[0] == 0
    code, err = run(tmp_path / "h2", "ingest", "--extractor", "gdelt", "--workers", "2", "--batch-size", "9",
                    str(tmp_path / "in"))
    assert code == 0, err
    assert stats(tmp_path / "h1") == stats(tmp_path / "h2")
    assert stats(tmp_path / "h2")["articles"] == 100


# ------------------------------------------------------------------ updates and removal

MA = EntityRef("Maroc", "Morocco", EntityType.COUNTRY, "wd:Q1028")
FR = EntityRef("France", "France", EntityType.COUNTRY, "wd:Q142")
SN = EntityRef("Sénégal", "Senegal", EntityType.COUNTRY, "wd:Q1041")


class ByText:
    """Candidates chosen by a keyword in the text (pipeline under test, not the NLP)."""

    name, version = "bytext", "1"

    def extract(self, article: Article) -> list[Candidate]:
        pairs = [(FR, MA)] if "France" in article.text else []
        pairs += [(SN, MA)] if "Sénégal" in article.text else []
        return [Candidate(s, Predicate.SUPPORTS, o, article.text, 0, len(article.text), 0.9, "t/1") for s, o in pairs]


def test_changed_article_same_url_replaces_its_relations(tmp_path: Path) -> None:
    store, journal = OxigraphStore.open(home=tmp_path), Journal.open(tmp_path)
    try:
        # pages (versioned: the URL names the page, as the HTML and feed readers say)
        old = Article.make("La France soutient le Maroc.", "a.txt", url="https://x.org/a", versioned=True)
        other = Article.make("La France soutient le Maroc, dit un autre.", "b.txt", url="https://x.org/b", versioned=True)
        ingest_items([old, other], store, ByText(), IngestOptions(gazetteer=False), journal=journal)
        new = Article.make("Le Sénégal soutient le Maroc.", "a.txt", url="https://x.org/a", versioned=True)
        rep = ingest_items([new], store, ByText(), IngestOptions(gazetteer=False), journal=journal)
        assert rep.replaced == 1 and not store.has_article(old.id) and store.has_article(new.id)
        assert sorted((r.subject.id, r.provenance.article_id) for r in store.relations()) == sorted(
            [("wd:Q142", other.id), ("wd:Q1041", new.id)])
        assert {e.id for e in store.entities()} == {"wd:Q142", "wd:Q1028", "wd:Q1041"}  # France still mentioned
        assert journal.owner_of("https://x.org/a") == new.id
    finally:
        store.close()
        journal.close()


def test_remove_article_by_url_and_id(tmp_path: Path) -> None:
    home = tmp_path / "home"
    assert run(home, "ingest", "--extractor", "gdelt", str(SAMPLE))[0] == 0
    before = stats(home)
    with _open(home) as store:
        art = next(a for a in store.articles() if any(store.relations(article=a.id)))
        n_rel = len(list(store.relations(article=art.id)))
    code, err = run(home, "remove", "--article", str(art.url))
    assert code == 0 and f"removed article {art.id} and {n_rel} relation(s)" in err
    after = stats(home)
    assert after["articles"] == before["articles"] - 1  # type: ignore[operator]
    assert after["relations"] == before["relations"] - n_rel  # type: ignore[operator]
    code, err = run(home, "remove", "--article", art.id)
    assert code == 1 and f"error: {art.id}: no article with this id in the store" in err
    assert run(home, "ingest", "--extractor", "gdelt", str(SAMPLE))[0] == 0  # file re-read, article back
    assert stats(home)["relations"] == before["relations"]


def test_stats_json_keys(tmp_path: Path) -> None:
    home = tmp_path / "home"
    assert run(home, "ingest", "--extractor", "gdelt", str(SAMPLE))[0] == 0
    s = stats(home)
    assert {"articles", "entities", "relations", "by_type", "by_predicate"} <= s.keys()
    by_pred = s["by_predicate"]
    assert isinstance(by_pred, dict) and sum(by_pred.values()) == s["relations"]
    assert set(by_pred) <= {p.value for p in Predicate}
    assert s["by_type"] == {"Country": s["entities"]}


def test_a_lone_surrogate_costs_nothing_and_a_fifo_is_skipped(tmp_path: Path) -> None:
    """Half an emoji in a JSONL dump ('\\ud83d') used to fail the whole file; a FIFO in the input
    hung the run. Now the text is made valid, the FIFO gets one line, the rest goes in."""
    from click.testing import CliRunner

    from graphkg.cli import cli
    from graphkg.stores.oxigraph import OxigraphStore

    src = tmp_path / "in"
    src.mkdir()
    (src / "dump.jsonl").write_text(
        '{"text": "Chile recalled its ambassador to Peru on Monday. Cut \\ud83d here.", "language": "en"}\n'
        '{"text": "Peru recalled its ambassador to Chile on Tuesday.", "language": "en"}\n', encoding="utf-8")
    os.mkfifo(src / "pipe.txt")
    res = CliRunner().invoke(cli, ["--home", str(tmp_path / "home"), "ingest", str(src)])
    assert res.exit_code == 1, res.output
    errors = [line for line in res.stderr.splitlines() if line.startswith("error:")]
    assert errors == [f"error: {src / 'pipe.txt'}: not a regular file (FIFO); skipped"], res.stderr
    assert "2 article(s) read" in res.stderr and "2 written" in res.stderr
    store = OxigraphStore.open(home=tmp_path / "home")
    try:
        assert sorted(a.source for a in store.articles()) == [f"{src / 'dump.jsonl'}:1", f"{src / 'dump.jsonl'}:2"]
    finally:
        store.close()


@pytest.mark.slow
def test_interruption_drill_kill_int_term_with_one_and_two_workers(tmp_path: Path) -> None:
    """A shorter form of the 22-interruption drill: kill -9, Ctrl-C and SIGTERM at chosen
    moments, with one and two workers, each run resumed by the next; the store ends identical
    to a clean run's: every article and relation once, none lost."""
    n = gdelt_folder(tmp_path / "in", files=12, per_file=100)
    base = [GRAPHKG, "--store", "oxigraph", "-q", "ingest", "--extractor", "gdelt", "--batch-size", "9",
            str(tmp_path / "in")]
    clean = tmp_path / "clean"
    assert subprocess.run([GRAPHKG, "--home", str(clean), *base[1:]], capture_output=True, timeout=600).returncode == 0
    home = tmp_path / "home"
    drill = [(signal.SIGKILL, 1, 100), (signal.SIGINT, 1, 300), (signal.SIGTERM, 2, 500),
             (signal.SIGKILL, 2, 700), (signal.SIGKILL, 1, 900)]
    interrupted = 0
    for sig, workers, at in drill:
        proc = subprocess.Popen([GRAPHKG, "--home", str(home), *base[1:], "--workers", str(workers)],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 120
        while Journal.peek_count(home) < at and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)
        if proc.poll() is None:
            proc.send_signal(sig)
            interrupted += 1
        proc.wait(timeout=120)
    assert interrupted >= 4, "the runs finished before they could be interrupted; raise the input size"
    code, err = run(home, "ingest", "--extractor", "gdelt", str(tmp_path / "in"))
    assert code == 0, err
    with _open(clean) as a, _open(home) as b:
        ids_a, ids_b = sorted(x.id for x in a.articles()), sorted(x.id for x in b.articles())
        rel_a = sorted((r.subject.id, r.predicate.value, r.object.id, r.provenance.article_id) for r in a.relations())
        rel_b = sorted((r.subject.id, r.predicate.value, r.object.id, r.provenance.article_id) for r in b.relations())
    assert len(ids_a) == n and ids_b == ids_a  # none lost, none twice
    assert rel_b == rel_a
