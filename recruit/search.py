"""Search keys for people's names and other typed labels. SQLite's lower() and
LIKE fold ASCII only, and neither engine folds the way our users type: on a
phone or an English keyboard "Stefan" for "Ștefan" or "Ştefan" (two commas
below in use, the cedilla one from old Romanian fonts), "Djordje" for
"Đorđe", and on a Russian keyboard "г" for "ґ", "и" for "і" and "ї", "е" for
"є" and "ё". A name is stored beside its key, folded here in Python the same
way on every database, and searched by substring; the text the user types is
folded by the same function, so both sides meet.

Folding rules:
- case-folded (so "Straße" is "strasse"), runs of white space as one space;
- accents stripped: NFKD, then combining marks dropped (ș ş ț ţ ă â î č ć
  ž š ё ї ...), which also turns compatibility forms (full-width letters,
  ligatures) into plain letters;
- letters with no decomposition spelled the way people spell them without
  the key: đ as "dj", ł as "l", ø as "o", dotless ı as "i";
- Ukrainian letters missing from the Russian layout as the Russian letter
  typed instead: ґ as г, є as е, і and ї as и (so "Иван" finds "Іван");
- й stays й: NFKD would make it и, but people type й where it belongs and
  "Май" and "Маи" are different names;
- the many apostrophes of Ukrainian names (’ ʼ ` ´) as one '.
"""

from __future__ import annotations

import re
import unicodedata

import sqlalchemy as sa

_SPACES = re.compile(r"\s+")

# Applied after casefold and before NFKD: what NFKD would not fold, or would
# fold the wrong way. й is carried through NFKD under a private mark.
_BEFORE = str.maketrans({
    "đ": "dj", "ł": "l", "ø": "o", "ı": "i", "ħ": "h", "æ": "ae", "œ": "oe", "þ": "th",
    "ґ": "г", "є": "е", "і": "и", "ї": "и", "ё": "е",
    "’": "'", "ʼ": "'", "`": "'", "´": "'", "‘": "'",
    "й": "\ue000",
})
_AFTER = str.maketrans({"\ue000": "й"})


def fold(text: str | None) -> str:
    """The letters of `text` as a search compares them (rules above), spaces untouched."""
    folded = (text or "").casefold().translate(_BEFORE)
    stripped = "".join(ch for ch in unicodedata.normalize("NFKD", folded) if not unicodedata.combining(ch))
    return stripped.translate(_AFTER)


def search_key(text: str | None) -> str:
    """The stored and the typed side of a search: folded, white space runs as one space."""
    return _SPACES.sub(" ", fold(text)).strip()


def contains(column: sa.ColumnElement[str], fragment: str) -> sa.ColumnElement[bool]:
    """`column` holds a fragment literally: % and _ typed by a user are not wildcards."""
    return column.contains(fragment, autoescape=True)
