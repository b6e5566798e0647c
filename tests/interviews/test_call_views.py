"""The call list in the browser: who reaches it, what a line shows (a tap
to call in the national format, the state, the last call), one tap to
record, the progress and the "still to call" filter, and the day page's
prominent link the day before."""

import re
from datetime import time, timedelta

import pytest
import sqlalchemy as sa

from recruit.auth.models import User
from recruit.extensions import db
from recruit.interviews import bookings, sessions
from recruit.interviews.models import Booking, CallAttempt
from recruit.organisation.services import local_now
from recruit.vacancies.models import Vacancy
from tests.conftest import login


@pytest.fixture
def eve(clean_app, make):
    """Tomorrow's stream day with three candidates booked (phones in Ukrainian
    national spelling), one of them on the waiting list."""
    recruiter = make.user("recruiter", email="rec@x.test", name="Rita Recruiter")
    make.user("receptionist", email="desk@x.test")
    make.user("admin", email="admin@x.test")
    interviewer = make.user("hiring_manager", email="boss@x.test")
    vacancy = make.vacancy("open", manager=interviewer)
    apps = [make.candidate(vacancy, full_name=f"Person {n}", phone=f"067 123 45 6{n}", source="Work.ua")
            for n in range(3)]
    with clean_app.app_context():
        by = db.session.get(User, recruiter)
        session = sessions.create_session(
            kind="stream", title="Tomorrow's stream", vacancy=db.session.get(Vacancy, vacancy),
            day=(local_now() + timedelta(days=1)).date(), start=time(10), end=time(11), place="Room",
            interviewers=[sessions.InterviewerHours(interviewer)], created_by=by)
        invited = bookings.book(session, [(apps[0], 1), (apps[1], 0)], None, by).invited
        waiting = bookings.book(session, [(apps[2], 0)], [0, 0], by).waitlisted
        db.session.commit()
        return {"session": session.id, "first": invited[1].id, "second": invited[0].id, "waiting": waiting[0].id}


def _form(page: str, booking_id: int) -> dict:
    """The hidden fields of a line's form, as the browser would send them."""
    form = re.search(rf'<form method="post" action="/bookings/{booking_id}/calls".*?</form>', page, re.S).group(0)
    return dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', form))


def test_the_call_list_shows_each_booked_candidate_in_slot_order(clean_app, eve):
    client = clean_app.test_client()
    login(client, "rec@x.test")
    response = client.get(f"/interviews/{eve['session']}/calls")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    # slot order (10:00 before 10:30), the waiting list last
    assert page.index("Person 1") < page.index("Person 0") < page.index("Person 2")
    assert 'href="tel:+380671234560"' in page and "067 123 4560" in page  # dialled in E.164, read nationally
    assert "10:00" in page and "10:30" in page
    assert "Waiting list" in page and "Invited" in page
    assert "Called 0 of 3" in page and "Not called yet" in page
    assert 'value="confirmed"' in page and page.count('value="confirmed"') == 2  # not for the waiting list
    assert '<progress class="progress" max="3" value="0"' in page


def test_one_tap_records_the_call_and_the_progress_moves(clean_app, eve):
    client = clean_app.test_client()
    login(client, "rec@x.test")
    page = client.get(f"/interviews/{eve['session']}/calls").get_data(as_text=True)
    confirm = {**_form(page, eve["first"]), "outcome": "confirmed", "note": "asks where to park"}
    response = client.post(f"/bookings/{eve['first']}/calls", data=confirm)
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/calls#call-{eve['first']}")
    again = client.post(f"/bookings/{eve['first']}/calls", data=confirm, follow_redirects=True)  # a double tap
    page = again.get_data(as_text=True)
    assert "Person 1: confirmed by phone." in page
    assert "Called 1 of 3" in page and "Last call: Confirmed by phone, Rita Recruiter" in page
    assert "asks where to park" in page
    no_answer = {**_form(page, eve["second"]), "outcome": "no_answer", "show": "to_call"}
    page = client.post(f"/bookings/{eve['second']}/calls", data=no_answer, follow_redirects=True).get_data(
        as_text=True)
    assert "Called 2 of 3" in page and "No answer: <b>1</b>" in page and "Confirmed: <b>1</b>" in page
    # back on the filter it came from: the confirmed one is no longer to call
    assert "Person 1" not in page and "Person 0" in page and "Person 2" in page
    assert 'aria-current="page">Still to call (2)' in page
    with clean_app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(CallAttempt.id))) == 2
        booking = db.session.get(Booking, eve["first"])
        assert booking.state == "confirmed" and booking.ever_confirmed


def test_call_back_takes_a_time_on_the_callers_clock(clean_app, eve):
    client = clean_app.test_client()
    login(client, "rec@x.test")
    page = client.get(f"/interviews/{eve['session']}/calls").get_data(as_text=True)
    fields = {**_form(page, eve["second"]), "outcome": "call_back"}
    missing = client.post(f"/bookings/{eve['second']}/calls", data=fields, follow_redirects=True)
    assert "Say when to call back." in missing.get_data(as_text=True)
    bad = client.post(f"/bookings/{eve['second']}/calls", data={**fields, "call_back": "25:99"},
                      follow_redirects=True)
    assert "Times look like 13:30." in bad.get_data(as_text=True)
    with clean_app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(CallAttempt.id))) == 0
    with clean_app.app_context():
        at = (local_now() + timedelta(minutes=2)).strftime("%H:%M")  # in a moment, today or just past midnight
    page = client.post(f"/bookings/{eve['second']}/calls", data={**fields, "call_back": at},
                       follow_redirects=True).get_data(as_text=True)
    assert "call back at" in page and f", {at}" in page and "To call back: <b>1</b>" in page
    with clean_app.app_context():
        attempt = db.session.scalar(sa.select(CallAttempt))
        assert local_now() - timedelta(minutes=1) < attempt.call_back_at <= local_now() + timedelta(minutes=3)


def test_bad_input_is_refused_with_a_message_and_writes_nothing(clean_app, eve):
    client = clean_app.test_client()
    login(client, "rec@x.test")
    page = client.get(f"/interviews/{eve['session']}/calls").get_data(as_text=True)
    fields = _form(page, eve["first"])
    for data, message in (({**fields, "outcome": "maybe"}, "Not a valid choice."),
                          ({**fields, "outcome": "no_answer", "tap": ""}, "This form is out of date"),
                          ({**fields, "outcome": "no_answer", "note": "x" * 201}, "At most 200 characters."),
                          ({**fields, "outcome": "no_answer", "seen": "abc"}, "Not a valid integer value.")):
        response = client.post(f"/bookings/{eve['first']}/calls", data=data, follow_redirects=True)
        assert response.status_code == 200 and message in response.get_data(as_text=True)
    with clean_app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(CallAttempt.id))) == 0


def test_a_second_recruiter_on_a_stale_page_is_told_who_called(clean_app, eve, make):
    make.user("recruiter", email="olga@x.test", name="Olga Second")
    rita, olga = clean_app.test_client(), clean_app.test_client()
    login(rita, "rec@x.test")
    login(olga, "olga@x.test")
    rita_page = rita.get(f"/interviews/{eve['session']}/calls").get_data(as_text=True)
    olga_page = olga.get(f"/interviews/{eve['session']}/calls").get_data(as_text=True)
    rita.post(f"/bookings/{eve['first']}/calls", data={**_form(rita_page, eve["first"]), "outcome": "no_answer"})
    refused = olga.post(f"/bookings/{eve['first']}/calls",
                        data={**_form(olga_page, eve["first"]), "outcome": "declined"}, follow_redirects=True)
    assert "Rita Recruiter has just recorded a call with Person 1: No answer" in refused.get_data(as_text=True)
    with clean_app.app_context():
        assert db.session.get(Booking, eve["first"]).state == "invited"
        assert db.session.scalar(sa.select(sa.func.count(CallAttempt.id))) == 1


@pytest.mark.parametrize("email", ["desk@x.test", "boss@x.test"])
def test_who_does_not_plan_days_sees_no_call_list(clean_app, eve, email):
    client = clean_app.test_client()
    login(client, email)
    assert client.get(f"/interviews/{eve['session']}/calls").status_code == 403
    assert client.post(f"/bookings/{eve['first']}/calls", data={"outcome": "no_answer"}).status_code == 403
    day_page = client.get(f"/interviews/{eve['session']}")
    assert day_page.status_code == 200 and "/calls" not in day_page.get_data(as_text=True)
    with clean_app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(CallAttempt.id))) == 0


def test_the_day_page_puts_the_call_round_first_the_day_before(clean_app, eve, make):
    client = clean_app.test_client()
    login(client, "admin@x.test")
    page = client.get(f"/interviews/{eve['session']}").get_data(as_text=True)
    assert "Tomorrow: call everyone booked" in page and "Called 0 of 3" in page
    assert f'href="/interviews/{eve["session"]}/calls">Open the call list' in page
    # a day further ahead keeps a plain link, without the banner
    with clean_app.app_context():
        later = sessions.create_session(
            kind="group", title="Later", vacancy=None, day=(local_now() + timedelta(days=4)).date(), start=time(10),
            end=time(11), seats=4, place="Hall",
            interviewers=[sessions.InterviewerHours(db.session.scalar(sa.select(User.id).where(
                User.email == "boss@x.test")))],
            created_by=db.session.scalar(sa.select(User).where(User.email == "rec@x.test")))
        db.session.commit()
        later_id = later.id
    page = client.get(f"/interviews/{later_id}").get_data(as_text=True)
    assert f'href="/interviews/{later_id}/calls">Call list' in page and "Tomorrow: call everyone" not in page
    # the list of days offers tomorrow's call list at once, not the later day's
    index = client.get("/interviews").get_data(as_text=True)
    assert f'/interviews/{eve["session"]}/calls' in index and f"/interviews/{later_id}/calls" not in index


def test_a_settled_line_keeps_its_form_folded(clean_app, eve):
    client = clean_app.test_client()
    login(client, "rec@x.test")
    page = client.get(f"/interviews/{eve['session']}/calls").get_data(as_text=True)
    client.post(f"/bookings/{eve['first']}/calls", data={**_form(page, eve["first"]), "outcome": "confirmed"})
    page = client.get(f"/interviews/{eve['session']}/calls").get_data(as_text=True)
    line = re.search(rf'<article[^>]*id="call-{eve["first"]}".*?</article>', page, re.S).group(0)
    assert "Record another call" in line  # a reminder call is still one tap away, folded
    other = re.search(rf'<article[^>]*id="call-{eve["second"]}".*?</article>', page, re.S).group(0)
    assert "Record another call" not in other and "Confirmed by phone" in other


def test_declined_on_the_phone_gives_the_seat_to_the_waiting_list(clean_app, eve):
    client = clean_app.test_client()
    login(client, "rec@x.test")
    page = client.get(f"/interviews/{eve['session']}/calls").get_data(as_text=True)
    assert "Their seat goes to the waiting list." in page  # the one outcome that asks before it acts
    page = client.post(f"/bookings/{eve['first']}/calls", data={**_form(page, eve["first"]), "outcome": "declined"},
                       follow_redirects=True).get_data(as_text=True)
    assert "Person 1: declined; the seat goes to the waiting list." in page
    assert "Declined: <b>1</b>" in page and "Called 1 of 3" in page
    with clean_app.app_context():
        assert db.session.get(Booking, eve["first"]).state == "declined"
        waiting = db.session.get(Booking, eve["waiting"])
        assert waiting.state == "invited" and waiting.slot_id == db.session.get(Booking, eve["first"]).slot_id
