"""The business calendar each process keeps: built once from the holidays,
kept while the settings' calendar stamp stays put, and never kept past a
change of a holiday, whichever process makes it."""

from __future__ import annotations

import re
from datetime import date

import pytest
import sqlalchemy as sa

from recruit.extensions import db
from recruit.organisation import services as org
from recruit.organisation.models import Holiday
from tests.factories import PASSWORD
from tests.servers import Browser, app_servers
from tests.statements import counting


def _reads_holidays(statements: list[str]) -> int:
    return sum(1 for s in statements if "FROM holidays" in s)


def test_a_second_request_reads_no_holiday_and_a_change_is_met_at_once(clean_app):
    with clean_app.app_context():
        org.get_settings()  # the organisation's settings row, as every installation has
        org.add_holiday(date(2027, 1, 7), "Christmas")
        db.session.commit()
    with counting(clean_app) as first, clean_app.test_request_context("/"):
        assert not org.calendar().is_business_day(date(2027, 1, 7))
    with counting(clean_app) as second, clean_app.test_request_context("/"):
        assert not org.calendar().is_business_day(date(2027, 1, 7))
    assert _reads_holidays(first) == 1 and _reads_holidays(second) == 0

    with clean_app.test_request_context("/"):
        org.remove_holiday(db.session.scalar(sa.select(Holiday.id)))
        org.add_holiday(date(2027, 1, 8), "A bridge day")
        db.session.commit()
    with counting(clean_app) as third, clean_app.test_request_context("/"):
        cal = org.calendar()
    assert cal.is_business_day(date(2027, 1, 7)) and not cal.is_business_day(date(2027, 1, 8))
    assert _reads_holidays(third) == 1


def test_a_holiday_rolled_back_is_not_kept(clean_app):
    with clean_app.test_request_context("/"):
        kept = org.calendar()
        org.add_holiday(date(2027, 3, 3), "Liberation Day")
        db.session.flush()
        assert not org.calendar().is_business_day(date(2027, 3, 3))  # the request sees its own change
        db.session.rollback()
    with clean_app.test_request_context("/"):
        assert org.calendar().is_business_day(date(2027, 3, 3))
        assert org.calendar().holidays == kept.holidays


def test_a_changed_working_week_is_met_without_a_stamp(clean_app):
    with clean_app.test_request_context("/"):
        assert not org.calendar().is_business_day(date(2027, 3, 6))  # a Saturday
        org.get_settings().working_days = [0, 1, 2, 3, 4, 5]
        db.session.commit()
    with clean_app.test_request_context("/"):
        assert org.calendar().is_business_day(date(2027, 3, 6))


def _chart_days(page: str) -> list[str]:
    """The days of the new hire's activity chart (each bar's title: "<day>: <calls>")."""
    chart = page[page.index('id="activity"'):]
    return re.findall(r'title="([^":]+): \d+"', chart.split("</section>")[0])


@pytest.mark.pg
def test_a_holiday_added_through_one_process_is_in_the_others_next_page(clean_app, make, tmp_path):
    """Two app server processes, as two gunicorn workers: the new hire's plan
    is open in B, the admin adds a recent business day as a holiday in A, and
    B's next page of the plan charts the business days without it."""
    make.user("admin", email="admin@x.test")
    mentor = make.user("mentor", email="mentor@x.test")
    make.user("new_hire", email="hire@x.test")
    make.plan(mentor, hire_email="hire@x.test", days_ago=40)
    with clean_app.app_context():
        today = org.local_now().date()
        cal = org.calendar()
        day = cal.add_business_days(today if cal.is_business_day(today) else cal.add_business_days(today, -1), -2)
    with app_servers(clean_app.config["SQLALCHEMY_DATABASE_URI"], tmp_path) as (web_a, web_b):
        admin_a, hire_b = Browser(web_a), Browser(web_b)
        admin_a.login("admin@x.test", PASSWORD)
        hire_b.login("hire@x.test", PASSWORD)
        before = _chart_days(hire_b.open("/my-plan")[1])
        assert before == _chart_days(hire_b.open("/my-plan")[1]) and len(before) == 15
        status, _page = admin_a.open("/admin/settings/holidays", {"day": day.isoformat(), "name": "Strike",
                                                                  "kind": "day_off"})
        assert status == 200
        with clean_app.app_context():
            assert db.session.scalar(sa.select(Holiday.day)) == day
        after = _chart_days(hire_b.open("/my-plan")[1])
        assert len(after) == 15 and after != before
        assert set(before) - set(after) == {before[-3]}  # the holiday's bar is gone, an earlier day joins
        assert after[1:] == [d for d in before if d != before[-3]]
        with clean_app.app_context():
            holiday_id = db.session.scalar(sa.select(Holiday.id))
        assert admin_a.open(f"/admin/settings/holidays/{holiday_id}/remove", {})[0] == 200
        assert _chart_days(hire_b.open("/my-plan")[1]) == before

