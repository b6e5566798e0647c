"""The hiring report's tables as an export writes them (recruit.exports:
CSV in the organisation's separator, or XLSX): the header in the reader's
language, numbers as numbers, so a spreadsheet can sum and chart them."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

from flask_babel import gettext as _

from recruit.interviews.formats import channel
from recruit.interviews.hiring_report import HiringReport
from recruit.interviews.pace import SCORECARD_TARGET, meets_target

Table = tuple[list[str], Iterator[list[Any]]]


def _ratio(value: float | None) -> float | str:
    return "" if value is None else round(value, 4)


def _money(amounts: dict[str, Decimal]) -> tuple[Any, str]:
    """(amount, currency): a number with its code; two currencies as one text."""
    if not amounts:
        return "", ""
    if len(amounts) == 1:
        code, amount = next(iter(amounts.items()))
        return float(amount), code
    return "; ".join(f"{amount} {code}" for code, amount in sorted(amounts.items())), ""


def funnel_table(report: HiringReport) -> Table:
    header = [_("Channel"), _("Résumés"), _("Invited"), _("Came"), _("No-shows"), _("Offered"), _("Hired"),
              _("Show-up rate"), _("Median days to hire"), _("Cost"), _("Cost per hire"), _("Currency")]

    def rows() -> Iterator[list[Any]]:
        for row in report.funnels:
            cost, code = _money(row.cost)
            per_hire, per_code = _money(row.cost_per_hire)
            days = row.median_days_to_hire
            yield [channel(row.label), row.resumes, row.invited, row.came, row.no_show, row.offered, row.hired,
                   _ratio(row.show_up), "" if days is None else round(days, 1), cost, per_hire, code or per_code]

    return header, rows()


def pace_table(report: HiringReport) -> Table:
    header = [_("Vacancy"), _("City"), _("Headcount"), _("Hired"), _("Still to hire"), _("Hires per week"),
              _("Weeks to fill"), _("Pace")]
    states = pace_states()

    def rows() -> Iterator[list[Any]]:
        for item in report.paces:
            pace = item.pace
            weeks = pace.weeks_to_fill
            yield [item.position, item.city, pace.headcount, pace.hired, pace.remaining, round(pace.per_week, 2),
                   "" if weeks is None else weeks, states[pace.state]]

    return header, rows()


def pace_states() -> dict[str, str]:
    return {"filled": _("filled"), "on_pace": _("at the current pace"),
            "stalled": _("no hires in the last weeks"), "no_hires": _("no hires yet")}


def scorecard_table(report: HiringReport) -> Table:
    header = [_("Interviewer"), _("Interviews held"), _("With their scorecard"), _("Missing"),
              _("Submission rate"), _("Target %(percent)s%%", percent=round(SCORECARD_TARGET * 100))]

    def rows() -> Iterator[list[Any]]:
        for rate in report.rates:
            met = meets_target(rate.rate)
            yield [rate.name, rate.held, rate.scored, rate.missing, _ratio(rate.rate),
                   "" if met is None else _("met") if met else _("below")]

    return header, rows()


TABLES: dict[str, tuple[str, Callable[[HiringReport], Table]]] = {
    "funnel": ("channel-funnel.csv", funnel_table),
    "pace": ("vacancy-pace.csv", pace_table),
    "scorecards": ("scorecard-rates.csv", scorecard_table),
}
