"""What features above vacancies add to a pipeline: a note per row (the
interviews put the candidate's next or last interview there) and filters
that narrow the list by what those features know ("confirmed for
tomorrow"). Registered on import, like the erasure hooks: vacancies never
import them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

# a note is any object with `prefix` (a word), `at` (a moment), `badge` (its words) and `css` (the
# badge's class): the rows show them all alike, without a partial per row
RowNotes = Callable[[list[int]], dict[int, Any]]


@dataclass(frozen=True)
class RowFilter:
    key: str
    label: Any  # a lazy string, translated when shown
    application_ids: Callable[[], sa.Select]  # a select of the matching applications' ids


_NOTES: list[RowNotes] = []
_FILTERS: dict[str, RowFilter] = {}


def row_notes(fn: RowNotes) -> RowNotes:
    _NOTES.append(fn)
    return fn


def row_filter(key: str, label: Any) -> Callable[[Callable[[], sa.Select]], Callable[[], sa.Select]]:
    def register(fn: Callable[[], sa.Select]) -> Callable[[], sa.Select]:
        _FILTERS[key] = RowFilter(key, label, fn)
        return fn
    return register


def notes_for(application_ids: list[int]) -> dict[int, list[Any]]:
    """Each row's notes, one statement per registered feature for the whole page."""
    notes: dict[int, list[Any]] = {}
    if application_ids:
        for fn in _NOTES:
            for app_id, note in fn(application_ids).items():
                notes.setdefault(app_id, []).append(note)
    return notes


def filters() -> list[RowFilter]:
    return list(_FILTERS.values())


def filter_named(key: str | None) -> RowFilter | None:
    return _FILTERS.get(key or "")
