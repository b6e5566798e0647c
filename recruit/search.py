"""Search keys for people's names. SQLite's lower() and LIKE fold ASCII only,
so a search for "анна" never found "Анна" there; and people type "е" for "ё"
("Федорова" for "Фёдорова"). A name is stored beside its key, folded here in
Python the same way on every database, and searched by substring."""

from __future__ import annotations

import re

import sqlalchemy as sa

_SPACES = re.compile(r"\s+")


def search_key(text: str | None) -> str:
    """Case-folded, "ё" read as "е", runs of white space as one space."""
    return _SPACES.sub(" ", (text or "").casefold().replace("ё", "е")).strip()


def contains(column: sa.ColumnElement[str], fragment: str) -> sa.ColumnElement[bool]:
    """`column` holds a fragment literally: % and _ typed by a user are not wildcards."""
    return column.contains(fragment, autoescape=True)
