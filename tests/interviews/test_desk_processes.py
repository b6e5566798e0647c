"""Two app server processes on loopback against one database (the test's
SQLite file, or PostgreSQL with TEST_DB=postgres), as two gunicorn workers
are: an arrival checked in through one is on the other's next refresh, and
the other's show-rate model counts it at once. Nothing a process keeps
outlives the database's version of it."""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor

import pytest
import sqlalchemy as sa

from recruit.audit import AuditEntry
from recruit.extensions import db
from tests.servers import Browser, app_servers
from tests.worlds import busy_day

pytestmark = pytest.mark.pg

@pytest.fixture
def two_servers(clean_app, tmp_path):
    with app_servers(clean_app.config["SQLALCHEMY_DATABASE_URI"], tmp_path) as bases:
        yield bases


def _outcomes(page: str) -> int:
    return int(re.search(r"overall, from ([\d,]+) outcome", page).group(1).replace(",", ""))


def _came(report: str) -> int:
    """The arrivals the report's "Show-up by channel" table counts."""
    table = report[report.index("Show-up by channel"):].split("</section>")[0]
    return sum(int(came.replace(",", "")) for came, _invited in
               re.findall(r'<td class="num">([\d,]+)</td><td class="num">([\d,]+)</td>', table))


def test_an_arrival_checked_in_through_one_process_is_on_the_others_next_refresh(clean_app, two_servers):
    ids = busy_day.build(clean_app, 5)
    web_a, web_b = two_servers
    desk_a, desk_b, recruiter_b = Browser(web_a), Browser(web_b), Browser(web_b)
    desk_a.login(ids["desk"], busy_day.PASSWORD)
    desk_b.login(ids["desk"], busy_day.PASSWORD)
    recruiter_b.login(ids["recruiter"], busy_day.PASSWORD)
    day, booking = ids["session"], ids["expected"][0]
    state = f"/reception/{day}/state.json"

    status, whole = desk_b.json(state)  # the other screen, and its process, have seen the day
    assert status == 200
    shown = whole["version"]
    assert desk_b.json(state + f"?since={shown}")[1]["rows"] == []
    before = _outcomes(recruiter_b.open("/interviews/show-rates")[1])  # the model, fitted in process B
    assert _outcomes(recruiter_b.open("/interviews/show-rates")[1]) == before
    came = _came(recruiter_b.open("/interviews/reports")[1])  # the report's counts, kept in process B
    assert _came(recruiter_b.open("/interviews/reports")[1]) == came

    status, answer = desk_a.json(f"/bookings/{booking}/check-in", {}, {"X-Desk-Version": str(shown)})
    assert status == 200 and [r["id"] for r in answer["rows"]] == [booking]

    status, delta = desk_b.json(state + f"?since={shown}")
    assert status == 200 and delta["version"] == answer["version"] == shown + 1
    assert [r["id"] for r in delta["rows"]] == [booking] and "✓" in delta["rows"][0]["html"]
    assert delta["counts"]["arrived"] == whole["counts"]["arrived"] + 1
    status, page = desk_b.open(f"/reception/{day}")
    name = next(r["name"] for s in whole["slots"] for r in s["expected"] if r["id"] == booking)
    assert status == 200 and f"✓ {name}" in page
    assert _outcomes(recruiter_b.open("/interviews/show-rates")[1]) == before + 1  # no stale model either
    assert _came(recruiter_b.open("/interviews/reports")[1]) == came + 1  # nor stale counts

    # and back: the undo through B is on A's next refresh
    status, undone = desk_b.json(f"/bookings/{booking}/undo-check-in", {}, {"X-Desk-Version": str(shown + 1)})
    assert status == 200 and undone["version"] == shown + 2
    status, back = desk_a.json(state + f"?since={shown + 1}")
    assert [r["id"] for r in back["rows"]] == [booking] and "✓" not in back["rows"][0]["html"]
    assert back["counts"] == whole["counts"]


def test_two_screens_tapping_the_same_arrival_at_once_check_it_in_once(clean_app, two_servers):
    """Two receptionists' screens, served by two processes, tap the same name
    in the same instant: the booking's row is taken as the tap reads it, so
    one check-in lands and the other is told the candidate has arrived; the
    day's version moves once per arrival and the audit trail has one entry."""
    ids = busy_day.build(clean_app, 5)
    screens = [Browser(base) for base in two_servers]
    for screen in screens:
        screen.login(ids["desk"], busy_day.PASSWORD)
    day = ids["session"]
    shown = screens[0].json(f"/reception/{day}/state.json")[1]["version"]
    taps = ids["expected"][:3]
    with ThreadPoolExecutor(max_workers=2) as pool:
        for booking in taps:
            answers = list(pool.map(lambda screen, b=booking: screen.json(
                f"/bookings/{b}/check-in", {}, {"X-Desk-Version": str(shown)}), screens))
            assert sorted(status for status, _body in answers) == [200, 409], answers
            refused = next(body for status, body in answers if status == 409)
            assert "has already arrived" in refused["error"]["message"]
    assert screens[1].json(f"/reception/{day}/state.json")[1]["version"] == shown + len(taps)
    with clean_app.app_context():
        entries = db.session.scalars(sa.select(AuditEntry.object_id).where(
            AuditEntry.action == "booking.check_in", AuditEntry.object_id.in_(taps))).all()
    assert sorted(entries) == sorted(taps)
