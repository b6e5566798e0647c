"""A busy interview day through two gunicorn instances sharing PostgreSQL and
Redis, with two RQ workers and the scheduler: two recruiters book at the same
time, candidates confirm, the front desk taps on two screens at once. No
double booking, no lost or doubled message, every arrival recorded once."""

from __future__ import annotations

import html
import re
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import date, time, timedelta

import pytest
import sqlalchemy as sa

from tests.conftest import PASSWORD, Factory
from tests.stack.stack import Browser, seeding_app, started, wait_until

pytestmark = pytest.mark.stack
CANDIDATES = 48


@pytest.fixture(scope="module")
def stack():
    yield from started(migrations=2)  # a release that runs the migration step twice


def seed_day(app) -> dict:
    from recruit.auth.models import User
    from recruit.extensions import db
    from recruit.interviews import sessions
    from recruit.interviews.models import InterviewSession

    make = Factory(app)
    recruiters = [make.user("recruiter", email=f"rec{n}@stack.test") for n in (1, 2)]
    make.user("receptionist", email="desk@stack.test")
    interviewers = [make.user("hiring_manager", email=f"iv{n}@stack.test") for n in (1, 2, 3)]
    vacancy = make.vacancy("open", manager=interviewers[0])
    applications = [make.candidate(vacancy, full_name=f"Guest {n}", email=f"guest{n}@stack.test",
                                   source="HeadHunter") for n in range(CANDIDATES)]
    with app.app_context():
        from recruit.vacancies.models import Vacancy

        day = date.today() + timedelta(days=2)
        session = sessions.create_session(
            kind="stream", title="Busy day", vacancy=db.session.get(Vacancy, vacancy), day=day, start=time(10),
            end=time(14), slot_minutes=30, place="Office",
            interviewers=[sessions.InterviewerHours(i) for i in interviewers],
            created_by=db.session.get(User, recruiters[0]))
        db.session.commit()
        session_id = session.id
        slots = len(db.session.get(InterviewSession, session_id).slots)
    return {"session": session_id, "applications": applications, "slots": slots}


def test_busy_day_through_two_instances(stack):
    app = seeding_app(stack.db_url)
    day = seed_day(app)
    web_a, web_b = stack.urls
    session_url = f"/interviews/{day['session']}"

    # Two recruiters, one per instance, book overlapping lists at the same moment.
    recruiters = [Browser(), Browser()]
    recruiters[0].login(web_a, "rec1@stack.test", PASSWORD)
    recruiters[1].login(web_b, "rec2@stack.test", PASSWORD)
    for browser, base in zip(recruiters, (web_a, web_b), strict=True):
        browser.get(base + session_url)
    ids = day["applications"]
    halves = [ids[: CANDIDATES * 3 // 4], ids[CANDIDATES // 4:]]  # the middle half is in both lists
    barrier = threading.Barrier(2)

    # Both plan from the same picture: each opens the plan page before anything is booked, and the
    # page's signed picture (seats taken, the planner's numbers) goes back with the form.
    pictures = []
    for n, browser in enumerate(recruiters):
        _status, page, _h = browser.get((web_a, web_b)[n] + session_url + "/plan?" +
                                        "&".join(f"a={a}" for a in halves[n]))
        pictures.append(html.unescape(re.search(r'name="picture" value="([^"]+)"', page).group(1)))

    def book(n: int):
        # A hand plan (one per slot in turn) beyond the planner's numbers: an override, with its reason.
        form = [("action", "send"), ("picture", pictures[n]), ("override_reason", "stack drill: even spread")] + \
            [("application", a) for a in halves[n]] + [(f"slot_{a}", i % day["slots"]) for i, a in enumerate(halves[n])]
        barrier.wait()
        return recruiters[n].post((web_a, web_b)[n] + session_url + "/book", form)

    with ThreadPoolExecutor(2) as pool:
        results = list(pool.map(book, (0, 1)))
    assert [status for status, _t, _h in results] == [302, 302]

    from recruit.extensions import db
    from recruit.interviews.models import Booking, Slot
    from recruit.mail import OutboxMessage

    with app.app_context():
        bookings = db.session.scalars(sa.select(Booking).where(Booking.session_id == day["session"])).unique().all()
        per_candidate = Counter(b.candidate_id for b in bookings)
        assert len(per_candidate) == CANDIDATES and max(per_candidate.values()) == 1  # nobody booked twice
        for slot in db.session.scalars(sa.select(Slot).where(Slot.session_id == day["session"])):
            seated = sum(1 for b in bookings if b.slot_id == slot.id and b.state == "invited")
            assert seated == slot.booked <= slot.invite_cap
        invited = {b.candidate.email: b.id for b in bookings if b.state == "invited"}
        # The second plan finds the seats it counted on taken: its own candidates (the quarter only
        # it listed) join the waitlist in order instead of overfilling the slots; nobody is lost.
        waitlisted = {b.candidate.email for b in bookings if b.state == "waitlisted"}
        assert (len(invited), len(waitlisted)) == (CANDIDATES * 3 // 4, CANDIDATES // 4)

    # Every invitation leaves exactly once, through the RQ workers, whichever instance queued it.
    def all_sent():
        with app.app_context():
            db.session.remove()
            pending = db.session.scalar(sa.select(sa.func.count(OutboxMessage.id)).where(
                OutboxMessage.kind.in_(("interview.invitation", "interview.waitlist")),
                OutboxMessage.status != "sent"))
            return pending == 0
    wait_until(all_sent, 120, what="every invitation and waitlist notice sent", logs=stack.logs)
    invitations = [env for env in list(stack.smtp.messages) if b"Invitation: interview for" in env.original_content]
    received = Counter(rcpt for env in invitations for rcpt in env.rcpt_tos)
    assert set(received) == set(invited) and set(received.values()) == {1}, received
    notices = Counter(rcpt for env in list(stack.smtp.messages) for rcpt in env.rcpt_tos
                      if b"waiting list" in env.original_content)
    assert set(notices) == waitlisted and set(notices.values()) == {1}, notices

    # Candidates confirm from their invitations; half of them click twice, once on each instance.
    links = {}
    for envelope in invitations:
        found = re.search(rb"(https?://\S+/b/\S+)", envelope.original_content)
        if found:
            links[envelope.rcpt_tos[0]] = found.group(1).decode().rstrip(".")
    assert set(links) == set(invited)

    def confirm(item):
        n, (_email, link) = item
        path = "/b/" + link.split("/b/", 1)[1]
        candidate = Browser()
        candidate.get(web_a + path)
        outcomes = [candidate.post(web_a + path, {"action": "confirm"})[0]]
        if n % 2:
            outcomes.append(candidate.post(web_b + path, {"action": "confirm"})[0])
        return outcomes

    with ThreadPoolExecutor(8) as pool:
        statuses = [s for outcome in pool.map(confirm, enumerate(sorted(links.items()))) for s in outcome]
    assert all(s < 500 for s in statuses), statuses

    # The front desk: two screens (one per instance) tap every arrival at the same time.
    desks = [Browser(), Browser()]
    desks[0].login(web_a, "desk@stack.test", PASSWORD)
    desks[1].login(web_b, "desk@stack.test", PASSWORD)
    for browser, base in zip(desks, (web_a, web_b), strict=True):
        browser.get(base + f"/reception/{day['session']}")

    def tap(item):
        booking_id, n = item
        return desks[n].json("POST", (web_a, web_b)[n] + f"/bookings/{booking_id}/check-in")[0]

    taps = [(booking_id, n) for booking_id in invited.values() for n in (0, 1)]
    with ThreadPoolExecutor(12) as pool:
        tapped = list(pool.map(tap, taps))
    assert Counter(tapped)[200] >= len(invited) and all(s in (200, 409) for s in tapped), Counter(tapped)

    from recruit.audit import AuditEntry

    with app.app_context():
        db.session.remove()
        states = Counter(db.session.scalars(sa.select(Booking.state).where(Booking.id.in_(invited.values()))))
        assert states == {"arrived": len(invited)}
        check_ins = Counter(db.session.scalars(sa.select(AuditEntry.object_id).where(
            AuditEntry.action == "booking.check_in", AuditEntry.object_id.in_(invited.values()))))
        assert set(check_ins) == set(invited.values()) and set(check_ins.values()) == {1}  # recorded once each
        confirmations = Counter(db.session.scalars(sa.select(AuditEntry.object_id).where(
            AuditEntry.action.like("booking.confirm%"))))
        assert all(count == 1 for count in confirmations.values())
    # Nothing queued twice along the way: one invitation per booking, and no extra mail of any kind doubled.
    everything = Counter((rcpt, env.original_content.split(b"Subject:", 1)[1].split(b"\n", 1)[0])
                         for env in stack.smtp.messages for rcpt in env.rcpt_tos)
    assert set(everything.values()) == {1}, [k for k, v in everything.items() if v > 1]


def test_signing_out_on_one_instance_ends_copied_cookies_on_the_other(stack):
    """The session version lives in PostgreSQL: a session and remember-me
    cookie copied before sign-out opens nothing afterwards, whichever
    gunicorn instance and process the copy is replayed on."""
    import copy

    app = seeding_app(stack.db_url)
    Factory(app).user("recruiter", email="walker@stack.test")
    web_a, web_b = stack.urls
    owner = Browser()
    owner.get(web_a + "/login")
    status, _text, _h = owner.post(web_a + "/login", {"email": "walker@stack.test", "password": PASSWORD,
                                                      "remember": "y"})
    assert status == 302
    assert {c.name for c in owner.jar} >= {"session", "remember_token"}
    thief = Browser()
    for cookie in owner.jar:
        thief.jar.set_cookie(copy.copy(cookie))
    assert thief.get(web_b + "/vacancies")[0] == 200  # a copy works while the owner is signed in
    owner.get(web_b + "/vacancies")
    assert owner.post(web_b + "/logout", {})[0] == 302
    for base in (web_a, web_b):
        for _ in range(3):  # several requests: each instance runs several worker processes
            status, _text, headers = thief.get(base + "/vacancies")
            assert status == 302 and "/login" in headers["Location"], (base, status)
