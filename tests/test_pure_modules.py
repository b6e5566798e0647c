"""The plain modules with no Flask: business days, the funnel, the CSV reader."""

from datetime import date
from pathlib import Path

import pytest

from recruit.organisation.calendar import BusinessCalendar
from recruit.tabular import reports
from recruit.vacancies import candidate_rows, funnel
from recruit.vacancies.pipeline import can_transition, next_stage, stage_moves

FIXTURES = Path(__file__).parent / "fixtures"


def test_business_days_skip_weekends_and_holidays():
    cal = BusinessCalendar.of([0, 1, 2, 3, 4], [date(2027, 1, 7)])
    friday = date(2026, 11, 27)
    assert cal.add_business_days(friday, 1) == date(2026, 11, 30)
    assert cal.add_business_days(friday, 0) == friday
    assert cal.add_business_days(date(2026, 11, 28), 0) == date(2026, 11, 30)  # Saturday moves to Monday
    assert cal.add_business_days(date(2027, 1, 6), 1) == date(2027, 1, 8)  # the holiday is skipped
    assert cal.add_business_days(date(2026, 11, 30), -1) == date(2026, 11, 27)
    assert cal.business_days_between(date(2026, 11, 23), date(2026, 11, 30)) == 5


def test_six_day_week_and_invalid_weeks():
    cal = BusinessCalendar.of([0, 1, 2, 3, 4, 5])
    assert cal.add_business_days(date(2026, 11, 27), 1) == date(2026, 11, 28)
    with pytest.raises(ValueError):
        BusinessCalendar.of([])
    with pytest.raises(ValueError):
        BusinessCalendar.of([7])


def test_funnel_defaults_follow_the_domain_numbers():
    rates = (funnel.Rate(0, 0, funnel.DEFAULT_INVITE_RATE), funnel.Rate(0, 0, funnel.DEFAULT_SHOW_RATE),
             funnel.Rate(0, 0, funnel.DEFAULT_HIRE_RATE))
    result = funnel.forecast(1, *rates)
    assert result.interviews == 5
    assert result.invitations == 25  # 1 in 5 invited comes
    assert 100 <= result.resumes <= 150  # ~100 résumés for 15-20 invitations
    assert funnel.forecast(0, *rates).resumes == 0


def test_funnel_moves_to_observed_rates_with_data():
    show = funnel.Rate(observed=500, trials=1000, default=0.2)  # this company sees 1 in 2 come
    assert show.from_data and 0.49 < show.value < 0.5
    few = funnel.Rate(observed=2, trials=2, default=0.2)  # two lucky arrivals barely move it
    assert not few.from_data and few.value < 0.3
    base = funnel.forecast(2, funnel.Rate(0, 0, 0.175), funnel.Rate(0, 0, 0.2), funnel.Rate(0, 0, 0.2))
    better = funnel.forecast(2, funnel.Rate(0, 0, 0.175), show, funnel.Rate(0, 0, 0.2))
    assert better.invitations < base.invitations


def test_vacancy_states_and_stage_moves():
    assert can_transition("draft", "in_review") and can_transition("on_hold", "open")
    assert not can_transition("draft", "open") and not can_transition("filled", "open")
    assert "rejected" in stage_moves("new") and "new" not in stage_moves("new")
    assert stage_moves("hired") == ()
    assert stage_moves("rejected") == ("reopen",)
    assert next_stage("new") == "screened" and next_stage("offer") == "hired"
    assert next_stage("hired") is None and next_stage("withdrawn") == "reopen"


def test_job_board_export_in_windows_1251():
    parsed = candidate_rows.parse((FIXTURES / "candidates_jobboard_cp1251.csv").read_bytes())
    assert parsed.encoding == "cp1251" and parsed.delimiter == ";"
    assert parsed.headers[0] == "ФИО" and len(parsed.rows) == 33
    mapping = candidate_rows.guess_mapping(parsed.headers)
    assert mapping["full_name"] == 0 and mapping["phone"] == 1 and mapping["email"] == 2
    assert mapping["experience_years"] == 4
    result = candidate_rows.validate(parsed, mapping)
    assert len(result.valid) == 29  # 28 good rows and the quoted ';' one
    problems = {(e.line, e.column): e.reason for e in result.errors}
    assert problems == {
        (30, "Email"): "neither an e-mail nor a phone number is given",
        (31, "Email"): "“not-an-email” is not a valid e-mail address",
        (32, "Email"): "duplicate of line 5",
        (33, "Опыт работы, лет"): "experience cannot be negative",
    }
    quoted = next(r for r in result.valid if r.line == 34)
    assert quoted.full_name == "Точка; С запятой"
    decimal = next(r for r in result.valid if r.email == "andrey.kozlova2@example.ru")
    assert decimal.experience_years == 0.5


def test_utf8_comma_file_and_normalisation():
    data = ("Name,E-mail,Phone,Experience\n"
            "Ivan Petrov, IVAN@Example.COM ,8 (916) 123-45-67,2.5\n"
            "\n"
            "\"Multi\nLine\",multi@example.com,,\n"
            "Ivan Twin,ivan@example.com,,1\n").encode("utf-8-sig")
    parsed = candidate_rows.parse(data)
    assert parsed.encoding == "utf-8" and parsed.delimiter == ","
    result = candidate_rows.validate(parsed, candidate_rows.guess_mapping(parsed.headers), region="RU")
    first = result.valid[0]
    assert first.email_norm == "ivan@example.com" and first.phone_norm == "+79161234567"  # E.164, read in Russia
    assert [e.line for e in result.errors] == [6]  # line numbers count the multi-line record
    assert result.errors[0].reason == "duplicate of line 2"


@pytest.mark.parametrize("data, message", [
    (b"", "empty"),
    (b"\x00\x01\x02binary", "not a text"),
    (b"Name,Email\n", None),
])
def test_unreadable_files(data, message):
    if message is None:
        assert candidate_rows.parse(data).rows == []
    else:
        with pytest.raises(reports.FileError, match=message):
            candidate_rows.parse(data)


def test_mapping_must_identify_people():
    parsed = candidate_rows.parse(b"Name,City\nA,B\n")
    with pytest.raises(reports.FileError, match="e-mail or the phone"):
        candidate_rows.validate(parsed, candidate_rows.guess_mapping(parsed.headers))
