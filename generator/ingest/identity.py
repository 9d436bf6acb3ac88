"""Personal identity numbers, in every form they are written.

A Swedish personal identity number (or samordningsnummer, day + 60) must never
reach the site: YYMMDD-NNNN, YYMMDD+NNNN, YYYYMMDD-NNNN, YYYYMMDDNNNN,
YYMMDDNNNN. People and spreadsheets also write it with a space, an en dash, a
non-breaking hyphen or full-width digits ("８５０１０１ １２３４"), so text is
normalised first: Unicode NFKC, every decimal digit as 0-9, every dash as "-"
and every space as " ".
"""

from __future__ import annotations

import re
import sys
import unicodedata

# Organisation numbers have "month" digits >= 20 and so never match. A digit run
# longer than the shape is not a match, nor are the decimals of a number
# ("59.8504121234"), which is what the second look-behind is for.
PERSONNUMMER_RE = re.compile(
    r"(?<![0-9])(?<![0-9][.,])"
    r"(?:(?:18|19|20)[0-9]{2}|[0-9]{2})"
    r"(?:0[1-9]|1[0-2])"
    r"(?:0[1-9]|[12][0-9]|3[01]|6[1-9]|[78][0-9]|9[01])"
    r" ?[-+]? ?[0-9]{4}(?![0-9])"
)

_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"


def _table() -> dict[int, str]:
    table = {ord(d): "-" for d in _DASHES}
    for code in range(sys.maxunicode + 1):
        ch = chr(code)
        if ch.isdecimal() and not ("0" <= ch <= "9"):
            table[code] = str(unicodedata.decimal(ch))
        elif ch.isspace() and ch not in "\n\r":
            table[code] = " "
    return table


_NORMAL = _table()
# Six digits, a separator of spaces and dashes, four digits, in any script: the
# cheap first look; only around such a run is the text normalised and matched.
_CANDIDATE_RE = re.compile(r"\d{6}[^\S\n]?[-+" + _DASHES + r"]?[^\S\n]?\d{4}")


def normalise(text: str) -> str:
    """Text as the identity-number pattern reads it."""
    return unicodedata.normalize("NFKC", text).translate(_NORMAL)


def has_personnummer(text: str) -> bool:
    """Whether text holds something shaped like a personal identity number, in any form."""
    for run in _CANDIDATE_RE.finditer(text):
        window = text[max(0, run.start() - 4) : run.end() + 4]
        if PERSONNUMMER_RE.search(normalise(window)):
            return True
    return False


def personnummer_line(text: str) -> int | None:
    """The 1-based line of the first identity number in text, or None."""
    for run in _CANDIDATE_RE.finditer(text):
        window = text[max(0, run.start() - 4) : run.end() + 4]
        if PERSONNUMMER_RE.search(normalise(window)):
            return text.count("\n", 0, run.start()) + 1
    return None
