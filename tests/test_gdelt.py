"""GDELT event exports: CAMEO mapping, actors, provenance, merging, bad rows (real sample data)."""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from graphkg.errors import LoaderError
from graphkg.gazetteer import default_gazetteer
from graphkg.loaders.gdelt import REFINE, GdeltExtractor, GdeltReader, cameo_map
from graphkg.model import Article
from graphkg.ontology import Predicate, predicate_info
from graphkg.pipeline import ingest, resolve_candidates
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
    from graphkg.loaders.readers import read_sources
    first = ingest(read_sources([str(p)]), store, GdeltExtractor())
    again = ingest(read_sources([str(p)]), store, GdeltExtractor())
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
