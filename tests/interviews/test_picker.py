"""The day's candidate picker: filtered by vacancy, stage and import; the
booked and the unreachable listed apart, never ticked."""

from __future__ import annotations

import re
from datetime import time, timedelta

from recruit.auth.models import User
from recruit.extensions import db
from recruit.interviews import bookings, sessions
from recruit.organisation.services import local_now
from recruit.vacancies import imports
from recruit.vacancies.models import Application, Vacancy
from tests.conftest import login


def _day(app, day, offset: int, title: str, *, vacancy: bool = True) -> int:
    with app.app_context():
        session = sessions.create_session(
            kind="stream", title=title, vacancy=db.session.get(Vacancy, day["vacancy"]) if vacancy else None,
            day=local_now().date() + timedelta(days=offset), start=time(10), end=time(12), place="Room",
            interviewers=[sessions.InterviewerHours(day["interviewer"])],
            created_by=db.session.get(User, day["recruiter"]))
        db.session.commit()
        return session.id


def _ticked(page: str) -> list[str]:
    return re.findall(r'name="a" value="\d+" checked> (Person \d+|[A-Z][a-z]+ [A-Z][a-z]+)', page)


def test_the_booked_are_listed_apart_and_never_ticked(clean_app, day):
    other = _day(clean_app, day, 3, "Other day")
    this = _day(clean_app, day, 4, "This day")
    with clean_app.app_context():
        recruiter = db.session.get(User, day["recruiter"])
        bookings.book(db.session.get(sessions.InterviewSession, other), [(day["apps"][0], 0), (day["apps"][1], 1)],
                      None, recruiter)
        bookings.book(db.session.get(sessions.InterviewSession, this), [(day["apps"][2], 0)], None, recruiter)
        db.session.get(Application, day["apps"][3]).candidate.email = ""
        for app_id in day["apps"][:3]:
            db.session.get(Application, app_id).stage = "screened"
        db.session.commit()
    client = clean_app.test_client()
    login(client, "rec@x.test")
    page = client.get(f"/interviews/{this}").get_data(as_text=True)
    ticked = _ticked(page)
    assert len(ticked) == 8 and not {"Person 0", "Person 1", "Person 2", "Person 3"} & set(ticked)
    assert "Booked for another day (2)" in page and ("Person 1, Person 0" in page or "Person 0, Person 1" in page)
    assert "Already invited to this day (1)" in page and "No e-mail for the invitation (1)" in page
    screened = client.get(f"/interviews/{this}?stage=screened").get_data(as_text=True)
    assert _ticked(screened) == [] and "Booked for another day (2)" in screened


def test_an_import_narrows_the_picker_and_a_day_for_any_vacancy_asks_which(clean_app, day):
    with clean_app.app_context():
        batch = imports.start(db.session.get(Vacancy, day["vacancy"]), "jobs.csv",
                              b"full_name,email\nOlena Koval,olena@k.test\nTaras Bondar,taras@b.test\n",
                              db.session.get(User, day["recruiter"]))
        imports.check(batch, batch.mapping)
        imports.run(batch, skip_bad_rows=False)
        db.session.commit()
        batch_id = batch.id
    any_vacancy = _day(clean_app, day, 3, "Open day", vacancy=False)
    client = clean_app.test_client()
    login(client, "rec@x.test")
    page = client.get(f"/interviews/{any_vacancy}").get_data(as_text=True)
    assert "choose one to see its candidates" in page and _ticked(page) == []
    chosen = client.get(f"/interviews/{any_vacancy}?vacancy={day['vacancy']}").get_data(as_text=True)
    assert len(_ticked(chosen)) == 14 and "jobs.csv (2)" in chosen
    narrowed = client.get(f"/interviews/{any_vacancy}?vacancy={day['vacancy']}&batch={batch_id}")
    assert sorted(_ticked(narrowed.get_data(as_text=True))) == ["Olena Koval", "Taras Bondar"]
    assert client.get(f"/interviews/{any_vacancy}?vacancy=abc&stage=nonsense&batch=x").status_code == 200
