"""Finding an arrival on the front desk's screen by a fragment of a name or
of a phone number, however it is written: "+380 67 123", "067-123-45-67",
"8 916 ..." and "45 67" all find +380671234567 (or +79161234567) in the
organisation's region. Pure: no Flask, no database; the screen's script
compares the same folded name and digit strings as the page (`dial_forms`)."""

from __future__ import annotations

import re
from functools import lru_cache

from recruit import phones
from recruit.search import search_key

_NOT_DIGITS = re.compile(r"\D")
SHORTEST_NUMBER = 3  # fewer digits than this find too many people to help


@lru_cache(maxsize=16384)
def dial_forms(number: str | None, region: str | None) -> str:
    """The digit strings a typed number is a part of, space separated: the
    stored number's own digits (E.164's without the +) and those of the way
    a person of the region writes it (the trunk 0 or 8 in front)."""
    if not number:
        return ""
    forms = [_NOT_DIGITS.sub("", number)]
    spoken = _NOT_DIGITS.sub("", phones.display(number, region))
    if spoken and spoken not in forms:
        forms.append(spoken)
    return " ".join(form for form in forms if form)


def matches(query: str, name_key: str, dial: str, region: str | None) -> bool:
    """True when the typed text is part of the folded name, or its digits
    (or the whole number it spells, in E.164) part of one of the dial forms.
    An empty query matches everyone."""
    key = search_key(query)
    if not key:
        return True
    if key in name_key:
        return True
    numbers = phones.search_forms(query, region, shortest=SHORTEST_NUMBER)
    return any(number in form for number in numbers for form in dial.split())
