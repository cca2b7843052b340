#!/usr/bin/env python3
"""Gazetteer speed: load time and find_all throughput, measured in one run.

Usage: ``python bench/gazetteer.py [MEGABYTES]`` (default 2). The text is a mix of French and
English news-like sentences repeated to the requested size; the script prints seconds and MB/s.
"""

from __future__ import annotations

import time

from graphkg.resolve.gazetteer import Gazetteer
from graphkg.vocab import data_path

SENTENCES = [
    "Le Conseil de sécurité de l'ONU a salué samedi l'initiative marocaine d'autonomie pour le Sahara, "
    "tandis que Washington et le Kremlin échangeaient des piques au sujet de la Crimée. ",
    "Le ministre kazakhstanais des affaires étrangères a rencontré son homologue sénégalais à Dakar, "
    "en marge du sommet de l'Union africaine et de la CEDEAO consacré au Sahel. ",
    "The U.S. and the European Union urged Moroccans and Algerians to resume talks, while NATO and the "
    "Shanghai Cooperation Organisation held rival drills near the Taiwan Strait. ",
    "Officials in Brasília said the BRICS summit would discuss the Red Sea, the Strait of Hormuz and "
    "the war in Gaza, according to a statement released on Tuesday by the foreign ministry. ",
    "Les représentants de la Russie, de la Chine et des États-Unis se sont entretenus à huis clos "
    "pendant près de trois heures, sans parvenir à un accord sur le texte final. ",
]
FILLER = [
    "Selon plusieurs sources proches du dossier, les discussions techniques se poursuivront la semaine "
    "prochaine au niveau des experts, avant une nouvelle réunion ministérielle prévue au printemps. ",
    "The spokesperson declined to comment on the details of the draft, saying only that consultations "
    "were continuing and that all parties had expressed a willingness to keep talking. ",
]


def main() -> None:
    import argparse

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("megabytes", nargs="?", type=float, default=2.0, help="size of the text (default 2)")
    megabytes = ap.parse_args().megabytes
    t0 = time.perf_counter()
    gaz = Gazetteer.load(data_path("gazetteer"))
    load = time.perf_counter() - t0
    print(f"load: {load:.3f} s ({sum(1 for _ in gaz.entities())} entities)")
    for label, block in (("dense", "".join(SENTENCES)), ("news-like", "".join(SENTENCES[:2] + FILLER * 3))):
        text = block * max(1, int(megabytes * 1_000_000 / len(block.encode("utf-8"))))
        size = len(text.encode("utf-8")) / 1_000_000
        t0 = time.perf_counter()
        spans = gaz.find_all(text)
        took = time.perf_counter() - t0
        print(f"find_all ({label}): {size:.2f} MB in {took:.3f} s = {size / took:.2f} MB/s, {len(spans)} spans")
    t0 = time.perf_counter()
    for _ in range(10_000):
        gaz.lookup("Conseil de sécurité de l'ONU")
    per_lookup = (time.perf_counter() - t0) / 10_000
    print(f"lookup: {per_lookup * 1e6:.1f} µs per call")


if __name__ == "__main__":
    main()
