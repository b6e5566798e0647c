"""How moments are written for people: the date in the locale's own format
and the time on the 24-hour clock to the minute, in the organisation's time
zone. Babel's named datetime formats add seconds and switch to a 12-hour
clock in English, which sat badly beside the "– 16:30" end times."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, tzinfo
from zoneinfo import ZoneInfo

from babel import Locale
from babel import dates as babel_dates
from flask import g, has_request_context
from flask_babel import format_datetime, get_locale, get_timezone, to_user_timezone

NAMED = ("short", "medium", "long", "full")


def at_minute(moment: datetime, date_format: str = "medium") -> str:
    """'Nov 26, 2026, 14:00'; a babel pattern other than the named formats is used as it is.
    One time-zone conversion and one locale lookup per call: list pages write one per row,
    and the rows of a page share their days, each written once per request (`_day`)."""
    if date_format not in NAMED:
        return format_datetime(moment, date_format)
    local = _local(moment)
    return f"{_day(local.date(), date_format)}, {local:%H:%M}"


def minutes_writer(date_format: str = "medium") -> Callable[[datetime | None], str]:
    """The `dt` filter for the many moments of one list page (`{% set since = minutes_writer('short') %}`,
    then `since(row.moment)` per row): the same words, with the reader's zone and locale looked up once
    for the page instead of once per row, and each day written once."""
    if date_format not in NAMED or not has_request_context():
        return lambda moment: at_minute(moment, date_format) if moment else "—"
    zone, days = reader_zone(), {}

    def write(moment: datetime | None) -> str:
        if not moment:
            return "—"
        local = (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(zone)
        day = local.date()
        written = days.get(day) or days.setdefault(day, _day(day, date_format))
        return f"{written}, {local:%H:%M}"

    return write


def clock(moment: datetime) -> str:
    """'13:30' in the reader's zone, what format_time(moment, "HH:mm") writes,
    without Babel's pattern machinery: a day's slots and a desk's rows write
    a few dozen of these."""
    return f"{_local(moment):%H:%M}"


def _local(moment: datetime) -> datetime:
    """The moment in the reader's zone (a naive one is UTC, as stored)."""
    if not has_request_context():
        return to_user_timezone(moment)
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(reader_zone())


def reader_zone() -> tzinfo:
    """The request's zone as Flask-Babel chose it (read where it keeps its
    choice, so `refresh()` is followed), as a zoneinfo: a pytz zone converts
    in Python, and a list page converts one moment per row."""
    return ZoneInfo(str(getattr(g.get("_flask_babel"), "babel_tzinfo", None) or get_timezone()))


def reader_locale() -> Locale | None:
    """Flask-Babel's `get_locale`, read first where it keeps its choice (which
    `force_locale` and `refresh` change): a page asks a few hundred times."""
    return getattr(g.get("_flask_babel"), "babel_locale", None) or get_locale()


def _day(day: date, date_format: str) -> str:
    if not has_request_context():
        return babel_dates.format_date(day, date_format, locale=get_locale())
    locale = reader_locale()
    written = g.setdefault("_days_written", {})
    key = (day, date_format, locale)  # a letter written in another language (in_language) has its own
    if key not in written:
        written[key] = babel_dates.format_date(day, date_format, locale=locale)
    return written[key]


def in_letter(moment: datetime) -> str:
    """For an e-mail, read perhaps in another city: the day in full, the minute and the zone by name."""
    return f"{at_minute(moment, 'full')} ({format_datetime(moment, 'zzzz')})"
