"""Deciding from evidence: the vacancy's interview kit, scorecards scored on
it and locked by the decision, the candidate page's interviews and history,
and the decision view that moves several candidates at once."""

from __future__ import annotations

import re
from datetime import time

import pytest
import sqlalchemy as sa

from recruit.auth.models import User
from recruit.extensions import db
from recruit.interviews import bookings, desk, evidence, kits, scorecards, sessions
from recruit.interviews.errors import InterviewError
from recruit.interviews.models import Booking, KitCriterion, Scorecard
from recruit.vacancies.models import Application, Vacancy
from tests.conftest import login


def _came(app, day, count: int, *, second_interviewer: int | None = None):
    """A stream day for the vacancy where `count` of the candidates came."""
    with app.app_context():
        hours = [sessions.InterviewerHours(day["interviewer"])]
        if second_interviewer:
            hours.append(sessions.InterviewerHours(second_interviewer))
        session = sessions.create_session(kind="stream", title="Internal title", vacancy=db.session.get(
            Vacancy, day["vacancy"]), day=day["day"], start=time(10), end=time(12), place="Room",
            interviewers=hours, created_by=db.session.get(User, day["recruiter"]))
        made = bookings.book(session, [(a, n % 4) for n, a in enumerate(day["apps"][:count])], None,
                             db.session.get(User, day["recruiter"])).invited
        recruiter = db.session.get(User, day["recruiter"])
        for booking in made:
            desk.check_in(booking, recruiter)
        db.session.commit()
        return session.id, [b.id for b in made]


def _score(app, booking_id: int, user_id: int, scores: tuple[int, int, int], note: str = "", **kw):
    with app.app_context():
        scorecards.record_scorecard(db.session.get(Booking, booking_id), db.session.get(User, user_id),
                              motivation=scores[0], competence=scores[1], adequacy=scores[2], note=note, **kw)
        db.session.commit()


def test_a_kit_is_suggested_from_the_job_description_and_saved(clean_app, make):
    vacancy_id = make.vacancy("open", skills="1C, CRM; telephone manner\nnegotiation", min_experience_years=2,
                              education="Higher")
    admin_id = make.user("admin")
    with clean_app.app_context():
        vacancy = db.session.get(Vacancy, vacancy_id)
        names = [d.name for d in kits.suggested(vacancy)]
        assert names == ["Sales experience", "1C", "CRM", "telephone manner", "negotiation", "Education"]
        assert "At least 2 years in sales" in kits.suggested(vacancy)[0].high
        admin = db.session.get(User, admin_id)
        with pytest.raises(InterviewError, match="listed twice"):
            kits.save(vacancy, [kits.CriterionDraft("CRM", "", "none", "daily"),
                                kits.CriterionDraft("crm", "", "none", "daily")], admin)
        with pytest.raises(InterviewError, match="what a 1 and a 5 look like"):
            kits.save(vacancy, [kits.CriterionDraft("CRM", "", "", "daily")], admin)
        first = kits.save(vacancy, [kits.CriterionDraft("CRM", "Which CRM?", "never used one", "daily, reports"),
                                    kits.CriterionDraft("1C", "", "never", "invoices alone")], admin)
        db.session.commit()
        crm_id = first[0].id
        again = kits.save(vacancy, [kits.CriterionDraft("1C", "", "never", "invoices alone"),
                                    kits.CriterionDraft("CRM", "Which CRM?", "none", "daily"),
                                    kits.CriterionDraft("", "", "", "")], admin)  # reordered, an empty row
        db.session.commit()
        assert [c.name for c in again] == ["1C", "CRM"] and again[1].id == crm_id  # kept its row
        assert db.session.scalar(sa.select(sa.func.count()).select_from(KitCriterion)) == 2


def test_the_kit_page_offers_the_suggestion_and_saves_it(clean_app, make, day):
    client = clean_app.test_client()
    login(client, "rec@x.test")
    page = client.get(f"/vacancies/{day['vacancy']}/interview-kit").get_data(as_text=True)
    assert "Suggested from the job description" in page and 'value="Sales experience"' in page
    data = {"criteria-0-name": "Negotiation", "criteria-0-question": "Sell me this pen",
            "criteria-0-low": "Gives in at once", "criteria-0-high": "Holds the price, finds the need",
            "criteria-1-name": "", "criteria-1-low": "", "criteria-1-high": ""}
    assert client.post(f"/vacancies/{day['vacancy']}/interview-kit", data=data).status_code == 302
    page = client.get(f"/vacancies/{day['vacancy']}/interview-kit").get_data(as_text=True)
    assert "Suggested from" not in page and 'value="Negotiation"' in page
    bad = client.post(f"/vacancies/{day['vacancy']}/interview-kit", data={
        "criteria-0-name": "Negotiation", "criteria-0-low": "", "criteria-0-high": "x"})
    assert bad.status_code == 200 and "what a 1 and a 5 look like" in bad.get_data(as_text=True)
    with clean_app.app_context():
        assert [c.low for c in kits.kit(day["vacancy"])] == ["Gives in at once"]  # the refused change wrote nothing


def test_the_interviewer_scores_the_kit_on_the_scorecard(clean_app, make, day):
    with clean_app.app_context():
        kits.save(db.session.get(Vacancy, day["vacancy"]),
                  [kits.CriterionDraft("Negotiation", "Sell me this pen", "Gives in at once", "Holds the price")],
                  db.session.get(User, day["recruiter"]))
        db.session.commit()
        criterion = kits.kit(day["vacancy"])[0].id
    _session, (booking_id,) = _came(clean_app, day, 1)
    client = clean_app.test_client()
    login(client, "boss@x.test")
    page = client.get(f"/bookings/{booking_id}/scorecard").get_data(as_text=True)
    assert "Sell me this pen" in page and "Gives in at once" in page and "Holds the price" in page  # the kit in hand
    unscored = client.post(f"/bookings/{booking_id}/scorecard", data={"motivation": 4, "competence": 4,
                                                                       "adequacy": 4, f"kit_{criterion}": ""})
    assert unscored.status_code == 200 and "Scores run from 1 to 5." in unscored.get_data(as_text=True)
    saved = client.post(f"/bookings/{booking_id}/scorecard", data={
        "motivation": 4, "competence": 4, "adequacy": 4, f"kit_{criterion}": 2, "note": "Gave a discount",
        "next_stage": ""})
    assert saved.status_code == 302
    again = client.get(f"/bookings/{booking_id}/scorecard").get_data(as_text=True)
    assert re.findall(r'<option selected value="(\d*)">', again)[:4] == ["4", "4", "4", "2"]
    with clean_app.app_context():
        card = db.session.scalar(sa.select(Scorecard))
        assert [(s.name, s.score) for s in card.criteria] == [("Negotiation", 2)]
        with pytest.raises(InterviewError, match="Score every criterion"):
            scorecards.record_scorecard(db.session.get(Booking, booking_id), db.session.get(User, day["interviewer"]),
                                  motivation=3, competence=3, adequacy=3)


def test_the_candidate_page_shows_interviews_scorecards_and_history(clean_app, make, day):
    colleague = make.user("mentor", email="mentor@x.test", name="Olena Mentor")
    _session, booking_ids = _came(clean_app, day, 3, second_interviewer=colleague)
    _score(clean_app, booking_ids[0], day["interviewer"], (5, 4, 3), "Strong closer")
    _score(clean_app, booking_ids[0], colleague, (3, 4, 5), "Talks too much")
    _score(clean_app, booking_ids[1], day["interviewer"], (1, 1, 1))
    _score(clean_app, booking_ids[2], day["interviewer"], (3, 3, 3), next_stage="offer")
    with clean_app.app_context():
        candidate_id = db.session.get(Booking, booking_ids[0]).candidate_id
    client = clean_app.test_client()
    login(client, "rec@x.test")
    page = client.get(f"/candidates/{candidate_id}").get_data(as_text=True)
    interviews = page[page.index("<h2>Interviews</h2>"):page.index("<h2>History</h2>")]
    assert "Olena Mentor" in interviews and "Strong closer" in interviews and "Talks too much" in interviews
    assert "Others for this vacancy (2)" in interviews
    motivation = re.search(r"<th scope=\"row\">Motivation</th>(.*?)</tr>", interviews, re.S).group(1)
    assert re.findall(r">(\d(?:\.\d)?)<", motivation) == ["5", "3", "2"]  # both cards, then the others' average
    history = page[page.index("<h2>History</h2>"):]
    for event in ("interview booked", "checked in", "Scorecard from Olena Mentor", "Message: "):
        assert event in history, event
    assert "Internal title" not in history


def test_the_candidate_page_compares_the_kit_in_its_order_with_the_others(clean_app, day):
    """The kit's criteria follow the core three in the kit's order, each with
    the vacancy's other candidates' average; a criterion dropped from the kit
    since stays as a last row for the cards that scored it."""
    with clean_app.app_context():
        kit = kits.save(db.session.get(Vacancy, day["vacancy"]),
                        [kits.CriterionDraft("Telephone manner", "", "mumbles", "warm and clear"),
                         kits.CriterionDraft("Negotiation", "", "gives in", "holds the price"),
                         kits.CriterionDraft("CRM", "", "never", "daily")], db.session.get(User, day["recruiter"]))
        db.session.commit()
        phone, talks, crm = (c.id for c in kit)
    _session, booking_ids = _came(clean_app, day, 3)
    _score(clean_app, booking_ids[0], day["interviewer"], (4, 4, 4), criteria={phone: 5, talks: 2, crm: 3})
    _score(clean_app, booking_ids[1], day["interviewer"], (2, 2, 2), criteria={phone: 1, talks: 4, crm: 5})
    _score(clean_app, booking_ids[2], day["interviewer"], (3, 3, 3), criteria={phone: 4, talks: 5, crm: 4})
    with clean_app.app_context():  # CRM leaves the kit and the rest swap places
        kits.save(db.session.get(Vacancy, day["vacancy"]),
                  [kits.CriterionDraft("Negotiation", "", "gives in", "holds the price"),
                   kits.CriterionDraft("Telephone manner", "", "mumbles", "warm and clear")],
                  db.session.get(User, day["recruiter"]))
        db.session.commit()
        candidate_id = db.session.get(Booking, booking_ids[0]).candidate_id
    client = clean_app.test_client()
    login(client, "rec@x.test")
    page = client.get(f"/candidates/{candidate_id}").get_data(as_text=True)
    interviews = page[page.index("<h2>Interviews</h2>"):page.index("<h2>History</h2>")]
    rows = re.findall(r'<th scope="row">([^<]+)</th>(.*?)</tr>', interviews, re.S)
    assert [name for name, _cells in rows] == ["Motivation", "Competence", "Adequacy", "Negotiation",
                                               "Telephone manner", "CRM"]
    cells = {name: re.findall(r">(\d(?:\.\d)?)<", found) for name, found in rows}
    assert cells["Negotiation"] == ["2", "4.5"] and cells["Telephone manner"] == ["5", "2.5"]
    assert cells["CRM"] == ["3", "4.5"] and cells["Motivation"] == ["4", "2.5"]
    assert "Others for this vacancy (2)" in interviews


def test_a_hiring_manager_sees_only_their_vacancys_interviews(clean_app, make, day):
    other_manager = make.user("hiring_manager", email="other@x.test")
    other_vacancy = make.vacancy("open", manager=other_manager)
    _session, (booking_id,) = _came(clean_app, day, 1)
    _score(clean_app, booking_id, day["interviewer"], (4, 4, 4), "Secret note")
    with clean_app.app_context():
        booking = db.session.get(Booking, booking_id)
        candidate_id = booking.candidate_id
        db.session.add(Application(vacancy_id=other_vacancy, candidate_id=candidate_id, stage="new"))
        db.session.commit()
    client = clean_app.test_client()
    login(client, "other@x.test")
    page = client.get(f"/candidates/{candidate_id}").get_data(as_text=True)
    assert "Secret note" not in page and "checked in" not in page and "No interviews yet" in page


def test_an_import_shows_in_the_history_with_its_file(clean_app, make, day):
    from recruit.vacancies import imports

    with clean_app.app_context():
        batch = imports.start(db.session.get(Vacancy, day["vacancy"]), "hh-export.csv",
                              b"full_name,email\nIvan Petrenko,ivan@p.test\n", db.session.get(User, day["recruiter"]))
        imports.check(batch, batch.mapping)
        imports.run(batch, skip_bad_rows=False)
        db.session.commit()
        application = db.session.scalar(sa.select(Application).join(Application.candidate).where(
            Application.vacancy_id == day["vacancy"]).order_by(Application.id.desc()))
        assert application.import_batch_id == batch.id
        candidate_id = application.candidate_id
    client = clean_app.test_client()
    login(client, "rec@x.test")
    history = client.get(f"/candidates/{candidate_id}").get_data(as_text=True)
    assert "Imported into" in history and "from the file hh-export.csv" in history


def test_the_decision_view_moves_several_at_once_all_or_none(clean_app, make, day):
    session_id, booking_ids = _came(clean_app, day, 3)
    _score(clean_app, booking_ids[0], day["interviewer"], (2, 2, 2), "Weak")
    _score(clean_app, booking_ids[1], day["interviewer"], (5, 5, 4), "Hire")
    client = clean_app.test_client()
    login(client, "rec@x.test")
    page = client.get(f"/interviews/{session_id}/decisions").get_data(as_text=True)
    names = re.findall(r"Person \d", page)
    assert names.index("Person 1") < names.index("Person 0")  # the best average first
    assert "Weak" in page and "No scorecard yet" in page
    assert "Internal title" in page  # staff see the day's own name
    forged = client.post(f"/interviews/{session_id}/decisions", data={"booking": ["x", "-1"], "next_step": "offer"})
    assert forged.status_code == 200 and "Tick the candidates to move first." in forged.get_data(as_text=True)
    refused = client.post(f"/interviews/{session_id}/decisions", data={
        "booking": [booking_ids[0], booking_ids[2]], "next_step": "rejected", "reason": ""})
    assert "Give a reason for the rejection" in refused.get_data(as_text=True)
    with clean_app.app_context():
        db.session.get(Application, day["apps"][2]).stage = "hired"  # one who cannot be rejected any more
        db.session.commit()
    blocked = client.post(f"/interviews/{session_id}/decisions", data={
        "booking": [booking_ids[0], booking_ids[2]], "next_step": "rejected", "reason": "Too little experience"},
        follow_redirects=True).get_data(as_text=True)
    assert "Person 2:" in blocked
    with clean_app.app_context():
        assert db.session.get(Application, day["apps"][0]).stage == "interviewed"  # nobody half moved
    moved = client.post(f"/interviews/{session_id}/decisions", data={
        "booking": [booking_ids[0], booking_ids[1]], "next_step": "role_play", "reason": ""},
        follow_redirects=True).get_data(as_text=True)
    assert "2 candidates moved to" in moved
    with clean_app.app_context():
        assert [db.session.get(Application, a).stage for a in day["apps"][:2]] == ["role_play", "role_play"]
        rows = evidence.decision_rows(vacancy_id=day["vacancy"])
        assert {r.booking.id for r in rows if r.decided} == set(booking_ids)
    manager = clean_app.test_client()
    login(manager, "boss@x.test")
    seen = manager.get(f"/vacancies/{day['vacancy']}/decisions").get_data(as_text=True)
    assert "Hire" in seen and 'name="booking"' not in seen  # the manager reads; recruiters move
    forged = manager.post(f"/vacancies/{day['vacancy']}/decisions", data={
        "booking": [booking_ids[0]], "next_step": "offer"})
    assert "Tick the candidates to move first." in forged.get_data(as_text=True)
    with clean_app.app_context():
        assert db.session.get(Application, day["apps"][0]).stage == "role_play"  # a forged tick moved nobody
    assert manager.get(f"/interviews/{session_id}/decisions").status_code == 403


def test_after_the_decision_a_missing_card_may_still_be_added_but_moves_nobody(clean_app, make, day):
    colleague = make.user("mentor", email="mentor@x.test")
    _session, (booking_id,) = _came(clean_app, day, 1, second_interviewer=colleague)
    _score(clean_app, booking_id, day["interviewer"], (5, 5, 5), next_stage="offer")
    client = clean_app.test_client()
    login(client, "mentor@x.test")
    page = client.get(f"/bookings/{booking_id}/scorecard").get_data(as_text=True)
    assert "without moving the candidate" in page and 'name="next_stage"' not in page
    assert client.post(f"/bookings/{booking_id}/scorecard", data={
        "motivation": 2, "competence": 2, "adequacy": 2, "next_stage": "rejected"}).status_code == 302
    with clean_app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Scorecard)) == 2
        assert db.session.get(Application, day["apps"][0]).stage == "offer"


def test_the_call_round_shows_in_the_candidates_history(clean_app, day):
    from recruit.interviews import calls

    with clean_app.app_context():
        session = sessions.create_session(kind="stream", title="Day", vacancy=db.session.get(Vacancy, day["vacancy"]),
                                          day=day["day"], start=time(10), end=time(12), place="Room",
                                          interviewers=[sessions.InterviewerHours(day["interviewer"])],
                                          created_by=db.session.get(User, day["recruiter"]))
        booking = bookings.book(session, [(day["apps"][0], 0)], None, db.session.get(User, day["recruiter"])).invited[0]
        calls.record_call(booking, "no_answer", db.session.get(User, day["recruiter"]),
                          tap="0123456789abcdef0123456789abcdef", seen=0,
                          note="Voicemail full")
        db.session.commit()
        candidate_id = booking.candidate_id
    client = clean_app.test_client()
    login(client, "rec@x.test")
    history = client.get(f"/candidates/{candidate_id}").get_data(as_text=True)
    history = history[history.index("<h2>History</h2>"):]
    assert "Phone call" in history and "No answer" in history and "Voicemail full" in history
