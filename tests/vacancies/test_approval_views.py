"""The approval pages as the reviewer, the recruiter and the approver click
through them: the reviewer who asks for changes lands on the vacancy
(read-only), a new headcount or pay waits on the vacancy's page for the
reviews and the approval, and the mail of each step is in the outbox in its
reader's language."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from flask_babel import force_locale, gettext

from recruit.auth.models import User
from recruit.extensions import db
from recruit.mail import OutboxMessage
from recruit.organisation import services as org
from recruit.vacancies.models import Vacancy, VacancyAmendment
from tests.conftest import login


@pytest.fixture
def chain(clean_app, make):
    """HR (a recruiter) and legal review, the CEO approves; the manager reads Ukrainian."""
    ids = {"manager": make.user("hiring_manager", email="boss@x.test", name="Olena Boss"),
           "hr": make.user("recruiter", email="hr@x.test", name="Hanna HR"),
           "legal": make.user("hiring_manager", email="legal@x.test", name="Lev Legal"),
           "ceo": make.user("admin", email="ceo@x.test", name="Chief"),
           "recruiter": make.user("recruiter", email="rec@x.test", name="Roman Recruiter")}
    with clean_app.app_context():
        db.session.get(User, ids["manager"]).locale = "uk"
        org.update_settings(name="X", timezone="Europe/Kyiv", working_days=[0, 1, 2, 3, 4],
                            reminder_offsets_hours=[24], retention_days=365, approver_id=ids["ceo"])
        org.add_review_step("HR", ids["hr"])
        org.add_review_step("Legal", ids["legal"])
        db.session.commit()
    return ids


def _as(client, email: str) -> None:
    client.post("/logout")
    login(client, email)


def _review_ids(page: str) -> list[str]:
    return re.findall(r"/reviews/(\d+)", page)


def _outbox(app, kind: str) -> list[OutboxMessage]:
    with app.app_context():
        rows = list(db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.kind == kind)))
        db.session.expunge_all()
        return rows


def test_the_reviewer_who_asks_for_changes_lands_on_the_vacancy_read_only(clean_app, make, chain):
    vacancy = make.vacancy("in_review", manager=chain["manager"])
    client = clean_app.test_client()
    login(client, "legal@x.test")
    page = client.get(f"/vacancies/{vacancy}").get_data(as_text=True)
    legal_step = _review_ids(page)[0]
    answer = client.post(f"/vacancies/{vacancy}/reviews/{legal_step}",
                         data={"decision": "changes_requested", "comment": "Add the probation period"})
    assert answer.status_code == 302 and answer.headers["Location"].endswith(f"/vacancies/{vacancy}")
    landing = client.get(answer.headers["Location"])
    assert landing.status_code == 200
    page = landing.get_data(as_text=True)
    assert "Your review is recorded" in page and "Add the probation period" in page
    assert "draft" in page
    assert f"/vacancies/{vacancy}/edit" not in page and 'name="target"' not in page  # read-only
    assert _review_ids(page) == []  # nothing left to review
    assert client.get(f"/vacancies/{vacancy}/edit").status_code == 403
    assert client.post(f"/vacancies/{vacancy}/transition", data={"target": "in_review"}).status_code == 403
    # they may still say something in the comments
    assert client.post(f"/vacancies/{vacancy}/comments", data={"body": "Three months is usual"}).status_code == 302
    # the requester has the news in Ukrainian, with the link
    [news] = _outbox(clean_app, "vacancy.changes_requested")
    with clean_app.test_request_context(), force_locale("uk"):
        subject = gettext("Changes asked for: %(title)s", title="Client manager — Moscow")
    assert news.recipient == "boss@x.test" and news.subject == subject
    assert f"/vacancies/{vacancy}" in news.body and "Add the probation period" in news.body


def test_a_recruiter_reviewer_may_not_cancel_the_draft_they_sent_back(clean_app, make, chain):
    vacancy = make.vacancy("in_review", manager=chain["manager"])
    client = clean_app.test_client()
    login(client, "hr@x.test")
    hr_step = _review_ids(client.get(f"/vacancies/{vacancy}").get_data(as_text=True))[0]
    client.post(f"/vacancies/{vacancy}/reviews/{hr_step}", data={"decision": "changes_requested", "comment": "x"})
    page = client.get(f"/vacancies/{vacancy}").get_data(as_text=True)
    assert 'value="cancelled"' not in page
    assert client.post(f"/vacancies/{vacancy}/transition", data={"target": "cancelled"}).status_code == 403
    _as(client, "legal@x.test")  # the other reviewer does not see the draft
    assert client.get(f"/vacancies/{vacancy}").status_code == 403
    with clean_app.app_context():
        assert db.session.get(Vacancy, vacancy).state == "draft"


def _edit_form(app, vacancy_id: int, **changes) -> dict:
    with app.app_context():
        row = db.session.get(Vacancy, vacancy_id)
        data = {"position": row.position, "department": row.department, "city": row.city,
                "headcount": row.headcount, "pay_level": row.pay_level, "salary_min": row.salary_min,
                "salary_max": row.salary_max, "education": row.education, "min_experience_years": "",
                "skills": row.skills, "duties": row.duties, "kpis": row.kpis, "target_start": "", "language": ""}
    return {**data, **changes}


def test_a_new_headcount_waits_on_the_page_for_the_reviews_and_the_approval(clean_app, make, chain):
    vacancy = make.vacancy("open", manager=chain["manager"], headcount=2)
    client = clean_app.test_client()
    login(client, "rec@x.test")
    form = client.get(f"/vacancies/{vacancy}/edit").get_data(as_text=True)
    assert "Why the headcount or pay changes" in form
    refused = client.post(f"/vacancies/{vacancy}/edit", data=_edit_form(clean_app, vacancy, headcount=3))
    assert refused.status_code == 200 and "Say why the headcount or pay changes" in refused.get_data(as_text=True)
    saved = client.post(f"/vacancies/{vacancy}/edit", data=_edit_form(
        clean_app, vacancy, headcount=3, duties="Call clients", change_reason="A second shop opens"),
        follow_redirects=True)
    page = saved.get_data(as_text=True)
    assert "waits for review and approval" in page
    assert "Change of headcount or pay waiting for approval" in page and "A second shop opens" in page
    with clean_app.app_context():
        row = db.session.get(Vacancy, vacancy)
        assert (row.headcount, row.duties, row.state) == (2, "Call clients", "open")
    # a second proposal is refused while one waits; the edit page says so
    assert "already waits for approval" in client.get(f"/vacancies/{vacancy}/edit").get_data(as_text=True)

    for email in ("hr@x.test", "legal@x.test"):
        _as(client, email)
        assert "Waiting for you" in client.get("/").get_data(as_text=True)
        [step] = _review_ids(client.get(f"/vacancies/{vacancy}").get_data(as_text=True))
        answer = client.post(f"/vacancies/{vacancy}/reviews/{step}", data={"decision": "approved", "comment": ""})
        assert client.get(answer.headers["Location"]).status_code == 200
    with clean_app.app_context():
        amendment = db.session.scalar(sa.select(VacancyAmendment))
    _as(client, "rec@x.test")  # the proposer may withdraw, not approve
    page = client.get(f"/vacancies/{vacancy}").get_data(as_text=True)
    assert "Withdraw the change" in page and "Approve the change" not in page
    assert client.post(f"/vacancies/{vacancy}/amendments/{amendment.id}",
                       data={"decision": "approved"}).status_code == 403

    _as(client, "ceo@x.test")
    assert "Approve the change" in client.get(f"/vacancies/{vacancy}").get_data(as_text=True)
    done = client.post(f"/vacancies/{vacancy}/amendments/{amendment.id}", data={"decision": "approved",
                                                                                  "comment": "Budget found"},
                       follow_redirects=True)
    page = done.get_data(as_text=True)
    assert done.status_code == 200 and "The change is now approved." in page
    assert "Change of headcount or pay waiting for approval" not in page
    assert "change of headcount or pay approved" in page and "Headcount: 2 → 3" in page  # the history
    with clean_app.app_context():
        assert db.session.get(Vacancy, vacancy).headcount == 3
    [news] = [m for m in _outbox(clean_app, "vacancy.amendment_approved") if m.recipient == "boss@x.test"]
    with clean_app.test_request_context(), force_locale("uk"):
        assert news.subject == gettext("Change approved: %(title)s", title="Client manager — Moscow")
    # a second click on the decision changes nothing
    again = client.post(f"/vacancies/{vacancy}/amendments/{amendment.id}", data={"decision": "declined",
                                                                                   "comment": "late"},
                        follow_redirects=True)
    assert "already decided" in again.get_data(as_text=True)


def test_an_emptied_figure_on_the_edit_form_saves_as_none_not_a_conflict(clean_app, make, chain):
    vacancy = make.vacancy("draft", manager=chain["manager"], min_experience_years=1.5, salary_min=100)
    client = clean_app.test_client()
    login(client, "boss@x.test")
    answer = client.post(f"/vacancies/{vacancy}/edit", data=_edit_form(clean_app, vacancy, salary_min=""))
    assert answer.status_code == 302
    with clean_app.app_context():
        row = db.session.get(Vacancy, vacancy)
        assert (row.min_experience_years, row.salary_min, row.salary_max) == (0, 0, 90000)


def test_a_forged_decision_on_a_change_is_refused_with_a_message(clean_app, make, chain):
    vacancy = make.vacancy("open", manager=chain["manager"])
    client = clean_app.test_client()
    login(client, "ceo@x.test")
    answer = client.post(f"/vacancies/{vacancy}/amendments/999", data={"decision": "approved"},
                         follow_redirects=True)
    assert answer.status_code == 200 and "No such change." in answer.get_data(as_text=True)
    answer = client.post(f"/vacancies/{vacancy}/amendments/999", data={}, follow_redirects=True)
    assert "Choose what to do with the change." in answer.get_data(as_text=True)
