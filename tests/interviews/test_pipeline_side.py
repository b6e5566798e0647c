"""The pipeline shows each candidate's next or last interview and filters by it."""

from __future__ import annotations

import re
from datetime import time, timedelta

from recruit.auth.models import User
from recruit.extensions import db
from recruit.interviews import bookings, sessions
from recruit.interviews.models import Booking
from recruit.organisation.services import local_now
from recruit.vacancies.models import Vacancy
from tests.conftest import login
from tests.worlds.interviews import move_day


def _day_on(app, day, offset: int, apps: list[int], title: str):
    """A day `offset` days from today; one in the past is planned ahead and moved back (as time does)."""
    with app.app_context():
        recruiter = db.session.get(User, day["recruiter"])
        ahead = max(offset, 1) + (0 if offset > 0 else 30)  # planned on a free day, then moved
        session = sessions.create_session(
            kind="stream", title=title, vacancy=db.session.get(Vacancy, day["vacancy"]),
            day=local_now().date() + timedelta(days=ahead), start=time(10), end=time(12), place="Room",
            interviewers=[sessions.InterviewerHours(day["interviewer"])], created_by=recruiter)
        made = bookings.book(session, [(a, 0) for a in apps], None, recruiter).invited
        move_day(session, timedelta(days=offset - ahead))
        db.session.commit()
        return [b.id for b in made]


def _names(page: str) -> list[str]:
    return sorted(set(re.findall(r">(Person \d+)</a>", page)))


def test_the_pipeline_shows_and_filters_by_interview(clean_app, day):
    apps = day["apps"]
    tomorrow = _day_on(clean_app, day, 1, apps[:3], "Tomorrow")
    past = _day_on(clean_app, day, -3, apps[3:5], "Past")
    with clean_app.app_context():
        first = db.session.get(Booking, tomorrow[0])
        first.state, first.ever_confirmed = "confirmed", True
        db.session.get(Booking, past[0]).state = "no_show"
        db.session.get(Booking, past[1]).state = "arrived"
        db.session.commit()
    client = clean_app.test_client()
    login(client, "rec@x.test")
    url = f"/vacancies/{day['vacancy']}/pipeline"
    page = client.get(url).get_data(as_text=True)
    row = re.search(r">Person 0</a>.*?</tr>", page, re.S).group(0)
    assert "Next:" in row and "Confirmed" in row
    row = re.search(r">Person 3</a>.*?</tr>", page, re.S).group(0)
    assert "Last:" in row and "No-show" in row
    assert _names(client.get(url + "?interview=confirmed_tomorrow").get_data(as_text=True)) == ["Person 0"]
    assert _names(client.get(url + "?interview=not_confirmed_tomorrow").get_data(as_text=True)) == [
        "Person 1", "Person 2"]
    assert _names(client.get(url + "?interview=no_show_last_week").get_data(as_text=True)) == ["Person 3"]
    assert _names(client.get(url + "?interview=came_last_week").get_data(as_text=True)) == ["Person 4"]
    assert len(_names(client.get(url + "?interview=nonsense").get_data(as_text=True))) == 12  # an unknown filter: all
    board = client.get(f"/vacancies/{day['vacancy']}/board").get_data(as_text=True)
    assert "Next:" in board and "Last:" in board


def test_the_next_interview_wins_over_a_past_one(clean_app, day):
    apps = day["apps"]
    past = _day_on(clean_app, day, -2, apps[:1], "Past")
    with clean_app.app_context():
        db.session.get(Booking, past[0]).state = "no_show"
        db.session.commit()
    _day_on(clean_app, day, 2, apps[:1], "Again")
    client = clean_app.test_client()
    login(client, "rec@x.test")
    page = client.get(f"/vacancies/{day['vacancy']}/pipeline").get_data(as_text=True)
    row = re.search(r">Person 0</a>.*?</tr>", page, re.S).group(0)
    assert "Next:" in row and "Invited" in row and "No-show" not in row


def test_the_api_filters_the_pipeline_by_interview(clean_app, day):
    from recruit.auth import services as accounts

    tomorrow = _day_on(clean_app, day, 1, day["apps"][:2], "Tomorrow")
    with clean_app.app_context():
        db.session.get(Booking, tomorrow[0]).state = "confirmed"
        _token, secret = accounts.create_api_token(db.session.get(User, day["recruiter"]), "t")
        db.session.commit()
    client = clean_app.test_client()
    headers = {"Authorization": f"Bearer {secret}"}
    found = client.get(f"/api/v1/candidates?vacancy_id={day['vacancy']}&interview=confirmed_tomorrow",
                       headers=headers).get_json()
    assert [item["full_name"] for item in found["items"]] == ["Person 0"] and found["total"] == 1
    wrong = client.get(f"/api/v1/candidates?vacancy_id={day['vacancy']}&interview=soon", headers=headers)
    assert wrong.status_code == 400 and "confirmed_tomorrow" in wrong.get_json()["error"]["message"]
    spec = client.get("/api/v1/openapi.json").get_json()
    names = [p["name"] for p in spec["paths"]["/candidates"]["get"]["parameters"]]
    assert "interview" in names
