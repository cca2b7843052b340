"""Pipeline: resolution, ontology checks, batching, idempotency, report."""

from __future__ import annotations

from pathlib import Path

from graphkg.errors import LoaderError
from graphkg.model import Article, Candidate, Entity, EntityRef
from graphkg.vocab import EntityType, Predicate
from graphkg.pipeline import IngestOptions, ingest_items, resolve_candidates
from graphkg.stores import Store

MA = EntityRef("Maroc", "Morocco", EntityType.COUNTRY, "wd:Q1028", "gazetteer")
KZ = EntityRef("Kazakhstan", "Kazakhstan", EntityType.COUNTRY, "wd:Q232", "gazetteer")
NB = EntityRef("Bourita", "Nasser Bourita", EntityType.PERSON, None, "ner+surname")
PLAN = EntityRef("plan d'autonomie", "Moroccan Autonomy Plan", EntityType.DOCUMENT, None, "document")


def cand(s: EntityRef, p: Predicate, o: EntityRef, conf: float = 0.9) -> Candidate:
    return Candidate(s, p, o, "Une phrase.", 0, 11, conf, "test/1", cue="x", pattern="t")


class ListExtractor:
    """Returns fixed candidates: the pipeline is under test here, not the NLP."""

    name, version = "list", "1"

    def __init__(self, cands: list[Candidate]) -> None:
        self.cands = cands
        self.calls = 0

    def extract(self, article: Article) -> list[Candidate]:
        self.calls += 1
        return self.cands


def test_resolve_rejects_domain_range_violations_with_reasons() -> None:
    art = Article.make("Une phrase.", "a.txt", lang="fr")
    res = resolve_candidates(art, [
        cand(KZ, Predicate.SUPPORTS, MA),
        cand(MA, Predicate.REPRESENTS, KZ),        # REPRESENTS needs a Person subject
        cand(KZ, Predicate.SIGNS, MA),             # SIGNS needs a Document object
        cand(MA, Predicate.PROPOSES, PLAN),
        cand(KZ, Predicate.SUPPORTS, KZ),          # self loop
    ])
    assert [(r.subject.id, r.predicate, r.object.id) for r in res.relations] == [
        ("wd:Q232", Predicate.SUPPORTS, "wd:Q1028"),
        ("wd:Q1028", Predicate.PROPOSES, "document/moroccan-autonomy-plan"),
    ]
    reasons = [r.reason for r in res.rejected]
    assert "REPRESENTS subject must be one of ['Person'], got Country" in reasons
    assert any("SIGNS object must be one of ['Document']" in x for x in reasons)
    assert any("to itself" in x for x in reasons)


def test_min_confidence_and_article_date_fallback() -> None:
    from datetime import date
    art = Article.make("Une phrase.", "a.txt", published=date(2025, 4, 28))
    res = resolve_candidates(art, [cand(KZ, Predicate.SUPPORTS, MA, 0.4), cand(NB, Predicate.REPRESENTS, MA, 0.8)],
                             min_confidence=0.5)
    assert [r.predicate for r in res.relations] == [Predicate.REPRESENTS]
    assert res.relations[0].date == "2025-04-28"
    assert res.relations[0].subject.id == "person/nasser-bourita"
    assert "below --min-confidence" in res.rejected[0].reason


def test_lookup_enriches_entities() -> None:
    art = Article.make("x", "a.txt")
    gaz = {"wd:Q1028": Entity("wd:Q1028", "Morocco", EntityType.COUNTRY, ("Maroc", "Rabat"), "Q1028")}
    res = resolve_candidates(art, [cand(KZ, Predicate.SUPPORTS, MA)], lookup=lambda i: gaz.get(i) or
                             Entity(i, i, EntityType.COUNTRY))
    morocco = res.relations[0].object
    assert morocco.qid == "Q1028" and "Rabat" in morocco.aliases


def test_ingest_report_skip_and_errors(store: Store) -> None:
    ex = ListExtractor([cand(KZ, Predicate.SUPPORTS, MA), cand(MA, Predicate.REPRESENTS, KZ)])
    a1, a2 = Article.make("premier", "1.txt"), Article.make("second", "2.txt")
    items = [a1, LoaderError("bad.bin", "binary file, not text"), a2, a1]
    rep = ingest_items(items, store, ex, IngestOptions(gazetteer=False, batch_size=1))
    assert (rep.read, rep.skipped, rep.articles_written, rep.relations_written) == (3, 1, 2, 2)
    assert [(e.source, e.reason) for e in rep.errors] == [("bad.bin", "binary file, not text")]
    assert len(rep.rejected) == 2
    again = ingest_items([a1, a2], store, ex, IngestOptions(gazetteer=False))
    assert (again.read, again.skipped, again.relations_written) == (2, 2, 0)
    assert ex.calls == 2  # skipped articles are not re-extracted
    assert store.counts().relations == 2


class _Plan:
    """A Progress that records what the run told it."""

    def __init__(self) -> None:
        self.plan: tuple[int, int | None, int] | None = None
        self.items: list[tuple[str, str]] = []

    def planned(self, files: int, resumed_run: int | None, done_before: int) -> None:
        self.plan = (files, resumed_run, done_before)

    def item(self, source: str, status: str) -> None:
        self.items.append((source, status))


def test_run_takes_paths_and_articles_and_reports_missing_paths(tmp_path: Path) -> None:
    from graphkg.pipeline import run
    from graphkg.stores.oxigraph import OxigraphStore

    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text("La France soutient le Maroc.", encoding="utf-8")
    given = Article.make("Un article construit en code.", "code")
    ex = ListExtractor([cand(KZ, Predicate.SUPPORTS, MA)])
    options = IngestOptions(extractor=ex, gazetteer=False, home=tmp_path / "home")
    store = OxigraphStore.open(home=tmp_path / "home")
    try:
        progress = _Plan()
        rep = run([str(tmp_path / "in"), given, str(tmp_path / "nope.txt")], store, options, progress=progress)
        assert (rep.read, rep.articles_written) == (2, 2)
        assert [(e.source, e.reason) for e in rep.errors] == [(str(tmp_path / "nope.txt"), "no such file or directory")]
        assert progress.plan == (1, None, 0) and {s for _, s in progress.items} == {"read"}
        again = run([str(tmp_path / "in")], store, options)  # the journal knows the file: not read again
        assert (again.read, again.files_skipped, again.articles_written) == (0, 1, 0)
    finally:
        store.close()


def test_extract_yields_resolved_results_and_file_errors(tmp_path: Path) -> None:
    from graphkg.pipeline import FileError, extract_relations

    (tmp_path / "a.txt").write_text("La France soutient le Maroc.", encoding="utf-8")
    (tmp_path / "b.bin").write_bytes(b"\x00\x01")
    ex = ListExtractor([cand(KZ, Predicate.SUPPORTS, MA), cand(MA, Predicate.REPRESENTS, KZ)])
    out = list(extract_relations([str(tmp_path)], IngestOptions(extractor=ex, gazetteer=False)))
    (result,) = [r for r in out if not isinstance(r, FileError)]
    (error,) = [r for r in out if isinstance(r, FileError)]
    assert [(r.subject.id, r.predicate) for r in result.relations] == [("wd:Q232", Predicate.SUPPORTS)]
    assert len(result.rejected) == 1 and error.source.endswith("b.bin")
