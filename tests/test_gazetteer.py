"""Gazetteer: shipped data coverage, lookup rules, find_all spans, ambiguity handling."""

from __future__ import annotations

import doctest
import time
from collections.abc import Callable
from pathlib import Path

import pytest

import graphkg.resolve.data as gaz_data
import graphkg.resolve.gazetteer as gaz_mod
from graphkg.errors import LoaderError, ResolutionError
from graphkg.resolve.gazetteer import Gazetteer, default_gazetteer, normalise
from graphkg.vocab import EntityType, data_path

# The 193 UN member states (ISO alpha-3), written out here independently of countries.tsv.
UN_MEMBERS = """
AFG ALB DZA AND AGO ATG ARG ARM AUS AUT AZE BHS BHR BGD BRB BLR BEL BLZ BEN BTN BOL BIH BWA BRA BRN
BGR BFA BDI CPV KHM CMR CAN CAF TCD CHL CHN COL COM COG COD CRI CIV HRV CUB CYP CZE DNK DJI DMA DOM
ECU EGY SLV GNQ ERI EST SWZ ETH FJI FIN FRA GAB GMB GEO DEU GHA GRC GRD GTM GIN GNB GUY HTI HND HUN
ISL IND IDN IRN IRQ IRL ISR ITA JAM JPN JOR KAZ KEN KIR KWT KGZ LAO LVA LBN LSO LBR LBY LIE LTU LUX
MDG MWI MYS MDV MLI MLT MHL MRT MUS MEX FSM MDA MCO MNG MNE MAR MOZ MMR NAM NRU NPL NLD NZL NIC NER
NGA PRK MKD NOR OMN PAK PLW PAN PNG PRY PER PHL POL PRT QAT KOR ROU RUS RWA KNA LCA VCT WSM SMR STP
SAU SEN SRB SYC SLE SGP SVK SVN SLB SOM ZAF SSD ESP LKA SDN SUR SWE CHE SYR TJK THA TLS TGO TON TTO
TUN TUR TKM TUV UGA UKR ARE GBR TZA USA URY UZB VUT VEN VNM YEM ZMB ZWE
""".split()
OBSERVERS = ["VAT", "PSE"]


@pytest.fixture(scope="module")
def g() -> Gazetteer:
    return default_gazetteer()


def ids(g: Gazetteer, surface: str) -> list[str]:
    return list(dict.fromkeys(e.entity.id for e in g.lookup(surface)))


def test_un_members_and_observers_are_countries_with_qids(g: Gazetteer) -> None:
    assert len(set(UN_MEMBERS)) == 193
    for code in UN_MEMBERS + OBSERVERS:
        e = g.by_code(code)
        assert e is not None, code
        assert e.type is EntityType.COUNTRY, code
        assert e.qid and e.id == f"wd:{e.qid}", code
    assert len({g.by_code(c).id for c in UN_MEMBERS + OBSERVERS}) == 195  # type: ignore[union-attr]


def test_western_sahara_is_a_territory(g: Gazetteer) -> None:
    ws = g.get("wd:Q6250")
    assert ws.type is EntityType.TERRITORY and ws.label == "Western Sahara"
    assert ws.id not in {e.id for e in g.entities(EntityType.COUNTRY)}
    for s in ("Sahara occidental", "Sahara marocain", "région du Sahara", "Western Sahara"):
        assert ids(g, s)[0] == "wd:Q6250", s
    gaza = g.get("territory/gaza-strip")  # slug id accepted; the entity has a sourced QID
    assert gaza.type is EntityType.TERRITORY and gaza.id == "wd:Q39760"
    assert ids(g, "la bande de Gaza") == ["wd:Q39760"]
    assert ids(g, "Cisjordanie") == ["territory/west-bank"]
    assert g.get("org/nato") == g.get("wd:Q7184")


@pytest.mark.parametrize(("surface", "entity_id", "kind"), [
    ("Maroc", "wd:Q1028", "name"),
    ("Morocco", "wd:Q1028", "name"),
    ("Royaume du Maroc", "wd:Q1028", "official"),
    ("marocaine", "wd:Q1028", "demonym"),
    ("Rabat", "wd:Q1028", "capital"),
    ("Moroccan", "wd:Q1028", "demonym"),
    ("Moroccans", "wd:Q1028", "demonym"),
    ("l'ONU", "wd:Q1065", "acronym"),
    ("l\u2019ONU", "wd:Q1065", "acronym"),
    ("ONU", "wd:Q1065", "acronym"),
    ("UN", "wd:Q1065", "acronym"),
    ("CSNU", "wd:Q37470", "acronym"),
    ("Conseil de sécurité", "wd:Q37470", "alias"),
    ("OTAN", "wd:Q7184", "acronym"),
    ("OCS", "wd:Q485207", "acronym"),
    ("UEE", "wd:Q4173083", "acronym"),
    ("Union économique eurasiatique", "wd:Q4173083", "name"),
    ("Union economique eurasienne", "wd:Q4173083", "name"),
    ("the Kremlin", "wd:Q159", "metonym"),
    ("États-Unis", "wd:Q30", "name"),
    ("Etats-Unis", "wd:Q30", "name"),
    ("U.S.", "wd:Q30", "name"),
    ("Türkiye", "wd:Q43", "name"),
    ("Socialist Republic of Viet Nam", "wd:Q881", "official"),  # from pycountry_variants.tsv
])
def test_lookup(g: Gazetteer, surface: str, entity_id: str, kind: str) -> None:
    best = g.lookup(surface)[0]
    assert (best.entity.id, best.kind) == (entity_id, kind)


@pytest.mark.parametrize("surface", ["un", "Un", "us", "can", "CAN", "the", "les 27", "Kremlin Palace"])
def test_lookup_refuses(g: Gazetteer, surface: str) -> None:
    assert g.lookup(surface) == []


def test_entries_are_sorted_best_kind_first(g: Gazetteer) -> None:
    kinds = [e.kind for e in g.lookup("Bruxelles")]
    assert kinds == ["alias", "capital"]  # European Commission (lookup only), then Belgium's capital
    assert g.lookup("Koweït")[0].kind == "name"


def test_demonyms_and_ambiguity(g: Gazetteer) -> None:
    morocco = g.get("wd:Q1028")
    assert g.demonym("marocaines") == morocco
    assert g.demonym("Moroccan") == morocco
    assert g.demonym("kazakhstanais") == g.demonym("kazakhe") == g.by_code("KAZ")
    assert g.demonym("nigérien") == g.by_code("NER")
    assert g.demonym("nigérian") == g.by_code("NGA")
    assert g.demonym("congolais") is None  # two Congos
    assert g.demonym("Dominican") is None  # Dominica and the Dominican Republic
    assert g.demonym("Maroc") is None  # a name, not a demonym


def test_entity_fields(g: Gazetteer) -> None:
    unsc = g.get("Q37470")
    assert unsc.label == "United Nations Security Council" and unsc.qid == "Q37470"
    assert {"CSNU", "UNSC", "Conseil de sécurité"} <= set(unsc.aliases)
    assert g.parent("wd:Q37470") == g.get("wd:Q1065")
    assert g.parent("wd:Q1065") is None
    sco = ids(g, "SCO")[0]
    assert g.get(sco).label == "Shanghai Cooperation Organisation"
    morocco = g.get("wd:Q1028")
    assert {"Maroc", "marocain", "Moroccans", "Royaume du Maroc"} <= set(morocco.aliases)
    assert "Rabat" not in morocco.aliases and "Rabat" in g.capital_of("wd:Q1028")
    brics = g.get("org/brics")
    assert brics.qid is None and brics.type is EntityType.ORGANIZATION
    with pytest.raises(ResolutionError, match="wd:Q0"):
        g.get("wd:Q0")


REQUIRED_ORGS = ["UN", "UNSC", "UNGA", "EU", "AU", "Arab League", "NATO", "OSCE", "SCO", "EAEU", "OIC", "ASEAN",
                 "BRICS", "G7", "G20", "GCC", "ECOWAS", "CSTO", "CIS", "OAS", "IMF", "World Bank", "ONU", "CSNU",
                 "OTAN", "OCS", "OCI", "UEE", "UA", "UE", "CEDEAO", "CCG", "OTSC", "CEI", "FMI", "Banque mondiale",
                 "Ligue arabe", "Alliance atlantique", "Security Council", "General Assembly",
                 "Organisation de Coopération de Shanghai", "Organisation de la Coopération Islamique"]


def test_required_organisations(g: Gazetteer) -> None:
    missing = [s for s in REQUIRED_ORGS if not g.lookup(s)]
    assert not missing
    assert all(g.lookup(s)[0].entity.type is EntityType.ORGANIZATION for s in REQUIRED_ORGS)


def spans(g: Gazetteer, text: str) -> list[tuple[str, str]]:
    return [(text[s:e], x.entity.id) for s, e, x in g.find_all(text)]


def test_find_all_french(g: Gazetteer) -> None:
    text = ("Le Conseil de sécurité de l\u2019ONU a salué samedi l'initiative marocaine ; Washington, "
            "le Kremlin et l'Union européenne soutiennent un accord entre les Congolais et la RDC à Rabat.")
    assert spans(g, text) == [
        ("Conseil de sécurité de l\u2019ONU", "wd:Q37470"),
        ("marocaine", "wd:Q1028"),
        ("Washington", "wd:Q30"),
        ("Kremlin", "wd:Q159"),
        ("Union européenne", "wd:Q458"),
        ("RDC", "wd:Q974"),
        ("Rabat", "wd:Q1028"),
    ]
    flags = {text[s:e]: (x.kind, x.risky) for s, e, x in g.find_all(text)}
    assert flags["Washington"] == ("capital", True)
    assert flags["Rabat"] == ("capital", False)


def test_find_all_english(g: Gazetteer) -> None:
    text = ("The U.S. told the UN Security Council that Moroccans and Kazakh officials met in Chad; "
            "Latin American envoys sailed the Indian Ocean to the Dominican Republic. Dominican sources "
            "said NATO and the EU would buy turkey and china.")
    assert spans(g, text) == [
        ("U.S.", "wd:Q30"),
        ("UN Security Council", "wd:Q37470"),
        ("Moroccans", "wd:Q1028"),
        ("Kazakh", "wd:Q232"),
        ("Chad", "wd:Q657"),
        ("Latin American", "territory/latin-america"),
        ("Indian Ocean", "territory/indian-ocean"),
        ("Dominican Republic", "wd:Q786"),
        ("NATO", "wd:Q7184"),
        ("EU", "wd:Q458"),
    ]


@pytest.mark.parametrize("text", ["un accord", "Union soviétique", "la Commission a dit", "vingt-sept morts",
                                  "le sucre et le roseau", "can we", "a male nurse", "27 pays"])
def test_find_all_ignores_common_words(g: Gazetteer, text: str) -> None:
    assert g.find_all(text) == []


def test_find_all_ambiguous_spans(g: Gazetteer) -> None:
    assert g.find_all("les congolais") == []
    both = g.find_all("les congolais", ambiguous=True)
    assert {x.entity.id for _, _, x in both} == {"wd:Q974", "wd:Q971"}
    assert {(s, e) for s, e, _ in both} == {(4, 13)}


def test_doctests() -> None:
    for mod in (gaz_mod, gaz_data):
        assert doctest.testmod(mod).failed == 0


def write(path: Path, header: str, *rows: str) -> None:
    path.write_text(header + "\n" + "".join(r + "\n" for r in rows), encoding="utf-8")


def test_load_inline_data(tmp_path: Path, g: Gazetteer) -> None:
    real = data_path("gazetteer")
    (tmp_path / "countries.tsv").write_text(
        "".join((real / "countries.tsv").read_text(encoding="utf-8").splitlines(keepends=True)[:3]),
        encoding="utf-8")  # header + Afghanistan + Angola
    write(tmp_path / "organizations.tsv", (real / "organizations.tsv").read_text(encoding="utf-8").splitlines()[0],
          "zz\tZed Union\tUnion Zède\tZU\tUZ\t\t\t\t\tregional\tGK\t")
    write(tmp_path / "aliases.tsv", "entity_key\tlang\talias\tkind\tnote", "org:zz\tfr\tZédie\talias\t")
    write(tmp_path / "ambiguous.tsv", "surface\tentity_key\tpolicy\tnote", "UZ\t\tblock\ttest")
    small = Gazetteer.load(tmp_path)
    assert [e.label for e in small.entities()] == ["Afghanistan", "Angola", "Zed Union"]
    assert small.lookup("zedie")[0].entity.id == "org/zz"
    assert small.lookup("ZU") and not small.lookup("UZ")
    write(tmp_path / "aliases.tsv", "entity_key\tlang\talias\tkind\tnote", "org:nope\tfr\tX\talias\t")
    with pytest.raises(LoaderError, match="org:nope"):
        Gazetteer.load(tmp_path)


def test_load_time_is_measured(record_property: Callable[[str, object], None]) -> None:
    """Load time goes to the JUnit report (no timed assertion; bench/gazetteer.py measures speed)."""
    t0 = time.perf_counter()
    fresh = Gazetteer.load(data_path("gazetteer"))
    record_property("gazetteer_load_seconds", round(time.perf_counter() - t0, 3))
    assert sum(1 for _ in fresh.entities()) > 400
    assert normalise("La Paz") == "paz"
