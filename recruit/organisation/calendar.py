"""Business-day arithmetic over an organisation's working week and holidays.
No Flask here: the onboarding plan and reminders reuse it as plain code.

Governments move days off by decree (a working Saturday in exchange for a
bridge Monday): `working_dates` are worked whatever the weekday, and win
over the week and over `holidays`."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta


@dataclass(frozen=True)
class BusinessCalendar:
    working_days: frozenset[int] = frozenset({0, 1, 2, 3, 4})  # Monday is 0
    holidays: frozenset[date] = field(default_factory=frozenset)
    working_dates: frozenset[date] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        if not self.working_days:
            raise ValueError("a working week needs at least one working day")
        if not self.working_days <= set(range(7)):
            raise ValueError("working days are numbered 0 (Monday) to 6 (Sunday)")

    @classmethod
    def of(cls, working_days: Iterable[int], holidays: Iterable[date] = (),
           working_dates: Iterable[date] = ()) -> BusinessCalendar:
        return cls(frozenset(working_days), frozenset(holidays), frozenset(working_dates))

    def is_business_day(self, day: date) -> bool:
        if day in self.working_dates:
            return True
        return day.weekday() in self.working_days and day not in self.holidays

    def next_business_day(self, day: date) -> date:
        """`day` itself when it is a business day, else the first one after it."""
        while not self.is_business_day(day):
            day += timedelta(days=1)
        return day

    def add_business_days(self, start: date, days: int) -> date:
        """The business day `days` business days after `start` (0: start, moved
        forward to a business day); negative counts go backwards."""
        step = 1 if days >= 0 else -1
        day = self.next_business_day(start) if step > 0 else start
        remaining = abs(days)
        while remaining:
            day += timedelta(days=step)
            if self.is_business_day(day):
                remaining -= 1
        return day

    def business_days_between(self, start: date, end: date) -> int:
        """Business days in [start, end)."""
        if end < start:
            return -self.business_days_between(end, start)
        return sum(1 for n in range((end - start).days) if self.is_business_day(start + timedelta(days=n)))
