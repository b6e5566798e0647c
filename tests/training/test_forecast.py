"""The readiness forecast read from a trainee's own daily curve."""

from __future__ import annotations

from datetime import date

from recruit.organisation.calendar import BusinessCalendar
from recruit.training.forecast import Target, forecast, naive

CAL = BusinessCalendar()
START = date(2027, 3, 1)  # a Monday
DUE = CAL.add_business_days(START, 19)
CALLS = Target("calls", 30, 5)


def _at(counts: list[int]):
    today = CAL.add_business_days(START, len(counts) - 1) if counts else START
    return forecast(counts, CALLS, calendar=CAL, stage_start=START, today=today, due_on=DUE)


def test_a_ramping_trainee_is_forecast_to_make_it_within_the_stage_with_a_band():
    made = _at([4, 9, 13, 17, 21, 24, 27])  # still far below 30 on average, but climbing
    assert not made.already_met and not made.at_risk and made.chance_by_due > 0.5
    assert made.earliest <= made.met_on <= made.latest
    assert CAL.add_business_days(START, 7) <= made.met_on <= DUE  # not before a window above 30 is possible
    assert naive([4, 9, 13, 17, 21, 24, 27], CALLS, calendar=CAL, stage_start=START) is None  # "never" at 16 a day


def test_a_flat_pace_far_below_the_target_is_at_risk():
    made = _at([11, 9, 12, 10, 11, 10, 12, 9])
    assert made.at_risk and made.chance_by_due < 0.1 and made.met_on is None
    assert 8 <= made.pace <= 13


def test_a_target_met_today_is_met_and_few_days_are_too_early():
    met = _at([20, 28, 31, 33, 32, 30, 34])
    assert met.already_met and met.met_on == CAL.add_business_days(START, 6) and not met.at_risk
    early = _at([12, 14])
    assert early.too_early and not early.at_risk and early.met_on is None


def test_the_same_curve_gives_the_same_forecast():
    assert _at([5, 10, 16, 19, 22, 25]) == _at([5, 10, 16, 19, 22, 25])


def test_a_slowing_ramp_is_not_extrapolated_in_a_straight_line():
    """The trend fades: a climb that has levelled off at 24 is not promised 30."""
    made = _at([6, 12, 17, 20, 22, 23, 24, 24, 23, 24, 24, 24])
    assert made.at_risk
