"""Dates stated next to a cue: "adoptée le 31 octobre 2024", "in 2007", "on 4 April 2023"."""

from __future__ import annotations

import re

__all__ = ["find_date"]

_MONTHS = {
    "janvier": 1, "février": 2, "fevrier": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6, "juillet": 7,
    "août": 8, "aout": 8, "septembre": 9, "octobre": 10, "novembre": 11, "décembre": 12, "decembre": 12,
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7, "august": 8,
    "september": 9, "october": 10, "november": 11, "december": 12,
}
_M = "|".join(sorted(_MONTHS, key=len, reverse=True))
_DMY = re.compile(rf"\b(\d{{1,2}})(?:er|st|nd|rd|th)?\s+({_M})\s+(\d{{4}})\b", re.IGNORECASE)
_MDY = re.compile(rf"\b({_M})\s+(\d{{1,2}}),?\s+(\d{{4}})\b", re.IGNORECASE)
_YEAR = re.compile(r"\b(?:en|in|depuis|since)\s+((?:19|20)\d{2})\b(?!\s*\))", re.IGNORECASE)


def find_date(text: str) -> str | None:
    """ISO date (or year) stated in ``text``, the short window after a cue.

    >>> find_date(" le 31 octobre 2024, qui a")
    '2024-10-31'
    >>> find_date(" par ce dernier en 2007, perçu")
    '2007'
    >>> find_date(" on April 4, 2023")
    '2023-04-04'
    >>> find_date(" the draft") is None
    True
    """
    m = _DMY.search(text)
    if m:
        return f"{int(m.group(3)):04d}-{_MONTHS[m.group(2).lower()]:02d}-{int(m.group(1)):02d}"
    m = _MDY.search(text)
    if m:
        return f"{int(m.group(3)):04d}-{_MONTHS[m.group(1).lower()]:02d}-{int(m.group(2)):02d}"
    m = _YEAR.search(text)
    return m.group(1) if m else None
