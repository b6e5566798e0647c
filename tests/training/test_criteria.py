"""Each kind of exit criterion, met and not met, with its evidence."""

from datetime import date

import pytest

from recruit.organisation.calendar import BusinessCalendar
from recruit.training.criteria import CriterionError, Facts, RolePlayFact, TaskFact, evaluate, validate

CAL = BusinessCalendar.of([0, 1, 2, 3, 4], [date(2026, 11, 4)])  # Wednesday 4 Nov is a holiday
MONDAY = date(2026, 11, 9)


def facts(**kw):
    base = dict(today=date(2026, 11, 13), calendar=CAL, stage_start=date(2026, 11, 2))
    base.update(kw)
    return Facts(**base)


def test_tasks_done():
    tasks = [TaskFact("Briefing", True, date(2026, 11, 2)), TaskFact("CRM account", True, None),
             TaskFact("Optional reading", False, None)]
    result = evaluate("tasks_done", {}, facts(tasks=tasks))
    assert not result.met and "1 of 2" in result.evidence and "CRM account" in result.evidence
    tasks[1] = TaskFact("CRM account", True, date(2026, 11, 3))
    assert evaluate("tasks_done", {}, facts(tasks=tasks)).met


def test_activity_average_over_business_days_skips_weekends_and_holidays():
    params = {"metric": "calls", "min_per_day": 30, "window_days": 5}
    # Mon 9 .. Fri 13 November: 150 calls in 5 business days
    week = {date(2026, 11, d): {"calls": 30} for d in range(9, 14)}
    week[date(2026, 11, 7)] = {"calls": 500}  # a Saturday does not count
    result = evaluate("activity", params, facts(activity=week))
    assert result.met and "30.0 a day" in result.evidence and "Nov 9, 2026 – Nov 13, 2026" in result.evidence
    week[date(2026, 11, 12)] = {"calls": 29}
    assert not evaluate("activity", params, facts(activity=week)).met
    # on Sunday the window still ends on Friday
    assert not evaluate("activity", params, facts(activity=week, today=date(2026, 11, 15))).met
    # a window across the holiday: Tue 3, Thu 5, Fri 6, Mon 9, Tue 10
    days = {date(2026, 11, d): {"leads": 2} for d in (3, 5, 6, 9, 10)}
    result = evaluate("activity", {"metric": "leads", "min_per_day": 2, "window_days": 5},
                      facts(activity=days, today=date(2026, 11, 10)))
    assert result.met and "Nov 3, 2026 – Nov 10, 2026" in result.evidence
    # not enough days in the stage yet
    early = evaluate("activity", params, facts(activity=week, stage_start=MONDAY, today=date(2026, 11, 11)))
    assert not early.met and "3 of the 5" in early.evidence


def test_quiz_passed():
    assert not evaluate("quiz_passed", {"quiz": "products"}, facts()).met
    assert evaluate("quiz_passed", {"quiz": "products"}, facts(quizzes={"products": True})).met
    assert not evaluate("quiz_passed", {"quiz": "products"}, facts(quizzes={"products": False})).met


def test_role_play_within_two_tries():
    first_fail = RolePlayFact(date(2026, 11, 10), False)
    assert not evaluate("role_play", {}, facts(role_plays=[first_fail])).met
    second_pass = RolePlayFact(date(2026, 11, 12), True)
    result = evaluate("role_play", {}, facts(role_plays=[second_pass, first_fail]))
    assert result.met and "try 2" in result.evidence
    two_fails = [first_fail, RolePlayFact(date(2026, 11, 12), False)]
    result = evaluate("role_play", {}, facts(role_plays=two_fails))
    assert not result.met and result.needs_decision
    late_pass = [*two_fails, RolePlayFact(date(2026, 11, 13), True)]
    assert not evaluate("role_play", {}, facts(role_plays=late_pass)).met  # a third try does not count


def test_sign_off():
    assert not evaluate("sign_off", {"role": "mentor"}, facts()).met
    assert evaluate("sign_off", {"role": "mentor"}, facts(sign_offs=frozenset({"mentor"}))).met


@pytest.mark.parametrize("kind, params", [
    ("bogus", {}), ("activity", {"metric": "naps", "min_per_day": 1, "window_days": 5}),
    ("activity", {"metric": "calls", "min_per_day": -1, "window_days": 5}),
    ("sign_off", {"role": "janitor"}), ("quiz_passed", {}), ("role_play", {"max_tries": 0}),
])
def test_invalid_criteria_are_refused(kind, params):
    with pytest.raises(CriterionError):
        validate(kind, params)


def test_criteria_lines_round_trip():
    from recruit.training.criteria import format_lines, parse_lines

    text = "tasks_done\nactivity calls 30 5\n\nquiz_passed product-knowledge\nrole_play 2\nsign_off mentor"
    items = parse_lines(text)
    assert items[1] == {"kind": "activity", "metric": "calls", "min_per_day": 30.0, "window_days": 5}
    assert format_lines(items) == text.replace("\n\n", "\n")
    for bad, message in (("activity calls thirty 5", "line 1: numbers"), ("tasks_done\nsign_off janitor", "line 2"),
                         ("dance", "not a criterion")):
        with pytest.raises(CriterionError, match=message):
            parse_lines(bad)


def test_the_evidence_is_written_in_the_current_language(ctx):
    from babel.dates import format_date

    from recruit.i18n import in_language

    week = {date(2026, 11, d): {"calls": 30} for d in range(9, 14)}
    params = {"metric": "calls", "min_per_day": 30, "window_days": 5}
    with in_language("uk"):
        result = evaluate("activity", params, facts(activity=week))
    assert format_date(date(2026, 11, 9), "medium", locale="uk") in result.evidence
    assert "30,0" in result.evidence  # the decimal comma
