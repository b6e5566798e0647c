"""How this feature writes its figures for people: shares as the locale
writes percentages (20.0%, 20,0 %), ISO weeks as words, a show-rate segment
as its four parts in the reader's language."""

from __future__ import annotations

from functools import lru_cache

from babel import Locale
from babel.numbers import NumberPattern, parse_pattern
from flask_babel import format_decimal, ngettext
from flask_babel import gettext as _

from recruit.dates import reader_locale
from recruit.i18n import label
from recruit.interviews.showrate import Segment


def percent(share: float | None, digits: int = 1) -> str:
    """0.2 -> '20.0%' in English, '20,0 %' in Russian: the locale's own
    percent pattern with `digits` decimals."""
    if share is None:
        return "—"
    return _percent_in(str(reader_locale()), digits, share)


@lru_cache(maxsize=4096)
def _percent_in(locale: str, digits: int, share: float) -> str:
    """Kept per language, precision and share: a planner's fifty candidates
    share a few segments' probabilities, and Babel's formatting was a fifth
    of the page's own template time."""
    return _percent_pattern(locale, digits).apply(share, Locale.parse(locale))


@lru_cache(maxsize=64)
def _percent_pattern(locale: str, digits: int) -> NumberPattern:
    """Parsed once per language and precision: the planner and the reports
    write a share per row, and parsing the pattern was most of the work."""
    pattern = Locale.parse(locale).percent_formats[None].pattern
    if digits > 0:
        at = pattern.rfind("0")
        pattern = pattern[:at + 1] + "." + "0" * digits + pattern[at + 1:]
    return parse_pattern(pattern)


def _week_parts(week: str) -> tuple[int, int]:
    year, number = week.split("-W")
    return int(year), int(number)


def week_label(week: str) -> str:
    """'2026-W05' -> 'Week 5, 2026'."""
    year, number = _week_parts(week)
    return _("Week %(week)d, %(year)d", week=number, year=year)


def week_tick(week: str) -> str:
    """The chart's axis: 'W5'."""
    return _("W%(week)d", week=_week_parts(week)[1])


def channel(source: str | None) -> str:
    return source or _("unknown channel")


def segment_label(segment: Segment) -> str:
    """Channel · format · confirmed · lead time, each in the reader's language."""
    return " · ".join((channel(segment.source), label(segment.format, "interview_session_kind"),
                       label("yes" if segment.confirmed else "no", "interview_confirmed"),
                       label(segment.lead, "interview_lead_band")))


def years_of_experience(years: float | None) -> str:
    """'3 years of experience', '2.5 years of experience'. A fraction takes the
    plural form of the next whole number and one more (0.5 -> as 2, 1.5 -> as 3),
    which is what English, Ukrainian and Russian write after a decimal."""
    if years is None:
        return ""
    whole = int(years)
    n = whole if whole == years else whole + 2
    return ngettext("%(years)s year of experience", "%(years)s years of experience", n,
                    years=format_decimal(years))
