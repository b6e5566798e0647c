"""The hiring report a head of recruiting reads (the `hiring` world,
tests/worlds/hiring.py): the funnel per channel with show-up, time to hire
and cost per hire; the filters; the forecast per vacancy; the scorecard
rates against the 90 % target; the reminders; the exports read back."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from recruit import jobs
from recruit.auth.models import User
from recruit.extensions import db
from recruit.interviews import hiring_report, scorecard_reminders
from recruit.interviews.hiring_report import Filters
from recruit.interviews.models import Booking, Scorecard, ScorecardReminder
from recruit.interviews.pace import Pace, cost_per_hire, meets_target
from recruit.mail import OutboxMessage
from recruit.organisation.services import local_now
from recruit.utc import utcnow
from tests.conftest import login
from tests.statements import counting


def _report(app, filters: Filters = Filters()):
    with app.test_request_context("/"):
        return hiring_report.hiring_report(filters)


def _kyiv_now(app) -> datetime:
    with app.app_context():
        return local_now()


def _by_channel(report):
    return {row.channel: row for row in report.funnels}


def _sign_in(app, hiring, who="recruiter", locale=None):
    client = app.test_client()
    if locale:
        with app.app_context():
            db.session.get(User, hiring[who]).locale = locale
            db.session.commit()
    with app.app_context():
        email = db.session.get(User, hiring[who]).email
    login(client, email)
    return client


# --- the funnel per channel -------------------------------------------------------------

def test_the_funnel_per_channel_counts_each_step_show_up_time_and_cost_per_hire(clean_app, hiring):
    funnels = _by_channel(_report(clean_app))
    hh, work, referral = funnels["HeadHunter"], funnels["Work.ua"], funnels["Referral"]
    assert [v for _n, v in hh.stages()] == [8, 6, 3, 2, 1]
    assert hh.no_show == 2 and hh.show_up == pytest.approx(3 / 5)   # the cancelled invitation is no no-show
    assert hh.median_days_to_hire == pytest.approx(12, abs=0.01)
    assert hh.cost == {"UAH": Decimal("4000.00")} and hh.cost_per_hire == {"UAH": Decimal("4000.00")}
    assert [v for _n, v in work.stages()] == [4, 1, 1, 1, 1]       # hired without an interview day
    assert work.median_days_to_hire == pytest.approx(10, abs=0.01)
    assert work.cost_per_hire == {"UAH": Decimal("800.00")}
    assert [v for _n, v in referral.stages()] == [2, 0, 0, 0, 0] and referral.show_up is None
    assert referral.cost == {} and referral.cost_per_hire == {}
    total = _report(clean_app).total
    assert [v for _n, v in total.stages()] == [14, 7, 4, 3, 2]
    assert total.median_days_to_hire == pytest.approx(11, abs=0.01)


def test_a_period_counts_the_applications_received_in_it_and_the_costs_of_its_months(clean_app, hiring):
    today = _kyiv_now(clean_app).date()
    # HeadHunter's candidates came 30 days ago, Work.ua's 40, the referrals 5
    funnels = _by_channel(_report(clean_app, Filters(start=today - timedelta(days=35), end=today - timedelta(days=20))))
    assert set(funnels) >= {"HeadHunter"} and funnels["HeadHunter"].resumes == 8
    assert "Referral" not in funnels
    assert funnels.get("Work.ua") is None or funnels["Work.ua"].resumes == 0
    # January 2020's cost lies outside the period: 3,000 for HeadHunter's one hire
    assert funnels["HeadHunter"].cost_per_hire == {"UAH": Decimal("3000.00")}


def test_a_channel_that_cost_money_and_brought_no_hire_is_listed_with_no_cost_per_hire(clean_app, hiring):
    funnels = _by_channel(_report(clean_app, Filters(start=datetime(2020, 1, 1).date(),
                                                      end=datetime(2020, 1, 31).date())))
    assert funnels["HeadHunter"].resumes == 0 and funnels["HeadHunter"].cost == {"UAH": Decimal("1000.00")}
    assert funnels["HeadHunter"].cost_per_hire == {}


def test_the_vacancy_interviewer_and_channel_filters_narrow_the_funnel(clean_app, hiring):
    by_vacancy = _by_channel(_report(clean_app, Filters(vacancy_id=hiring["support"])))
    assert list(by_vacancy) == ["Referral"] and by_vacancy["Referral"].resumes == 2
    by_anna = _by_channel(_report(clean_app, Filters(interviewer_id=hiring["anna"])))
    assert list(by_anna) == ["HeadHunter"] and [v for _n, v in by_anna["HeadHunter"].stages()] == [2, 2, 2, 2, 1]
    assert by_anna["HeadHunter"].cost == {}  # a channel's cost is not one interviewer's
    by_channel = _report(clean_app, Filters(channel="Work.ua"))
    assert [f.channel for f in by_channel.funnels] == ["Work.ua"]
    assert [r.name for r in by_channel.rates] == []  # no Work.ua candidate was interviewed on a day


# --- the page and its filters ----------------------------------------------------------

def test_the_page_shows_the_funnel_the_forecast_and_the_scorecards_with_the_chart_described(clean_app, hiring):
    client = _sign_in(clean_app, hiring)
    page = client.get("/interviews/reports").get_data(as_text=True)
    assert 'aria-label="Funnel of all channels: Résumés 14, Invited 7, Came 4, Offered 3, Hired 2"' in page
    assert "60.0%" in page and "12 days" in page and "UAH4,000" in page and "UAH800" in page
    assert "about 4 weeks" in page and "No hires yet: no pace to forecast from" in page
    assert "50% · below the target" in page and "100% · meets the target" in page


def test_the_filters_apply_from_the_address(clean_app, hiring):
    client = _sign_in(clean_app, hiring)
    page = client.get(f"/interviews/reports?vacancy={hiring['support']}").get_data(as_text=True)
    assert 'aria-label="Funnel of all channels: Résumés 2, Invited 0, Came 0, Offered 0, Hired 0"' in page
    assert "Costs are left out when the report is narrowed to a vacancy" in page
    assert f'<option selected value="{hiring["support"]}">Support' in page
    page = client.get("/interviews/reports?channel=Work.ua").get_data(as_text=True)
    assert 'Résumés 4, Invited 1, Came 1, Offered 1, Hired 1"' in page


def _show_up_row(page: str, channel: str) -> str:
    found = re.search(r"<tr><td>" + re.escape(channel) + r"</td>(.*?)</tr>", page)
    return re.sub(r"<[^>]+>", " ", found.group(1)).split() if found else []


def test_the_show_up_tables_follow_a_new_outcome_and_each_readers_language(clean_app, hiring):
    """The show-up tables are written once per language while the outcomes stay put (reports.kept_with_outcomes)."""
    english, ukrainian = _sign_in(clean_app, hiring), _sign_in(clean_app, hiring, who="admin", locale="uk")
    page = english.get("/interviews/reports").get_data(as_text=True)
    assert "Show-up by channel" in page and _show_up_row(page, "HeadHunter") == ["3", "5", "60.0%"]
    page = ukrainian.get("/interviews/reports").get_data(as_text=True)
    assert "Явка за каналами" in page and _show_up_row(page, "HeadHunter") == ["3", "5", "60,0%"]
    with clean_app.app_context():  # the cancelled invitation turns out a no-show after all
        booking = db.session.get(Booking, hiring["bookings"][5])
        booking.state, booking.outcome_at = "no_show", utcnow()
        db.session.commit()
    page = english.get("/interviews/reports").get_data(as_text=True)
    assert "Show-up by channel" in page and _show_up_row(page, "HeadHunter") == ["3", "6", "50.0%"]
    page = ukrainian.get("/interviews/reports").get_data(as_text=True)
    assert _show_up_row(page, "HeadHunter") == ["3", "6", "50,0%"]


@pytest.mark.parametrize("query, field_message", [
    ("start=yesterday", "Not a valid date value."),
    ("start=2026-05-01&end=2026-04-01", "The period ends before it starts: choose a later end."),
    ("start=0001-01-01", "Choose a day between 2000 and 2100."),
    ("vacancy=abc", "Invalid Choice: could not coerce."),
    ("vacancy=99999999999", "Invalid Choice: could not coerce."),
    ("interviewer=999999", "Not a valid choice."),
    ("channel=Nowhere", "Not a valid choice."),
])
def test_a_filter_not_understood_is_named_and_left_out(clean_app, hiring, query, field_message):
    client = _sign_in(clean_app, hiring)
    response = client.get(f"/interviews/reports?{query}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert field_message in page and "Some filters were not understood and are left out" in page
    assert page.count('class="field-error"') == 1  # the other filters are fine
    assert "Résumés 14, Invited 7" in page  # nothing narrowed by the refused field


def test_the_filters_messages_come_in_the_readers_language(clean_app, hiring):
    client = _sign_in(clean_app, hiring, locale="uk")
    page = client.get("/interviews/reports?start=2026-05-01&end=2026-04-01").get_data(as_text=True)
    assert "Період закінчується раніше, ніж починається" in page
    assert "Воронка за каналами" in page


# --- the forecast ---------------------------------------------------------------------

def test_the_forecast_gives_weeks_to_fill_at_the_pace_of_the_last_four_weeks(clean_app, hiring):
    paces = {p.position: p.pace for p in _report(clean_app).paces}
    sales, support = paces["Client manager"], paces["Support"]
    assert (sales.headcount, sales.hired, sales.recent_hires, sales.remaining) == (3, 2, 1, 1)
    assert sales.per_week == pytest.approx(0.25) and sales.weeks_to_fill == 4 and sales.state == "on_pace"
    assert (support.hired, support.weeks_to_fill, support.state) == (0, None, "no_hires")


def test_the_pace_in_plain_numbers():
    assert Pace(5, 1, 2, 4).weeks_to_fill == 8          # 4 left at half a hire a week
    assert Pace(3, 3, 0, 4).state == "filled" and Pace(3, 3, 0, 4).weeks_to_fill == 0
    assert Pace(3, 1, 0, 4).state == "stalled" and Pace(3, 1, 0, 4).weeks_to_fill is None
    assert Pace(2, 0, 3, 4).weeks_to_fill == 3          # 2 / 0.75 = 2.67, said as 3 weeks
    assert cost_per_hire({"UAH": Decimal("1000")}, 3) == {"UAH": Decimal("333.33")}
    assert cost_per_hire({"UAH": Decimal("1000")}, 0) == {}
    assert meets_target(0.9) is True and meets_target(0.89) is False and meets_target(None) is None


# --- scorecards and reminders -------------------------------------------------------------

def test_the_scorecard_rate_counts_each_interviewers_own_cards(clean_app, hiring):
    rates = {r.name: r for r in _report(clean_app).rates}
    assert (rates["Anna Interviewer"].held, rates["Anna Interviewer"].scored) == (2, 1)
    assert rates["Anna Interviewer"].rate == 0.5 and not meets_target(rates["Anna Interviewer"].rate)
    assert (rates["Boris Interviewer"].held, rates["Boris Interviewer"].scored) == (1, 1)
    assert [r.name for r in _report(clean_app).rates] == ["Anna Interviewer", "Boris Interviewer"]  # worst first
    # a card Boris writes for Anna's interview is not hers
    with clean_app.test_request_context("/"):
        db.session.add(Scorecard(booking_id=hiring["bookings"][1], interviewer_id=hiring["boris"], motivation=3,
                                 competence=3, adequacy=3))
        db.session.commit()
    assert {r.name: r.scored for r in _report(clean_app).rates}["Anna Interviewer"] == 1


def _reminders(app):
    with app.app_context():
        return db.session.execute(sa.select(OutboxMessage.recipient, OutboxMessage.subject, OutboxMessage.body)
                                  .where(OutboxMessage.kind == "interview.scorecard_reminder")).all()


def test_the_button_reminds_each_interviewer_once_in_their_language_with_the_links(clean_app, hiring):
    client = _sign_in(clean_app, hiring)
    with clean_app.app_context():
        db.session.get(User, hiring["anna"]).locale = "uk"
        db.session.commit()
    response = client.post("/interviews/reports/scorecard-reminders", follow_redirects=True)
    assert "1 interviewer was reminded of 1 missing scorecard." in response.get_data(as_text=True)
    sent = _reminders(clean_app)
    assert len(sent) == 1
    recipient, subject, body = sent[0]
    assert recipient == "anna@x.test" and subject == "1 оцінювальний лист треба заповнити"
    assert f"/bookings/{hiring['bookings'][1]}/scorecard" in body and "HH Candidate 1" in body
    assert f"/bookings/{hiring['bookings'][0]}/scorecard" not in body  # that one she filled in
    again = client.post("/interviews/reports/scorecard-reminders", follow_redirects=True)  # a double click
    assert "No interviewer is owed a reminder" in again.get_data(as_text=True)
    assert len(_reminders(clean_app)) == 1
    with clean_app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(ScorecardReminder.id))) == 1


def test_the_morning_job_asks_from_eight_for_the_days_before(clean_app, hiring):
    assert "interviews.scorecard_reminders" in jobs._PERIODIC
    kyiv_morning = _kyiv_now(clean_app).replace(hour=7, minute=30)
    with clean_app.app_context():  # as a worker runs it: no request
        assert scorecard_reminders.remind_next_morning(kyiv_morning.astimezone(UTC)) == 0
        assert scorecard_reminders.remind_next_morning(kyiv_morning.replace(hour=9).astimezone(UTC)) == 1
        db.session.commit()
        assert scorecard_reminders.remind_next_morning(kyiv_morning.replace(hour=10).astimezone(UTC)) == 0
    assert [r.recipient for r in _reminders(clean_app)] == ["anna@x.test"]


def test_a_day_not_over_yet_is_not_chased(clean_app, hiring):
    with clean_app.test_request_context("/"):
        session_end = db.session.scalar(sa.select(sa.func.max(Scorecard.created_at)))
        assert scorecard_reminders.send_reminders(session_end - timedelta(days=30)).scorecards == 0
    assert _reminders(clean_app) == []


# --- exports ---------------------------------------------------------------------------

def test_the_exports_follow_the_filters_and_read_back(clean_app, hiring):
    client = _sign_in(clean_app, hiring)
    response = client.get("/interviews/reports/funnel.csv?channel=HeadHunter")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][:7] == ["Channel", "Résumés", "Invited", "Came", "No-shows", "Offered", "Hired"]
    assert rows[1][:7] == ["HeadHunter", "8", "6", "3", "2", "2", "1"]
    assert rows[1][7:] == ["0.6", "12.0", "4000.0", "4000.0", "UAH"] and len(rows) == 2
    book = load_workbook(io.BytesIO(client.get("/interviews/reports/funnel.csv?format=xlsx").data), read_only=True)
    table = {row[0]: row for row in book.active.iter_rows(min_row=2, values_only=True)}
    assert table["Work.ua"][1:7] == (4, 1, 1, 0, 1, 1) and table["Work.ua"][10] == 800
    pace = load_workbook(io.BytesIO(client.get("/interviews/reports/pace.csv?format=xlsx").data), read_only=True)
    paces = {row[0]: row for row in pace.active.iter_rows(min_row=2, values_only=True)}
    assert paces["Client manager"][2:7] == (3, 2, 1, 0.25, 4) and paces["Support"][6] is None
    assert paces["Support"][7] == "no hires yet"
    cards = list(csv.reader(io.StringIO(client.get(f"/interviews/reports/scorecards.csv?interviewer={hiring['anna']}")
                                        .get_data(as_text=True).lstrip("\ufeff"))))
    assert cards[1:] == [["Anna Interviewer", "2", "1", "1", "0.5", "below"]]


def test_the_reports_page_reads_as_many_statements_with_more_rows(clean_app, hiring, make):
    client = _sign_in(clean_app, hiring)
    url = f"/interviews/reports?start=2021-01-01&channel=HeadHunter&vacancy={hiring['sales']}"
    client.get(url)
    with counting(clean_app) as few:
        assert client.get(url).status_code == 200
    for n in range(20):
        make.candidate(hiring["sales"], full_name=f"More {n}", source=("HeadHunter", "Djinni", f"Board {n}")[n % 3])
    with counting(clean_app) as many:
        assert client.get(url).status_code == 200
    assert len(few) == len(many) and len(few) <= 12, (len(few), len(many))


def test_the_report_needs_the_staff(clean_app, hiring):
    client = _sign_in(clean_app, hiring, who="anna")
    assert client.get("/interviews/reports/funnel.csv").status_code == 403
    assert client.post("/interviews/reports/scorecard-reminders").status_code in (400, 403)
    assert _reminders(clean_app) == []


def test_small_counts_are_written_as_babel_writes_them_in_every_language(clean_app):
    from babel.numbers import format_decimal

    from recruit.i18n import in_language
    from recruit.templating import _num

    with clean_app.test_request_context("/"):
        for code in ("en", "uk", "ru", "bg", "ro", "bs", "ka"):
            with in_language(code):
                for value in (0, 7, 42, 999, 1000, 12345):
                    assert _num(value) == format_decimal(value, locale=code), (code, value)


def test_the_bookings_export_follows_the_filters_too(clean_app, hiring):
    client = _sign_in(clean_app, hiring)
    everyone = list(csv.reader(io.StringIO(client.get("/interviews/reports.csv").get_data(as_text=True)
                                           .lstrip("\ufeff"))))
    assert len(everyone) == 1 + 6
    annas = load_workbook(io.BytesIO(client.get(f"/interviews/reports.csv?format=xlsx&interviewer={hiring['anna']}")
                                     .data), read_only=True)
    rows = list(annas.active.iter_rows(min_row=2, values_only=True))
    assert [(r[4], r[11]) for r in rows] == [("HH Candidate 0", "Anna Interviewer"),
                                             ("HH Candidate 1", "Anna Interviewer")]
    none = client.get(f"/interviews/reports.csv?vacancy={hiring['support']}").get_data(as_text=True)
    assert len(none.lstrip("\ufeff").splitlines()) == 1  # the header: Support had no interview day


def test_at_a_group_sitting_every_interviewer_of_the_panel_owes_a_scorecard(clean_app, make):
    from datetime import time, timedelta

    from recruit.interviews import bookings, desk, hiring_report, scorecard_reminders, scorecards, sessions
    from recruit.interviews.models import Booking
    from recruit.organisation.services import local_now
    from recruit.utc import utcnow
    from recruit.vacancies.models import Vacancy
    from tests.worlds.interviews import move_day

    recruiter = make.user("recruiter", email="grp-rec@x.test")
    olga = make.user("hiring_manager", email="olga@x.test", name="Olga Panel")
    petro = make.user("mentor", email="petro@x.test", name="Petro Panel")
    vacancy = make.vacancy("open", manager=olga)
    apps = [make.candidate(vacancy, full_name=f"Group Guest {n}") for n in range(2)]
    with clean_app.app_context():
        by = db.session.get(User, recruiter)
        sitting = sessions.create_session(
            kind="group", title="Group", vacancy=db.session.get(Vacancy, vacancy),
            day=local_now().date() + timedelta(days=40), start=time(10), end=time(11), seats=6, place="Room",
            interviewers=[sessions.InterviewerHours(olga), sessions.InterviewerHours(petro)], created_by=by)
        made = bookings.book(sitting, [(a, 0) for a in apps], None, by).invited
        for booking in made:
            desk.check_in(booking, by)
        for booking in made:
            scorecards.record_scorecard(booking, db.session.get(User, olga), motivation=4, competence=4, adequacy=4)
        scorecards.record_scorecard(made[0], db.session.get(User, petro), motivation=3, competence=3, adequacy=3)
        move_day(sitting, timedelta(days=-45))  # the sitting was held, and is over
        db.session.commit()
        assert all(db.session.get(Booking, b.id).interviewer_id == olga for b in made)  # the first to score
        rates = {r.name: (r.held, r.scored) for r in hiring_report.scorecard_rates(hiring_report.Filters())}
        assert rates == {"Olga Panel": (2, 2), "Petro Panel": (2, 1)}
        missing = scorecard_reminders._missing(utcnow())
        assert {uid: [b for b, *_rest in rows] for uid, rows in missing.items()} == {petro: [made[1].id]}
        sent = scorecard_reminders.send_reminders(utcnow())
        db.session.commit()
        assert (sent.interviewers, sent.scorecards) == (1, 1)
        assert scorecard_reminders._missing(utcnow()) == {}  # asked once
