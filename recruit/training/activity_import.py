"""Activity rows from a CRM export (one manager's days): the same reading,
encodings and per-row error report as the candidate import, and what the rows
would change in the log. A CRM file often carries only some columns, so an
empty cell or a missing column says nothing about that number: it is left as
it is, never read as 0. No request, no database; the dates and the field named
in a report are in the current language."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime

from babel.dates import format_date
from flask_babel import get_locale
from flask_babel import gettext as _

from recruit import i18n
from recruit.tabular.reader import ParsedFile
from recruit.tabular.reports import FileError, RowError
from recruit.training.criteria import METRICS
from recruit.vacancies.candidate_rows import parse

LIMITS = {"calls": 500, "email_offers": 1000, "phone_offers": 500, "meetings": 60, "leads": 300, "contracts": 50}
GUESSES = {
    "day": ("date", "day", "дата", "день"),
    "calls": ("calls", "звонки", "звонков"),
    "email_offers": ("email offers", "e-mail offers", "email_offers", "кп по e-mail", "кп по email", "письма"),
    "phone_offers": ("phone offers", "phone_offers", "кп по телефону"),
    "meetings": ("meetings", "встречи"),
    "leads": ("leads", "applications", "заявки", "лиды"),
    "contracts": ("contracts", "договоры", "договоров"),
}


@dataclass
class ActivityRow:
    line: int
    day: date
    values: dict[str, int]


@dataclass(frozen=True)
class FieldChange:
    metric: str
    old: int | None
    new: int

    @property
    def lowers(self) -> bool:
        return self.old is not None and self.new < self.old


@dataclass
class DayChange:
    line: int
    day: date
    fields: list[FieldChange]

    @property
    def lowers(self) -> bool:
        return any(f.lowers for f in self.fields)


def changes(rows: list[ActivityRow], recorded: dict[date, dict[str, int]]) -> list[DayChange]:
    """Per day, only the numbers the file would change (old is None for a day
    not recorded yet), in the order of the days."""
    result = []
    for row in sorted(rows, key=lambda r: r.day):
        before = recorded.get(row.day)
        fields = [FieldChange(m, before[m] if before else None, n) for m, n in row.values.items()
                  if before is None or before[m] != n]
        if fields:
            result.append(DayChange(row.line, row.day, fields))
    return result


@dataclass
class ActivityFile:
    rows: list[ActivityRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


def _shown(day: date) -> str:
    return format_date(day, "medium", locale=get_locale() or "en")


def _parse_day(raw: str) -> date:
    raw = raw.strip()
    for pattern in ("%Y-%m-%d", "%d.%m.%Y", "%d/%m/%Y"):
        try:
            return datetime.strptime(raw, pattern).date()
        except ValueError:
            continue
    raise ValueError(raw)


def mapping_for(headers: list[str]) -> dict[str, int]:
    normalised = [re.sub(r"\s+", " ", h.strip().lower()) for h in headers]
    found = {}
    for name, guesses in GUESSES.items():
        for index, header in enumerate(normalised):
            if header in guesses and index not in found.values():
                found[name] = index
                break
    if "day" not in found:
        raise FileError("map_required", fields=_("Date"))
    if len(found) == 1:
        raise FileError("map_required", fields=", ".join(i18n.label(m, "activity_metric") for m in METRICS))
    return found


def read(data: bytes, *, first_day: date, last_day: date) -> ActivityFile:
    parsed: ParsedFile = parse(data)
    mapping = mapping_for(parsed.headers)
    result = ActivityFile()
    seen: dict[date, int] = {}
    for line, cells in parsed.rows:
        errors = []
        values_by_name = {name: (cells[index].strip() if index < len(cells) else "") for name, index in mapping.items()}

        def cell(name: str, row=values_by_name) -> str:
            return row.get(name, "")

        header = parsed.headers[mapping["day"]]
        try:
            day = _parse_day(cell("day"))
        except ValueError:
            result.errors.append(RowError(line, header, "bad_date", {"value": cell("day")}))
            continue
        if day > last_day:
            errors.append(RowError(line, header, "future_date", {"value": _shown(day)}))
        elif day < first_day:
            errors.append(RowError(line, header, "before_start", {"value": _shown(day)}))
        if day in seen:
            errors.append(RowError(line, header, "duplicate", {"line": seen[day]}))
        values = {}
        for metric in METRICS:
            raw = cell(metric)
            column = parsed.headers[mapping[metric]] if metric in mapping else metric
            if raw == "":
                continue
            if not re.fullmatch(r"-?\d+", raw):
                errors.append(RowError(line, column, "not_whole", {"value": raw}))
                continue
            number = int(raw)
            if number < 0:
                errors.append(RowError(line, column, "negative_count"))
            elif number > LIMITS[metric]:
                errors.append(RowError(line, column, "implausible_count", {"value": number, "limit": LIMITS[metric]}))
            values[metric] = number
        if errors:
            result.errors.extend(errors)
        else:
            seen[day] = line
            result.rows.append(ActivityRow(line, day, values))
    return result
