"""The arithmetic of the hiring report, apart from Flask and the database:
the funnel's rates, the median time to hire, the pace of hiring and the
weeks it takes at that pace to fill what is left, and the scorecard share
against structured hiring's 90 % target."""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

# Structured interviewing (one scorecard per interview, written by the
# interviewer right after it) is held to nine in ten in practice; below it
# the funnel's decisions rest on memory. docs/decisions.md.
SCORECARD_TARGET = 0.9
PACE_WINDOW_WEEKS = 4  # the hires of the last four weeks set the pace


def share(part: int, whole: int) -> float | None:
    """part / whole, None when there is no whole to speak of (not 0 %)."""
    return part / whole if whole else None


def median_days(days: Sequence[float]) -> float | None:
    return statistics.median(days) if days else None


def cost_per_hire(costs: dict[str, Decimal], hires: int) -> dict[str, Decimal]:
    """{currency: cost / hires}; empty without hires or costs (no figure, not zero)."""
    if not hires:
        return {}
    return {code: (total / hires).quantize(Decimal("0.01")) for code, total in sorted(costs.items())}


@dataclass(frozen=True)
class Pace:
    """How a vacancy fills: what is left, the hires per week over the window
    and the weeks left at that pace (None when there is no pace to go by)."""

    headcount: int
    hired: int
    recent_hires: int
    window_weeks: int

    @property
    def remaining(self) -> int:
        return max(self.headcount - self.hired, 0)

    @property
    def per_week(self) -> float:
        return self.recent_hires / self.window_weeks if self.window_weeks else 0.0

    @property
    def weeks_to_fill(self) -> int | None:
        """Whole weeks, rounded up: a plan says "3 weeks", not "2.4"."""
        if not self.remaining:
            return 0
        if self.per_week <= 0:
            return None
        return math.ceil(self.remaining / self.per_week - 1e-9)

    @property
    def state(self) -> str:
        """filled | on_pace | stalled (hires before the window, none in it) | no_hires."""
        if not self.remaining:
            return "filled"
        if self.per_week > 0:
            return "on_pace"
        return "stalled" if self.hired else "no_hires"


def meets_target(rate: float | None, target: float = SCORECARD_TARGET) -> bool | None:
    return None if rate is None else rate >= target - 1e-9
