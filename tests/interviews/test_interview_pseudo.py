"""The interview pages that no link leads to (the plan, a hand-edited plan
beyond the planner's numbers, the candidate's own page in each state, the
expired link, the scorecard, the front desk with arrivals and a refusal),
rendered under the pseudo-translation: interface text that skipped the
catalogue fails, with the page and the words (tests/i18n/pseudo.py)."""

from __future__ import annotations

import re
from datetime import time, timedelta

import pytest
import sqlalchemy as sa

from recruit.auth.models import User
from recruit.interviews import sessions as days
from recruit.organisation.services import local_now
from tests.conftest import login
from tests.i18n import pseudo
from tests.i18n.test_pseudo_locale import pseudo_app  # noqa: F401 - the fixture

ACCEPT = {"Accept-Language": pseudo.PSEUDO_LOCALE}


def _unmarked(response, data: set[str]) -> list[str]:
    assert response.status_code in (200, 410), (response.status_code, response.headers.get("Location"))
    found = []
    for text in pseudo.visible_text(response.get_data(as_text=True)):
        found += [f"{word!r} in {text.strip()[:80]!r}" for word in pseudo.unmarked_words(text)
                  if word.lower() not in data]
    return sorted(set(found))


@pytest.fixture
def demo_day(pseudo_app):  # noqa: F811
    """The demo's stream day (under way) and group day, in the pseudo language."""
    from recruit.extensions import db
    from recruit.interviews.models import InterviewSession

    app, data = pseudo_app
    with app.app_context():
        sessions = db.session.scalars(sa.select(InterviewSession).where(InterviewSession.cancelled_at.is_(None))
                                      .order_by(InterviewSession.starts_at)).unique().all()
        today = local_now().date()
        # today's; the others are the demo's history and tomorrow's day (its call round)
        stream = [s for s in sessions if s.kind == "stream" and s.day == today][-1]
        tomorrow = next(s for s in sessions if s.kind == "stream" and s.day == today + timedelta(days=1))
        group = [s for s in sessions if s.kind == "group"][-1]
        # the planner's pages need a day with slots to come, whatever the hour the suite runs at
        # (the demo's day ends at 23:30 when it is started late in the evening); clear of tomorrow's
        planned = days.create_session(
            kind="stream", title=stream.title, vacancy=stream.vacancy, day=stream.day + timedelta(days=3),
            start=time(10), end=time(14), slot_minutes=stream.slot_minutes, place=stream.place,
            interviewers=[days.InterviewerHours(i.user_id) for i in stream.interviewers],
            created_by=db.session.get(User, stream.created_by_id))
        db.session.commit()
        ids = {"stream": stream.id, "group": group.id, "vacancy": stream.vacancy_id, "planned": planned.id,
               "tomorrow": tomorrow.id}
    return app, data, ids


def _pages(client, ids) -> dict[str, object]:
    from recruit.extensions import db
    from recruit.interviews.models import LIVE_STATES, Booking
    from recruit.vacancies.models import Application

    pages = {}
    for path in ("/interviews", f"/interviews/{ids['stream']}", f"/interviews/{ids['group']}", "/interviews/new",
                 "/interviews/show-rates", "/interviews/reports", f"/reception/{ids['stream']}",
                 f"/reception/{ids['stream']}?partial=1", "/my-interviews", f"/interviews/{ids['tomorrow']}",
                 f"/interviews/{ids['tomorrow']}/calls", f"/interviews/{ids['tomorrow']}/calls?show=to_call"):
        pages[path] = client.get(path, headers=ACCEPT)
    with client.application.app_context():
        booked = sa.select(Booking.application_id).where(Booking.state.in_(LIVE_STATES))
        apps = [a.id for a in db.session.scalars(sa.select(Application).where(
            Application.vacancy_id == ids["vacancy"], Application.stage.in_(("new", "screened")),
            Application.id.not_in(booked))).unique()]
    if apps:
        pages["schedule"] = client.get("/interviews/schedule", query_string={"vacancy": ids["vacancy"], "a": apps},
                                       headers=ACCEPT)
        pages["plan"] = client.get(f"/interviews/{ids['group']}/plan", query_string={"a": apps}, headers=ACCEPT)
        plan = client.get(f"/interviews/{ids['planned']}/plan", query_string={"a": apps}, headers=ACCEPT)
        html = plan.get_data(as_text=True)
        picture = re.search(r'name="picture" value="([^"]+)"', html)
        last = max(int(i) for i in re.findall(r'<option value="(\d+)"', html))
        if picture:  # everybody in the day's last slot: beyond the planner's number
            form = {"application": apps, "picture": picture.group(1), "action": "evaluate",
                    **{f"slot_{a}": str(last) for a in apps}}
            pages["plan, edited"] = client.post(f"/interviews/{ids['planned']}/book", data=form, headers=ACCEPT)
    return pages


def test_the_planners_pages_pass_through_the_catalogue(demo_day, make):
    from recruit.demo import DEMO_PASSWORD

    app, data, ids = demo_day
    for n in range(12):  # candidates not yet invited, for the planner
        make.candidate(ids["vacancy"], full_name=f"Pseudo Person {n}", source="Referral")
    data = data | {"pseudo", "person", "referral"}
    client = app.test_client()
    login(client, "recruiter@demo.local", DEMO_PASSWORD)
    pages = _pages(client, ids)
    assert {"schedule", "plan", "plan, edited"} <= set(pages)
    assert "⟦More than the planner proposes⟧" in pages["plan, edited"].get_data(as_text=True)
    findings = {name: words for name, response in pages.items() if (words := _unmarked(response, data))}
    assert not findings, findings


def test_the_desk_and_the_interviewers_pages_pass_through_the_catalogue(demo_day):
    from recruit.demo import DEMO_PASSWORD
    from recruit.extensions import db
    from recruit.interviews.models import Booking

    app, data, ids = demo_day
    desk = app.test_client()
    login(desk, "reception@demo.local", DEMO_PASSWORD)
    with app.app_context():
        booking_ids = list(db.session.scalars(sa.select(Booking.id).where(
            Booking.session_id == ids["stream"], Booking.state.in_(("invited", "confirmed")))))[:2]
    assert booking_ids
    findings = {}
    first = desk.post(f"/bookings/{booking_ids[0]}/check-in", headers={"X-Requested-With": "fetch", **ACCEPT})
    twice = desk.post(f"/bookings/{booking_ids[0]}/check-in", headers={"X-Requested-With": "fetch", **ACCEPT})
    for name, response in (("check-in", first), ("checked in twice", twice),
                           ("desk", desk.get(f"/reception/{ids['stream']}", headers=ACCEPT))):
        if words := _unmarked(response, data):
            findings[name] = words
    interviewer = app.test_client()
    login(interviewer, "manager@demo.local", DEMO_PASSWORD)
    for name, path in (("mine", "/my-interviews"), ("scorecard", f"/bookings/{booking_ids[0]}/scorecard")):
        if words := _unmarked(interviewer.get(path, headers=ACCEPT), data):
            findings[name] = words
    assert not findings, findings


STATES = ("invited", "confirmed", "waitlisted", "declined", "cancelled", "arrived", "no_show")


def test_the_candidates_page_passes_through_the_catalogue(demo_day):
    """In every state, then with the link replaced by a newer one (expired)."""
    from recruit.extensions import db
    from recruit.interviews import links
    from recruit.interviews.models import Booking

    app, data, ids = demo_day
    with app.app_context():
        booking = db.session.scalar(sa.select(Booking).where(Booking.session_id == ids["stream"],
                                                             Booking.state == "invited").order_by(Booking.id))
        booking.candidate.language = pseudo.PSEUDO_LOCALE
        booking_id, token = booking.id, links.booking_token(booking)
        db.session.commit()
    client = app.test_client()  # no account, no Accept-Language: the candidate's language decides
    findings = {}
    for state in STATES:
        with app.app_context():
            db.session.get(Booking, booking_id).state = state
            db.session.commit()
        page = client.get(f"/b/{token}")
        assert '<html lang="ka">' in page.get_data(as_text=True)
        if words := _unmarked(page, data):
            findings[state] = words
    with app.app_context():
        db.session.get(Booking, booking_id).token_version += 1
        db.session.commit()
    expired = client.get(f"/b/{token}")
    assert expired.status_code == 410 and '<html lang="ka">' in expired.get_data(as_text=True)
    if words := _unmarked(expired, data):
        findings["link expired"] = words
    assert not findings, findings
