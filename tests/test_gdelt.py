"""GDELT event exports: CAMEO mapping, actors, provenance, merging, bad rows (real sample data)."""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from graphkg.errors import LoaderError
from graphkg.resolve.gazetteer import default_gazetteer
from graphkg.loaders.gdelt import REFINE, GdeltExtractor, GdeltReader, cameo_map
from graphkg.model import Article
from graphkg.vocab import Predicate, predicate_info
from graphkg.pipeline import IngestOptions, ingest_items, resolve_candidates
from graphkg.stores.memory import MemoryStore

SAMPLE = Path(__file__).parent / "data" / "gdelt" / "20250807220000.export.CSV"
ROWS = SAMPLE.read_text(encoding="utf-8").splitlines()


def row(**changes: str) -> str:
    """The sample's first row with some columns replaced (names from HEADER.txt)."""
    header = (SAMPLE.parent / "HEADER.txt").read_text().split()
    f = ROWS[0].split("\t")
    for k, v in changes.items():
        f[header.index(k)] = v
    return "\t".join(f)


def read(text: str, name: str = "x.export.CSV") -> tuple[list[Article], list[str], GdeltReader]:
    reader = GdeltReader()
    items = reader.read(text.encode("utf-8"), name)
    return ([i for i in items if isinstance(i, Article)], [str(i) for i in items if isinstance(i, LoaderError)], reader)


def test_sample_maps_through_the_ontology_cameo_roots() -> None:
    arts, errs, reader = read(SAMPLE.read_text(encoding="utf-8"))
    assert errs == []
    assert reader.stats["rows"] == 305
    assert reader.stats["skipped: CAMEO root without predicate"] > 0  # roots 01, 08-11, 14-20
    assert len({a.url for a in arts}) == len(arts)  # one article per SOURCEURL
    preds: Counter[Predicate] = Counter()
    for a in arts:
        res = resolve_candidates(a, GdeltExtractor().extract(a), lookup=default_gazetteer().get)
        assert res.rejected == ()  # every candidate fits the ontology's domain and range
        for r in res.relations:
            preds[r.predicate] += 1
            cameo = dict(r.properties)["cameo"]
            want = REFINE.get(cameo[:3], (None,))[0] or r.predicate
            assert predicate_info(want).cameo == cameo[:2]
            assert r.provenance.url == a.url and r.provenance.extractor.startswith("gdelt/")
            assert {"quad_class", "goldstein", "gdelt_events"} <= dict(r.properties).keys()
    assert preds[Predicate.VISITS] and preds[Predicate.MEETS] and preds[Predicate.REQUESTS]


def test_actor_ids_are_the_gazetteer_ids_the_text_extractor_links() -> None:
    m = cameo_map()
    gaz = default_gazetteer()
    assert m.actor("USA", "UNITED STATES", "USA", "") == gaz.lookup("United States")[0].entity
    assert m.actor("ROM", "ROMANIA", "ROM", "").id == gaz.lookup("Romania")[0].entity.id  # CAMEO, not ISO
    assert m.actor("IGOUNO", "UNITED NATIONS", "", "UNO").id == gaz.lookup("ONU")[0].entity.id
    assert m.actor("AFR", "AFRICA", "AFR", "") is None  # a region is not an actor
    assert m.actor("", "POLICE", "", "") is None


def test_visit_host_reversed_and_provenance_dates() -> None:
    text = "\n".join([
        row(GLOBALEVENTID="1", EventCode="043", EventBaseCode="043", EventRootCode="04", Actor1CountryCode="MAR",
            Actor1Code="MAR", Actor1Name="MOROCCO", Actor2Code="FRA", Actor2Name="FRANCE", Actor2CountryCode="FRA",
            SQLDATE="20250806", SOURCEURL="https://www.example.org/a"),
        row(GLOBALEVENTID="2", EventCode="036", EventBaseCode="036", EventRootCode="03", Actor1CountryCode="ISR",
            Actor2Code="USA", Actor2Name="US", Actor2CountryCode="USA", SOURCEURL="https://www.example.org/a"),
    ])
    (a,), errs, _ = read(text)
    assert errs == [] and a.url == "https://www.example.org/a" and a.publisher == "example.org"
    assert a.published == date(2025, 8, 7)  # DATEADDED
    rels = {(r.subject.id, r.predicate, r.object.id): r for r in resolve_candidates(a, GdeltExtractor().extract(a)).relations}
    fr, ma = default_gazetteer().by_code("FRA"), default_gazetteer().by_code("MAR")
    assert fr is not None and ma is not None
    visit = rels[(fr.id, Predicate.VISITS, ma.id)]  # Morocco hosts France: France visits Morocco
    assert visit.date == "2025-08-06" and dict(visit.properties)["goldstein"] == "5.0"
    assert len(rels) == 2


def test_duplicate_events_merge_and_reingest_is_idempotent(tmp_path: Path) -> None:
    base = dict(EventCode="040", EventBaseCode="040", EventRootCode="04", Actor1CountryCode="MAR",
                Actor1Code="MAR", Actor2Code="DZA", Actor2CountryCode="DZA", Actor2Name="ALGERIA")
    text = "\n".join([row(GLOBALEVENTID="11", **base), row(GLOBALEVENTID="12", **base),
                      row(GLOBALEVENTID="11", **base)])  # 12: same actors and URL; 11 twice
    (a,), _, reader = read(text)
    assert reader.stats["duplicate event id"] == 1
    (c,) = GdeltExtractor().extract(a)
    assert dict(c.properties)["gdelt_events"] == "11 12"
    store = MemoryStore()
    p = tmp_path / "e.export.CSV"
    p.write_text(text)
    from graphkg.pipeline.sources import read_sources
    first = ingest_items(read_sources([str(p)]), store, GdeltExtractor(), IngestOptions(gazetteer=False))
    again = ingest_items(read_sources([str(p)]), store, GdeltExtractor(), IngestOptions(gazetteer=False))
    assert (first.articles_written, first.relations_written) == (1, 1)
    assert (again.skipped, again.articles_written, store.counts().relations) == (1, 0, 1)


def test_bad_rows_reported_with_line_numbers_rest_loaded() -> None:
    good2 = row(GLOBALEVENTID="99", SOURCEURL="https://b.org/x", EventCode="042", EventBaseCode="042",
                EventRootCode="04", Actor2Code="USA", Actor2CountryCode="USA", Actor2Name="US")
    short = "\t".join(ROWS[0].split("\t")[:40])
    v1 = "\t".join(ROWS[0].split("\t")[:58])
    text = "\n".join([ROWS[0], short, "", "abc\t" + "\t".join(ROWS[0].split("\t")[1:]), v1, good2])
    arts, errs, _ = read(text)
    assert errs == [
        "x.export.CSV:2: expected 61 tab-separated columns (GDELT 2.0; 57 or 58 for 1.0), got 40",
        "x.export.CSV:4: not an event row (GLOBALEVENTID 'abc', SQLDATE '20240807')",
        "x.export.CSV:5: expected 61 columns like the rows before, got 58",
    ]
    assert [a.url for a in arts] == ["https://b.org/x"]


def test_gdelt_1_layouts() -> None:
    f = row(GLOBALEVENTID="5", EventCode="042", EventBaseCode="042", EventRootCode="04",
            Actor2Code="USA", Actor2CountryCode="USA", Actor2Name="US").split("\t")
    geo = f[35:59]
    v1_geo = geo[0:4] + geo[5:12] + geo[13:20] + geo[21:24]  # drop the three ADM2Code columns
    daily = "\t".join(f[:35] + v1_geo + ["20130401", "https://old.org/1"])
    backfile = "\t".join(f[:35] + v1_geo + ["20130401"])
    (a,), errs, _ = read(daily)
    assert errs == [] and a.url == "https://old.org/1" and a.published == date(2013, 4, 1)
    assert len(GdeltExtractor().extract(a)) == 1
    (b,), errs, _ = read(backfile)
    assert errs == [] and b.url is None and len(GdeltExtractor().extract(b)) == 1


@pytest.mark.parametrize("data", [b"", b"\n\n"])
def test_empty_gdelt_file(data: bytes) -> None:
    if data:
        assert GdeltReader().read(data, "e.export.CSV") == []
    else:
        with pytest.raises(LoaderError, match="e.export.CSV: empty file"):
            GdeltReader().read(data, "e.export.CSV")


# -- same SOURCEURL in two exports; QuadClass and Goldstein in the embedded store ------------

URL = "https://www.example.org/same-page"
VISIT = dict(EventCode="042", EventBaseCode="042", EventRootCode="04", Actor1Code="MAR", Actor1Name="MOROCCO",
             Actor1CountryCode="MAR", Actor2Code="FRA", Actor2Name="FRANCE", Actor2CountryCode="FRA",
             QuadClass="1", GoldsteinScale="1.9", SOURCEURL=URL)
APPEAL = dict(EventCode="036", EventBaseCode="036", EventRootCode="03", Actor1Code="ISR", Actor1CountryCode="ISR",
              Actor2Code="USA", Actor2Name="US", Actor2CountryCode="USA", QuadClass="1", GoldsteinScale="4",
              SOURCEURL=URL)


def _exports(folder: Path) -> tuple[Path, Path]:
    """Two 15-minute exports citing the same page: the second adds new events from it."""
    folder.mkdir()
    a, b = folder / "20250807220000.export.CSV", folder / "20250807221500.export.CSV"
    a.write_text(row(GLOBALEVENTID="1", DATEADDED="20250807220000", **VISIT) + "\n")
    b.write_text("\n".join([row(GLOBALEVENTID="2", DATEADDED="20250807221500", **APPEAL),
                            row(GLOBALEVENTID="3", DATEADDED="20250807221500", **VISIT)]) + "\n")
    return a, b


def _events(store: object) -> list[str]:
    return sorted(r.provenance.evidence.split(":")[0] for r in store.relations())  # type: ignore[attr-defined]


@pytest.mark.parametrize("together", [False, True], ids=["two-runs", "one-batch"])
def test_same_url_in_two_exports_loses_no_event(tmp_path: Path, together: bool) -> None:
    from graphkg.pipeline.journal import Journal
    from graphkg.pipeline.sources import read_sources
    from graphkg.stores.oxigraph import OxigraphStore

    a, b = _exports(tmp_path / "in")
    store, journal = OxigraphStore.open(home=tmp_path), Journal.open(tmp_path)  # as `graphkg ingest` does
    try:
        runs = [[a, b]] if together else [[a], [b]]
        reports = [ingest_items(read_sources([str(p) for p in paths]), store, GdeltExtractor(),
                                IngestOptions(gazetteer=False), journal=journal)
                   for paths in runs]
        assert sum(r.articles_written for r in reports) == 2 and all(r.replaced == 0 for r in reports)
        assert _events(store) == ["GDELT event 1", "GDELT event 2", "GDELT event 3"]
        assert {x.url for x in store.articles()} == {URL}
        again = ingest_items(read_sources([str(a), str(b)]), store, GdeltExtractor(), IngestOptions(gazetteer=False),
                             journal=journal)
        assert (again.skipped, again.articles_written) == (2, 0)  # re-ingesting either file adds nothing
        assert len(_events(store)) == 3
    finally:
        store.close()
        journal.close()


def test_article_id_depends_on_events_not_file_name() -> None:
    (first,), _, _ = read(row(GLOBALEVENTID="1", **VISIT), "a.export.CSV")
    (renamed,), _, _ = read(row(GLOBALEVENTID="1", **VISIT), "copy/b.export.CSV")
    (other,), _, _ = read(row(GLOBALEVENTID="3", **VISIT), "a.export.CSV")
    assert first.id == renamed.id != other.id and first.url == other.url == URL


def test_quad_class_and_goldstein_kept_by_the_embedded_store() -> None:
    from graphkg.pipeline.sources import read_sources
    from graphkg.stores.oxigraph import OxigraphStore

    memory, ox = MemoryStore(), OxigraphStore.open()
    for store in (memory, ox):
        ingest_items(read_sources([str(SAMPLE)]), store, GdeltExtractor(), IngestOptions())

    def props(store: object) -> dict[str, tuple[str | None, str | None]]:
        return {r.key: (dict(r.properties).get("quad_class"), dict(r.properties).get("goldstein"))
                for r in store.relations()}  # type: ignore[attr-defined]

    got, want = props(ox), props(memory)
    assert got == want and len(got) == 17
    assert {q for q, _ in got.values()} == {"1", "3", "4"} and ("3", "-4.4") in got.values()
    rows = ox.query("SELECT DISTINCT (DATATYPE(?q) AS ?tq) (DATATYPE(?g) AS ?tg) WHERE { "
                    "?a gkg:quadClass ?q ; gkg:goldstein ?g }")
    assert [(r["tq"].value, r["tg"].value) for r in rows] == [
        ("http://www.w3.org/2001/XMLSchema#integer", "http://www.w3.org/2001/XMLSchema#decimal")]


def test_gdelt_assertions_conform_to_the_shapes() -> None:
    import io

    import pyoxigraph
    from rdflib import Dataset, Literal, Namespace

    from graphkg.rdf.shacl import validate_graph
    from graphkg.stores.oxigraph import OxigraphStore

    store = OxigraphStore.open()
    (article,), _, _ = read("\n".join([row(GLOBALEVENTID="1", **VISIT), row(GLOBALEVENTID="2", **APPEAL)]))
    res = resolve_candidates(article, GdeltExtractor().extract(article), lookup=default_gazetteer().get)
    store.write([(res.article, res.relations, res.mentions)])
    buf = io.BytesIO()
    store.dump(buf, pyoxigraph.RdfFormat.N_QUADS)
    ds = Dataset()
    ds.parse(data=buf.getvalue().decode("utf-8"), format="nquads")
    report = validate_graph(ds)
    assert report.conforms, report.text
    gkg = Namespace("https://w3id.org/graphkg/ontology#")
    (s, _, _, g), *_ = ds.quads((None, gkg.quadClass, None, None))
    ds.graph(g).set((s, gkg.quadClass, Literal("five")))  # not an xsd:integer from 1 to 4
    assert not validate_graph(ds).conforms


def test_remove_by_url_removes_every_article_of_that_url(tmp_path: Path) -> None:
    import json

    from click.testing import CliRunner

    from graphkg.cli import cli

    a, b = _exports(tmp_path / "in")
    home = str(tmp_path / "home")
    run = CliRunner().invoke
    assert run(cli, ["--home", home, "ingest", "--extractor", "gdelt", str(a), str(b)]).exit_code == 0
    assert json.loads(run(cli, ["--home", home, "stats", "--format", "json"]).stdout)["articles"] == 2
    res = run(cli, ["--home", home, "remove", "--article", URL])
    assert res.exit_code == 0, res.output
    assert res.stderr.count("removed article") == 2
    stats = json.loads(run(cli, ["--home", home, "stats", "--format", "json"]).stdout)
    assert (stats["articles"], stats["relations"]) == (0, 0)
