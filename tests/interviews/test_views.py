"""Interview days in the browser: plan, propose, send; the candidate's link;
the front desk; the scorecard; the model and reports pages."""

import re
from datetime import timedelta

import sqlalchemy as sa

from tests.conftest import login
from tests.worlds.interviews import book_one, plan_day


def test_recruiter_plans_proposes_and_sends(clean_app, day):
    client = clean_app.test_client()
    login(client, "rec@x.test")
    bad = client.post("/interviews/new", data={"kind": "stream", "vacancy_id": day["vacancy"],
                                               "day": day["day"].isoformat(), "start": "12:00", "end": "10:00",
                                               "slot_minutes": 30, "place": "X", "interviewers": [day["interviewer"]],
                                               "receptionist_id": 0})
    assert "ends after it starts" in bad.get_data(as_text=True)
    session_id = plan_day(client, day)
    # from the pipeline: tick candidates, choose the day
    pipeline = client.get(f"/vacancies/{day['vacancy']}/pipeline").get_data(as_text=True)
    assert 'form="bulk-form"' in pipeline
    choose = client.get("/interviews/schedule", query_string={"vacancy": day["vacancy"], "a": day["apps"]})
    assert "Stream day" in choose.get_data(as_text=True)
    proposal = client.get(f"/interviews/{session_id}/plan", query_string={"a": day["apps"]})
    page = proposal.get_data(as_text=True)
    assert "interviews expected" in page and "idle interviewer minutes" in page
    selected = dict(re.findall(r'name="slot_(\d+)".*?<option value="(\d+)" selected', page, re.S))
    assert 4 < len(selected) <= 12  # overbooked: more invited than the four slots
    picture = re.search(r'name="picture" value="([^"]+)"', page).group(1)
    form = {"application": day["apps"], "picture": picture, "action": "evaluate",
            **{f"slot_{a}": "" for a in day["apps"]}}
    form.update({f"slot_{a}": "0" for a in day["apps"][:3]})
    recalculated = client.post(f"/interviews/{session_id}/book", data=form).get_data(as_text=True)
    assert "Figures for your edited plan" in recalculated
    assert "More than the planner proposes" not in recalculated  # the planner proposes three or more at 10:00
    form["action"] = "send"
    response = client.post(f"/interviews/{session_id}/book", data=form, follow_redirects=True)
    assert "3 invited, 0 on the waiting list" in response.get_data(as_text=True)
    from recruit.extensions import db
    from recruit.mail import OutboxMessage

    with clean_app.app_context():
        kinds = db.session.scalars(sa.select(OutboxMessage.kind)).all()
    assert kinds.count("interview.invitation") == 3 and kinds.count("interview.interviewer.request") == 1


def test_candidate_confirms_and_moves_through_the_link(clean_app, day):
    session_id, booking_id, token = book_one(clean_app, day)
    client = clean_app.test_client()  # no account
    page = client.get(f"/b/{token}").get_data(as_text=True)
    assert "Person 0" in page and "I will come" in page and "Room" in page
    when = f"{day['day']:%A}, {day['day']:%B} {day['day'].day}, {day['day'].year}, 10:30"  # slot 1, to the minute
    assert when in page and "10:30:00" not in page
    from recruit.extensions import db
    from recruit.mail import OutboxMessage

    with clean_app.app_context():
        letter = db.session.scalar(sa.select(OutboxMessage).where(OutboxMessage.kind == "interview.invitation"))
        assert f"{when} (Moscow Standard Time)" in letter.subject + letter.body
    client.post(f"/b/{token}", data={"action": "confirm"})
    assert "You confirmed" in client.get(f"/b/{token}").get_data(as_text=True)
    from recruit.extensions import db
    from recruit.interviews.models import Booking, Slot

    with clean_app.app_context():
        target = db.session.scalar(sa.select(Slot).where(Slot.session_id == session_id, Slot.index == 3))
    response = client.post(f"/b/{token}", data={"action": "reschedule", "slot_id": target.id}, follow_redirects=True)
    assert "Moved" in response.get_data(as_text=True)
    with clean_app.app_context():
        booking = db.session.get(Booking, booking_id)
        assert booking.slot_id == target.id and booking.state == "invited" and booking.ics_sequence == 1
    client.post(f"/b/{token}", data={"action": "decline"})
    assert "You declined" in client.get(f"/b/{token}").get_data(as_text=True)
    assert client.post(f"/b/{token}", data={"action": "confirm"}, follow_redirects=True).status_code == 200
    with clean_app.app_context():
        assert db.session.get(Booking, booking_id).state == "declined"
    assert client.get(f"/b/{token}x").status_code == 410
    assert client.post(f"/b/{token}", data={"action": "hack"}).status_code == 400


def test_front_desk_checks_in_and_sends_in_without_reload(clean_app, day):
    session_id, booking_id, _token = book_one(clean_app, day, slot=0)
    client = clean_app.test_client()
    login(client, "desk@x.test")
    assert "No interviews today" in client.get("/reception").get_data(as_text=True)  # the day is ahead
    desk = client.get(f"/reception/{session_id}").get_data(as_text=True)
    assert "Person 0" in desk and "Arrived" in desk and "data-live-url" in desk
    fragment = client.post(f"/bookings/{booking_id}/check-in", headers={"X-Requested-With": "fetch"})
    text = fragment.get_data(as_text=True)
    assert fragment.status_code == 200 and "<html" not in text and "Waiting now" in text and "Send in" in text
    state = client.get(f"/reception/{session_id}/state.json").get_json()
    assert state["counts"]["arrived"] == 1 and state["waiting"][0]["name"] == "Person 0"
    again = client.post(f"/bookings/{booking_id}/check-in", headers={"Accept": "application/json"})
    assert again.status_code == 409 and "already arrived" in again.get_json()["error"]["message"]
    tapped_twice = client.post(f"/bookings/{booking_id}/check-in", headers={"X-Requested-With": "fetch"})
    assert "already arrived" in tapped_twice.get_data(as_text=True)  # the refusal shows on the screen at once
    client.post(f"/bookings/{booking_id}/send-in", data={"interviewer_id": day["interviewer"]})
    state = client.get(f"/reception/{session_id}/state.json").get_json()
    assert state["waiting"] == [] and state["interviewers"][0]["with"] == "Person 0"
    # sent in now, ahead of the day: busy for one slot from now, free again when the day's hours allow
    busy = state["interviewers"][0]["busy_until"]
    with clean_app.app_context():
        from recruit.extensions import db
        from recruit.interviews.models import Booking
        from recruit.organisation.services import zone

        seen_at = db.session.get(Booking, booking_id).seen_at
        expected = (seen_at + timedelta(minutes=30)).astimezone(zone()).strftime("%H:%M")
    assert busy == expected and state["interviewers"][0]["free_at"] == "10:00"  # the day's first slot
    assert f"with Person 0 until {busy}" in client.get(f"/reception/{session_id}").get_data(as_text=True)
    from recruit.extensions import db
    from recruit.vacancies.models import Application

    with clean_app.app_context():
        assert db.session.get(Application, day["apps"][0]).stage == "interviewed"
    assert client.get("/interviews/reports").status_code == 403


def test_interviewer_fills_the_scorecard(clean_app, day):
    _session_id, booking_id, _token = book_one(clean_app, day, slot=0)
    from recruit.auth.models import User
    from recruit.extensions import db
    from recruit.interviews import desk
    from recruit.interviews.models import Booking

    with clean_app.app_context():
        desk.check_in(db.session.get(Booking, booking_id), db.session.get(User, day["recruiter"]))
        db.session.commit()
    client = clean_app.test_client()
    login(client, db_email(clean_app, day["interviewer"]))
    mine = client.get("/my-interviews").get_data(as_text=True)
    assert "Person 0" in mine and "Scorecard" in mine
    blank = client.get(f"/bookings/{booking_id}/scorecard").get_data(as_text=True)
    assert re.findall(r'<option selected value="(\d*)">', blank)[:3] == ["", "", ""]  # no score chosen for them
    refused = client.post(f"/bookings/{booking_id}/scorecard", data={"motivation": "", "competence": 4,
                                                                     "adequacy": "", "note": "Half done"})
    assert refused.status_code == 200 and "Scores run from 1 to 5." in refused.get_data(as_text=True)
    for forged in ({"motivation": "abc", "competence": 4, "adequacy": 5}, {"motivation": 9, "competence": 4,
                                                                          "adequacy": 5}):
        assert client.post(f"/bookings/{booking_id}/scorecard", data=forged).status_code == 200  # refused, no 500
    response = client.post(f"/bookings/{booking_id}/scorecard", data={
        "motivation": 5, "competence": 3, "adequacy": 5, "note": "Good listener", "next_stage": ""})
    assert response.status_code == 302
    again = client.get(f"/bookings/{booking_id}/scorecard").get_data(as_text=True)
    assert re.findall(r'<option selected value="(\d*)">', again)[:3] == ["5", "3", "5"]  # read back as saved
    assert "Good listener" in again
    response = client.post(f"/bookings/{booking_id}/scorecard", data={  # its author corrects it, and decides
        "motivation": 5, "competence": 4, "adequacy": 5, "note": "Good listener", "next_stage": "role_play"})
    assert response.status_code == 302
    from recruit.interviews.models import Scorecard
    from recruit.vacancies.models import Application

    with clean_app.app_context():
        card = db.session.scalar(sa.select(Scorecard))
        assert (card.motivation, card.competence, card.adequacy, card.note) == (5, 4, 5, "Good listener")
        assert db.session.get(Application, day["apps"][0]).stage == "role_play"
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Scorecard)) == 1  # none from the refused
    locked = client.get(f"/bookings/{booking_id}/scorecard").get_data(as_text=True)
    assert "this scorecard is kept as it was saved" in locked and "<select" not in locked and "Good listener" in locked
    late = client.post(f"/bookings/{booking_id}/scorecard", data={
        "motivation": 1, "competence": 1, "adequacy": 1, "note": "Changed my mind", "next_stage": "rejected"})
    assert "can no longer be changed" in late.get_data(as_text=True)
    with clean_app.app_context():
        card = db.session.scalar(sa.select(Scorecard))
        assert (card.motivation, card.note) == (5, "Good listener")  # the evidence the decision was made on
        assert db.session.get(Application, day["apps"][0]).stage == "role_play"


def db_email(app, user_id):
    from recruit.auth.models import User
    from recruit.extensions import db

    with app.app_context():
        return db.session.get(User, user_id).email


def test_model_and_report_pages(clean_app, day):
    _session_id, _booking_id, _token = book_one(clean_app, day, slot=0)
    client = clean_app.test_client()
    login(client, "rec@x.test")
    page = client.get("/interviews/show-rates").get_data(as_text=True)
    assert "No arrivals or no-shows recorded yet" in page and "20.0%" in page
    assert 'aria-label="Show-up rate week by week"' not in client.get("/interviews/reports").get_data(as_text=True)
    from recruit.extensions import db
    from recruit.interviews import tasks
    from recruit.utc import utcnow

    with clean_app.app_context():
        tasks.mark_no_shows(now=utcnow() + timedelta(days=5))
        db.session.commit()
    page = client.get("/interviews/show-rates").get_data(as_text=True)
    assert "<polyline" in page and "HeadHunter" in page
    report = client.get("/interviews/reports").get_data(as_text=True)
    assert "Show-up by channel" in report and "HeadHunter" in report
    week_chart = re.search(r'aria-label="Show-up rate week by week">(.*?)</svg>', report, re.S).group(1)
    assert re.findall(r"<circle [^>]*cy=\"([\d.]+)\"", week_chart) == ["164.0"]  # one week, at 0 %: a no-show
    csv_text = client.get("/interviews/reports.csv").get_data().decode("utf-8-sig")
    assert csv_text.splitlines()[0].startswith("Session,Day,Format,Slot,Candidate")
    assert ",No-show," in csv_text and ",Stream," in csv_text and "Person 0" in csv_text


def test_the_planner_says_who_it_leaves_out_and_why(clean_app, day, make):
    """Ticked with the rest: a candidate already booked, one
    without an e-mail, one from another vacancy, one no longer in the
    pipeline. The proposal names each with the reason and plans the others."""
    import html

    from recruit.extensions import db
    from recruit.vacancies import candidates as candidate_services
    from recruit.vacancies.models import Application

    session_id, _booking, _token = book_one(clean_app, day)  # Person 0 holds an invitation
    no_mail = make.candidate(day["vacancy"], full_name="Petra Nomail", email="", phone="+7 916 123 45 67")
    elsewhere = make.candidate(make.vacancy("open", manager=day["interviewer"]), full_name="Olga Elsewhere")
    with clean_app.app_context():
        candidate_services.move(db.session.get(Application, day["apps"][1]), "rejected", "Not a fit")
        db.session.commit()
    client = clean_app.test_client()
    login(client, "rec@x.test")
    ticked = [*day["apps"], no_mail, elsewhere]
    response = client.get(f"/interviews/{session_id}/plan", query_string={"a": ticked})
    page = html.unescape(response.get_data(as_text=True))
    assert "Already has an interview booked (1): Person 0" in page
    assert "No longer in the pipeline (1): Person 1" in page
    assert "No e-mail for the invitation (1): Petra Nomail" in page
    assert "Applied for another vacancy (1): Olga Elsewhere" in page
    planned = {int(a) for a in re.findall(r'name="application" value="(\d+)"', page)}
    assert planned == set(day["apps"][2:])


def test_the_planner_names_every_one_it_leaves_out_not_ten(clean_app, day):
    import html
    from datetime import time

    from recruit.auth.models import User
    from recruit.extensions import db
    from recruit.interviews import bookings, sessions
    from recruit.vacancies.models import Vacancy

    with clean_app.app_context():
        recruiter = db.session.get(User, day["recruiter"])
        first, second = (sessions.create_session(
            kind="stream", title=title, vacancy=db.session.get(Vacancy, day["vacancy"]), day=day["day"],
            start=time(start), end=time(start + 2), place="Room",
            interviewers=[sessions.InterviewerHours(day["interviewer"])], created_by=recruiter)
            for title, start in (("First", 9), ("Second", 14)))
        bookings.book(first, [(a, n % 4) for n, a in enumerate(day["apps"][:11])], None, recruiter)
        db.session.commit()
        second_id = second.id
    client = clean_app.test_client()
    login(client, "rec@x.test")
    page = html.unescape(client.get(f"/interviews/{second_id}/plan", query_string={"a": day["apps"]})
                         .get_data(as_text=True))
    assert "Already has an interview booked (11): " + ", ".join(f"Person {n}" for n in range(11)) in page
