"""Text cleaning: paragraphs, boilerplate, headline and header date."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest

from graphkg.loaders.textclean import (
    CleanText,
    Lexicon,
    clean_text,
    filter_boilerplate,
    find_title,
    parse_date_line,
    split_paragraphs,
)
from graphkg.vocab import data_path

SEED = Path(__file__).resolve().parent.parent / "samples" / "000-fr-seed.txt"


def _paragraphs_ok(text: str) -> None:
    assert "\n\n\n" not in text
    assert all(p and p == p.strip() and "\n" not in p for p in text.split("\n\n"))


# ---------------------------------------------------------------- the real seed page

@pytest.fixture(scope="module")
def seed() -> CleanText:
    return clean_text(SEED.read_text(encoding="utf-8"))


def test_seed_title_and_date(seed: CleanText) -> None:
    assert seed.title == "Le Kazakhstan appuie l'intégrité territoriale du Maroc"
    assert seed.published == date(2025, 4, 28)


@pytest.mark.parametrize("line", [
    "lundi, avril 28, 2025", "Nos Articles à lire", "Portrait", "LAISSER UN COMMENTAIRE",
    "S'il vous plaît entrez votre commentaire!", "S'il vous plaît entrez votre nom ici", "Popular Articles",
])
def test_seed_boilerplate_removed(seed: CleanText, line: str) -> None:
    assert line not in seed.text.split("\n\n")
    assert line in seed.removed


def test_seed_body_kept(seed: CleanText) -> None:
    paras = seed.text.split("\n\n")
    assert paras[0] == seed.title
    assert "Perspectives d'avenir pour le Maroc" in paras
    assert paras[-1].endswith("pour toutes les parties concernées.")
    assert "Un soutien clair lors d'une rencontre officielle" in paras
    assert len(paras) == 14  # title + 6 headings + 7 body paragraphs (the source has them all)
    assert "\u2019" not in seed.text
    _paragraphs_ok(seed.text)


# ---------------------------------------------------------------- inline articles

EN_PAGE = """Home
World
Politics
Economy

We use cookies to improve your experience on our site. By continuing to browse, you accept our cookie policy.

Published: 3 March 2024 10:32

UN envoy meets Moroccan and Algerian ministers in Geneva

The United Nations personal envoy for Western Sahara met the foreign ministers of Morocco and Algeria
in Geneva on Monday, according to a statement released by his office after the
closed-door meeting.

Advertisement

Context

The talks are the first of their kind since 2019, when the previous round collapsed over the format.

Share this article
Facebook
Twitter

Tags: diplomacy, United Nations

Most read

The envoy will report to the Security Council in April, diplomats said.

Subscribe

Follow us on social media

Leave a Reply

Great piece, thanks. I have always said that these talks would come back one day.

© 2025 Example News. All rights reserved.
"""


def test_english_page() -> None:
    c = clean_text(EN_PAGE)
    assert c.title == "UN envoy meets Moroccan and Algerian ministers in Geneva"
    assert c.published == date(2024, 3, 3)
    assert c.text.split("\n\n") == [
        "UN envoy meets Moroccan and Algerian ministers in Geneva",
        "The United Nations personal envoy for Western Sahara met the foreign ministers of Morocco and "
        "Algeria in Geneva on Monday, according to a statement released by his office after the "
        "closed-door meeting.",
        "Context",
        "The talks are the first of their kind since 2019, when the previous round collapsed over the format.",
        "The envoy will report to the Security Council in April, diplomats said.",
    ]
    for gone in ("Home", "Advertisement", "Tags: diplomacy, United Nations", "Leave a Reply",
                 "© 2025 Example News. All rights reserved.", "Follow us on social media"):
        assert gone in c.removed


FR_PAGE = """Accueil
Monde
Afrique

Publié le 1er mars 2024 à 10h32

Le Maroc et la Mauritanie signent un accord de coopération

Partager
Suivez-nous

Le ministre marocain des Affaires étrangères a signé mardi à Rabat un accord de coopération avec son homologue mauritanien.

Lire aussi : Le Sénégal soutient le plan d'autonomie

Une coopération élargie

L'accord prévoit une commission mixte, adoptée le 31 octobre 2024 par les deux gouvernements.

Articles populaires

Le Mali quitte la Cédéao

Commentaires
"""


def test_french_page() -> None:
    c = clean_text(FR_PAGE, lang_hint="fr")
    assert c.title == "Le Maroc et la Mauritanie signent un accord de coopération"
    assert c.published == date(2024, 3, 1)
    paras = c.text.split("\n\n")
    assert paras == [
        "Le Maroc et la Mauritanie signent un accord de coopération",
        "Le ministre marocain des Affaires étrangères a signé mardi à Rabat un accord de coopération avec "
        "son homologue mauritanien.",
        "Une coopération élargie",
        "L'accord prévoit une commission mixte, adoptée le 31 octobre 2024 par les deux gouvernements.",
    ]


def test_date_is_only_searched_in_header() -> None:
    text = ("Le Conseil de sécurité adopte une résolution\n\n"
            "La résolution 2756, adoptée le 31 octobre 2024, proroge le mandat de la mission.\n\n"
            "31 octobre 2024\n")
    c = clean_text(text)
    assert c.published is None
    assert "31 octobre 2024" in c.text  # a date line in the body is content, not a header


def test_copyright_footer_is_not_a_date() -> None:
    c = clean_text("Talks resume in Geneva today\n\n© 2025\n\nThe two delegations met in Geneva on Monday afternoon.")
    assert c.published is None
    assert "© 2025" in c.removed


def test_real_short_heading_kept_next_to_boilerplate() -> None:
    kept, removed = filter_boilerplate([
        "Le Maroc et l'Espagne renforcent leur coopération économique et sécuritaire.",
        "Publicité", "Contexte",
        "Les deux pays ont signé douze accords lors de la réunion de haut niveau à Madrid.",
    ])
    assert kept[1:] == ["Contexte", "Les deux pays ont signé douze accords lors de la réunion de haut niveau à Madrid."]
    assert removed == ["Publicité"]


def test_menu_run_dropped_but_headings_kept() -> None:
    body = "The ministers signed a memorandum on energy cooperation in Astana on Tuesday."
    kept, removed = filter_boilerplate(["News", "Sport", "Culture", "Opinion", body, "Energy", body])
    assert removed == ["News", "Sport", "Culture"]
    assert kept == ["Opinion", body, "Energy", body]


def test_tail_marker_needs_a_body_first() -> None:
    body = "Le Kazakhstan a réaffirmé son soutien au plan d'autonomie présenté par le Maroc en 2007."
    kept, _ = filter_boilerplate(["Commentaires", body, "Commentaires", "Très bon article, merci pour le partage !"])
    assert kept == [body]


def test_year_only_is_not_a_date() -> None:
    assert parse_date_line("en 2007") is None
    assert parse_date_line("avril 2025") is None
    assert parse_date_line("© 2025 Le Journal") is None


@pytest.mark.parametrize(("line", "expected"), [
    ("lundi, avril 28, 2025", date(2025, 4, 28)),
    ("28 avril 2025", date(2025, 4, 28)),
    ("April 28, 2025", date(2025, 4, 28)),
    ("2025-04-28", date(2025, 4, 28)),
    ("Published: 3 March 2024 10:32", date(2024, 3, 3)),
    ("Par Jean Dupont - 28 avr. 2025 à 10h32", date(2025, 4, 28)),
    ("03/04/2025", date(2025, 4, 3)),
])
def test_date_lines(line: str, expected: date) -> None:
    assert parse_date_line(line) == expected


def test_headline_with_a_date_is_not_a_date_line() -> None:
    line = "Le 28 avril 2025, le Kazakhstan et le Maroc ont signé un accord de coopération dans l'énergie"
    assert parse_date_line(line) is None


def test_title_stops_at_body() -> None:
    assert find_title(["Le ministre a salué l'accord signé à Genève avec ses partenaires européens."]) is None
    assert find_title(["Monde", "Le Kazakhstan appuie le Maroc", "Texte."]) == 1


def test_normalisation_nfc_apostrophes_newlines() -> None:
    c = clean_text("Le ministre a salue\u0301 l\u2019accord\r\n\r\n\r\n\r\nLa de\u0301le\u0301gation est arrive\u0301e hier.\r\n")
    assert c.text == "Le ministre a salué l'accord\n\nLa délégation est arrivée hier."


def test_hard_wrapped_prose_is_joined_headings_are_not() -> None:
    text = ("Contexte\n"
            "Le Conseil de sécurité a adopté jeudi une résolution qui proroge\n"
            "d'un an le mandat de la mission des Nations unies au Sahara occidental,\n"
            "par douze voix pour et deux abstentions.\n")
    assert split_paragraphs(text) == [
        "Contexte",
        "Le Conseil de sécurité a adopté jeudi une résolution qui proroge d'un an le mandat de la mission "
        "des Nations unies au Sahara occidental, par douze voix pour et deux abstentions.",
    ]


def test_one_paragraph_per_line() -> None:
    text = "A long first paragraph that ends without any punctuation at all here\nSecond one."
    assert split_paragraphs(text, one_per_line=True) == text.split("\n")


def test_markdown() -> None:
    md = ("# Le Maroc et l'UE\n\nLe **ministre** a rencontré [Kaja Kallas](https://example.org) à Bruxelles.\n"
          "![photo](x.jpg)\n\n## Suite\n\n- Le Maroc soutient le plan.\n- L'UE salue l'accord.\n")
    c = clean_text(md, markdown=True)
    assert c.text.split("\n\n") == ["Le Maroc et l'UE", "Le ministre a rencontré Kaja Kallas à Bruxelles.",
                                     "Suite", "Le Maroc soutient le plan.", "L'UE salue l'accord."]
    assert c.title == "Le Maroc et l'UE"


def test_only_boilerplate_gives_empty_text() -> None:
    assert clean_text("Accueil\nPartager\n\n© 2024 Le Journal").text == ""


def test_lexicon_file_is_well_formed() -> None:
    with open(data_path("lexicon/boilerplate.tsv"), encoding="utf-8") as f:
        rows = [r for r in csv.reader((line for line in f if not line.startswith("#")), delimiter="\t")]
    assert rows[0] == ["lang", "kind", "phrase"]
    body = rows[1:]
    assert len(body) > 150
    assert all(len(r) == 3 and r[0] in {"fr", "en", "*"} and r[1] in {"line", "prefix", "tail_marker"}
               and r[2].strip() == r[2] != "" for r in body)
    assert len({tuple(r) for r in body}) == len(body)
    Lexicon.from_rows([(r[0], r[1], r[2]) for r in body])


def test_lexicon_rejects_unknown_kind() -> None:
    with pytest.raises(ValueError, match="unknown boilerplate kind 'menu'"):
        Lexicon.from_rows([("en", "menu", "Home")])


def test_label_prefix_needs_colon() -> None:
    kept, removed = filter_boilerplate([
        "Topics discussed included trade, security and the status of the disputed territory.",
        "Topics: trade, security",
    ])
    assert removed == ["Topics: trade, security"]


def test_labels_above_the_headline_are_not_the_title() -> None:
    text = ("Latest Europe Security News\n\n1234th Meeting (PM)\n\n"
            "Sweden becomes the newest member of the alliance\n\n"
            "Sweden formally joined the alliance on Thursday at a ceremony held in Washington.\n\n"
            "Reporting by Jane Doe; Editing by John Roe")
    c = clean_text(text)
    assert c.title == "Sweden becomes the newest member of the alliance"
    assert c.text.split("\n\n") == [c.title, "Sweden formally joined the alliance on Thursday at a ceremony held in Washington."]
    assert "Latest Europe Security News" in c.removed and "1234th Meeting (PM)" in c.removed


def test_all_caps_headline_still_found() -> None:
    c = clean_text("LE MAROC SALUE L'ACCORD\n\nLe ministre a salué l'accord signé à Genève avec ses homologues européens.")
    assert c.title == "LE MAROC SALUE L'ACCORD"
