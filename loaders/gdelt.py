"""GDELT event exports (2.0: 61 columns; 1.0: 57 or 58) → one article per SOURCEURL → candidates.

How a row becomes a candidate:

* **Predicate** from the CAMEO root code (``EventRootCode``) through the ontology's
  ``gkg:cameoRoot`` on each predicate (:func:`graphkg.vocab.predicate_info`), keeping only
  predicates that relate two actors (Country in domain and range). When several share a root,
  the first in ontology order wins (``04`` → MEETS, ``05`` → SUPPORTS) except for the few base
  codes :data:`REFINE` names (``042`` make a visit / ``043`` host a visit → VISITS, the host
  reversed; ``054`` recognition → RECOGNIZES), used only if the ontology gives them that root.
  Roots without a predicate (``01`` statements, ``08``–``11``, ``14``, ``15``, ``17``–``20``)
  are skipped and counted.
* **Actors** from ``Actor1CountryCode``/``Actor2CountryCode`` (ISO alpha-3 through the
  gazetteer, other CAMEO codes such as ``ROM`` through their name in ``cameo-countries.tsv``)
  or, for international organisations (``IGO…`` codes, known-group codes), from the actor name
  in the gazetteer: the same ``wd:Q…`` ids the text extractor links. Rows with an actor that
  resolves to no country or organisation are skipped and counted.
* **Properties** kept on the candidate: ``cameo`` (EventCode), ``quad_class``, ``goldstein``,
  ``gdelt_events`` (GLOBALEVENTIDs merged into it), ``num_mentions``. The RDF mapping
  (:mod:`graphkg.rdf.quads`) keeps QuadClass and Goldstein as ``gkg:quadClass`` (xsd:integer) and
  ``gkg:goldstein`` (xsd:decimal); the other properties live in the memory and Neo4j stores
  and in ``graphkg extract`` output.
* **Provenance**: the article is a SOURCEURL *as reported in one export file*: its id hashes
  the URL and the GLOBALEVENTIDs of the file's rows citing it. Re-ingesting a file is a no-op,
  and a URL that a later export cites again (new events from the same page) becomes a second
  article with those events, so no event is lost. Its date is DATEADDED, the relation's date
  SQLDATE. Duplicate events (same actors, predicate and URL) merge into one relation.

The reader groups a file's mapped rows by SOURCEURL into articles whose text is those rows; the
:class:`GdeltExtractor` turns such an article back into candidates, so GDELT goes through the
same pipeline (journal, workers, store) as text. Data: The GDELT Project, gdeltproject.org.
"""

from __future__ import annotations

import functools
import io
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import BinaryIO
from urllib.parse import urlsplit

from graphkg.errors import GraphkgError, LoaderError
from graphkg.model import Article, Candidate, Entity, EntityRef, article_id
from graphkg.vocab import EntityType, Predicate, actor_types, data_path, predicate_info, symmetric_predicates
from graphkg.vocab.terms import decimal_text

__all__ = ["GdeltReader", "GdeltExtractor", "CameoMap", "REFINE", "LAYOUTS", "gdelt_article_id", "goldstein_text",
           "is_gdelt_text"]

#: column count → (DATEADDED index, SOURCEURL index or None)
LAYOUTS = {61: (59, 60), 58: (56, 57), 57: (56, None)}
#: base code → (predicate, actor2 is the subject)
REFINE: dict[str, tuple[Predicate, bool]] = {
    "042": (Predicate.VISITS, False), "043": (Predicate.VISITS, True), "054": (Predicate.RECOGNIZES, False),
}
_ID, _SQLDATE, _ROOTFLAG, _CODE, _BASE, _ROOT, _QUAD, _GOLD, _MENTIONS = 0, 1, 25, 26, 27, 28, 29, 30, 31
_A1, _A2 = (5, 6, 7, 8), (15, 16, 17, 18)  # Code, Name, CountryCode, KnownGroupCode
_MAPPED_COLUMNS = 29  # CameoMap.map reads columns 0-28 only
_VERSION = "1.0.0"


def gdelt_article_id(url: str | None, fallback: str = "", events: Iterable[str] = ()) -> str:
    """Article id of a SOURCEURL as cited by the GDELT events ``events`` (GLOBALEVENTIDs).

    The same rows give the same id whatever the file is called; other events citing the same
    URL (in a later export) give another id. Without ``events``: the URL alone.
    """
    ids = sorted(set(events), key=lambda x: (len(x), x))
    return article_id("gdelt", (url or fallback) + ("#" + ",".join(ids) if ids else ""))


def goldstein_text(value: str) -> str | None:
    """Goldstein score in canonical decimal form (what the RDF store gives back), or ``None``.

    >>> goldstein_text("-10"), goldstein_text("1.90"), goldstein_text(""), goldstein_text("11")
    ('-10.0', '1.9', None, None)
    """
    try:
        score = float(value)
    except ValueError:
        return None
    return decimal_text(score) if -10.0 <= score <= 10.0 else None


def is_gdelt_text(text: str) -> bool:
    """True when ``text`` starts with a GDELT event row (what :class:`GdeltReader` produces)."""
    first = text[:4096].split("\n", 1)[0].split("\t")
    return len(first) in LAYOUTS and first[0].isdigit()


def _yyyymmdd(value: str) -> date | None:
    if len(value) < 8 or not value[:8].isdigit():
        return None
    try:
        return date(int(value[:4]), int(value[4:6]), int(value[6:8]))
    except ValueError:
        return None


@dataclass(frozen=True, slots=True)
class Mapped:
    """A row the mapping accepts: predicate and both actors resolved."""

    subject: Entity
    predicate: Predicate
    object: Entity


class CameoMap:
    """CAMEO codes → ontology predicates and gazetteer entities (cached per code)."""

    def __init__(self) -> None:
        from graphkg.resolve.gazetteer import default_gazetteer

        self.gazetteer = default_gazetteer()
        self.by_root: dict[str, Predicate] = {}
        for p in Predicate:  # ontology order: the first predicate of a root is its default
            info = predicate_info(p)
            if info.cameo and EntityType.COUNTRY in info.domain and EntityType.COUNTRY in info.range:
                self.by_root.setdefault(info.cameo, p)
        self.refine = {code: v for code, v in REFINE.items() if predicate_info(v[0]).cameo == code[:2]}
        self.countries = _table("cameo-countries.tsv")
        self.events = _table("cameo-eventcodes.tsv")
        self._actors: dict[tuple[str, str, str, str], Entity | None] = {}
        self._roots = {root: (p, False) for root, p in self.by_root.items()}

    def predicate(self, root: str, base: str) -> tuple[Predicate, bool] | None:
        return self.refine.get(base) or self._roots.get(root)

    def actor(self, code: str, name: str, country: str, group: str) -> Entity | None:
        key = (code, name, country, group)
        if key not in self._actors:
            self._actors[key] = self._resolve(code, name, country, group)
        return self._actors[key]

    def _resolve(self, code: str, name: str, country: str, group: str) -> Entity | None:
        g = self.gazetteer
        if country:
            e = g.by_code(country.upper())
            if e is None and country.upper() in self.countries:
                found = [x.entity for x in g.lookup(self.countries[country.upper()])]
                e = next((x for x in found if x.type is EntityType.COUNTRY), None)
            # a CAMEO country code names a state or a body, never a person
            return e if e is not None and e.type in actor_types() - {EntityType.PERSON} else None
        if name and (group or code.upper().startswith(("IGO", "NGO"))):
            found = [x.entity for x in g.lookup(name) if x.kind in ("name", "official", "acronym", "alias")]
            return next((x for x in found if x.type is EntityType.ORGANIZATION), None)
        return None

    def map(self, f: list[str]) -> Mapped | str:
        """The mapped row, or the reason it is skipped (a counter key)."""
        code = f[_CODE]
        choice = self.refine.get(f[_BASE] or code[:3]) or self._roots.get(f[_ROOT] or code[:2])
        if choice is None:
            return "CAMEO root without predicate"
        k1, k2 = (f[5], f[6], f[7], f[8]), (f[15], f[16], f[17], f[18])  # _A1, _A2
        if not any(k1) or not any(k2):
            return "one actor only"
        actors = self._actors
        a1 = actors[k1] if k1 in actors else self.actor(*k1)
        a2 = actors[k2] if k2 in actors else self.actor(*k2)
        if a1 is None or a2 is None:
            return "actor not a known country or organisation"
        if a1.id == a2.id:
            return "actor acts on itself"
        p, reverse = choice
        s, o = (a2, a1) if reverse else (a1, a2)
        if p in symmetric_predicates() and s.id > o.id:
            s, o = o, s
        return Mapped(s, p, o)


def _table(name: str) -> dict[str, str]:
    try:
        text = data_path(f"gdelt/{name}").read_text(encoding="utf-8")
    except (OSError, GraphkgError):  # missing data file: fall back to ISO codes only
        return {}
    out: dict[str, str] = {}
    for line in text.splitlines()[1:]:
        code, sep, label = line.partition("\t")
        if not sep:
            code, _, label = line.partition(":")
        out[code.strip().upper()] = " ".join(label.split())
    return out


@functools.cache
def cameo_map() -> CameoMap:
    """The mapping, built once per process."""
    return CameoMap()


def _fields(line: str) -> list[str]:
    return line.rstrip("\r\n").split("\t")


class GdeltReader:
    """GDELT 1.0/2.0 event export files (``*.export.CSV``, also inside ``.zip``)."""

    name = "gdelt"
    suffixes: tuple[str, ...] = (".export.csv",)

    def __init__(self) -> None:
        self.stats: Counter[str] = Counter()

    def read(self, data: bytes, source: str) -> list[Article | LoaderError]:
        return list(self.stream(io.BytesIO(data), source, max_bytes=max(len(data), 1)))

    def stream(self, fh: BinaryIO, source: str, *, max_bytes: int) -> Iterator[Article | LoaderError]:
        """Per-line errors as they come, then one article per SOURCEURL with mapped rows."""
        mapping = cameo_map()
        layout: int | None = None  # column count of the file's rows, once known
        groups: dict[str, list[str]] = {}
        added: dict[str, date | None] = {}
        seen: set[str] = set()
        events: dict[str, list[str]] = {}  # every valid row's GLOBALEVENTID per URL: the article's identity
        stats, n = self.stats, 0
        for n, raw in enumerate(fh, 1):  # the hot loop: ~100k rows per run, kept lean
            line = raw.decode("utf-8", errors="replace").rstrip("\r\n")
            if not line or line.isspace():
                continue
            ncols = line.count("\t") + 1
            if ncols != layout:  # first row, or a row unlike the ones before
                if n == 1 and line.split("\t", 1)[0].upper() == "GLOBALEVENTID":
                    continue  # a header row some tools add
                if ncols not in LAYOUTS:
                    yield LoaderError(f"{source}:{n}", f"expected 61 tab-separated columns (GDELT 2.0; 57 or 58 "
                                                       f"for 1.0), got {ncols}")
                    continue
                if layout is not None:
                    yield LoaderError(f"{source}:{n}", f"expected {layout} columns like the rows before, got {ncols}")
                    continue
            f = line.split("\t", _MAPPED_COLUMNS)  # only the columns the mapping reads, then the rest
            eid, day = f[_ID], f[_SQLDATE]
            if not eid.isdigit() or len(day) != 8 or not day.isdigit():
                yield LoaderError(f"{source}:{n}", f"not an event row (GLOBALEVENTID {eid[:20]!r}, "
                                                   f"SQLDATE {day[:20]!r})")
                continue
            layout = ncols
            stats["rows"] += 1
            if eid in seen:
                stats["duplicate event id"] += 1
                continue
            seen.add(eid)
            tail = line.rsplit("\t", 2)  # DATEADDED, SOURCEURL are the last columns (57: no URL)
            url, dateadded = ("", tail[2]) if ncols == 57 else (tail[2], tail[1])
            if url in events:
                events[url].append(eid)
            else:
                events[url] = [eid]
            outcome = mapping.map(f)
            if outcome.__class__ is str:
                stats[f"skipped: {outcome}"] += 1
                continue
            stats["mapped"] += 1
            if url not in groups:
                groups[url] = []
                added[url] = _yyyymmdd(dateadded) or _yyyymmdd(day)
            groups[url].append(line)
        if n == 0:
            raise LoaderError(source, "empty file")
        for url, lines in groups.items():
            host = urlsplit(url).hostname if url else None
            yield Article(id=gdelt_article_id(url or None, events=events[url]), text="\n".join(lines),
                          source=source, url=url or None, title=None, published=added[url], lang=None,
                          publisher=host.removeprefix("www.") if host else "GDELT")


class GdeltExtractor:
    """Turns an article made by :class:`GdeltReader` into candidates (no NLP, no model)."""

    name = "gdelt"
    version = _VERSION

    @staticmethod
    def accepts(article: Article) -> bool:
        return is_gdelt_text(article.text)

    def extract(self, article: Article) -> list[Candidate]:
        """One candidate per (subject, predicate, object); duplicate events merged into it."""
        mapping = cameo_map()
        merged: dict[tuple[str, Predicate, str], tuple[Candidate, list[str], int]] = {}
        offset = 0
        for line in article.text.split("\n"):
            start, offset = offset, offset + len(line) + 1
            f = line.split("\t")
            if len(f) not in LAYOUTS or not f[_ID].isdigit():
                continue
            m = mapping.map(f)
            if isinstance(m, str):
                continue
            k = (m.subject.id, m.predicate, m.object.id)
            mentions = int(f[_MENTIONS]) if f[_MENTIONS].isdigit() else 0
            if k in merged:
                c, ids, total = merged[k]
                merged[k] = (c, ids + [f[_ID]], total + mentions)
                continue
            merged[k] = (self._candidate(f, m, mapping, start, start + len(line)), [f[_ID]], mentions)
        out = []
        for c, ids, total in merged.values():
            props = c.properties + (("gdelt_events", " ".join(ids)), ("num_mentions", str(total)))
            out.append(Candidate(c.subject, c.predicate, c.object, c.evidence, c.start, c.end,
                                 c.confidence, c.extractor, props, c.date, c.cue, c.pattern))
        return out

    def _candidate(self, f: list[str], m: Mapped, mapping: CameoMap, start: int, end: int) -> Candidate:
        day = _yyyymmdd(f[_SQLDATE])
        what = mapping.events.get(f[_CODE], "")
        evidence = (f"GDELT event {f[_ID]}: {f[_A1[1]] or f[_A1[0]]} [{f[_CODE]}{' ' + what if what else ''}] "
                    f"{f[_A2[1]] or f[_A2[0]]}")
        props: tuple[tuple[str, str], ...] = (("cameo", f[_CODE]),)
        if f[_QUAD] in ("1", "2", "3", "4"):
            props += (("quad_class", f[_QUAD]),)
        score = goldstein_text(f[_GOLD])
        if score is not None:
            props += (("goldstein", score),)
        return Candidate(_ref(m.subject), m.predicate, _ref(m.object), evidence, start, end,
                         0.6 if f[_ROOTFLAG] == "1" else 0.5, f"{self.name}/{self.version}", props,
                         day.isoformat() if day else None, cue=f[_CODE], pattern=f"cameo:{f[_ROOT]}")


def _ref(e: Entity) -> EntityRef:
    return EntityRef(e.label, e.label, e.type, e.id, "gdelt:cameo-code")
