"""Seeing only what is yours, and picking only people who may hold the part:
a head of department sees a shared candidate's application to their own
vacancy, never another manager's; a form's choice list is checked again by
the server."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from tests.conftest import login
from tests.worlds.training import hired, today

pytestmark = pytest.mark.pg


def _shared_candidate(clean_app, make):
    """One person in two pipelines; the other manager rejected them with a reason."""
    from recruit.extensions import db
    from recruit.vacancies import candidates as cs
    from recruit.vacancies.models import Application

    mine = make.user("hiring_manager", email="mine@x.test")
    other = make.user("hiring_manager", email="other@x.test")
    my_vacancy = make.vacancy("open", manager=mine, position="Account manager, Kyiv")
    other_vacancy = make.vacancy("open", manager=other, position="Key account manager, Lviv")
    first = make.candidate(other_vacancy, full_name="Oksana Shared", email="oksana@x.test", phone="+380671234567")
    make.candidate(my_vacancy, full_name="Oksana Shared", email="oksana@x.test", phone="+380671234567")
    with clean_app.app_context():
        cs.move(db.session.get(Application, first), "rejected", "weak on the phone, salary too high")
        db.session.commit()
        return db.session.get(Application, first).candidate_id, my_vacancy, other_vacancy


def test_a_manager_sees_only_the_application_to_their_own_vacancy(clean_app, make):
    candidate_id, _my_vacancy, other_vacancy = _shared_candidate(clean_app, make)
    client = clean_app.test_client()
    login(client, "mine@x.test")
    page = client.get(f"/candidates/{candidate_id}").get_data(as_text=True)
    assert "Account manager, Kyiv" in page
    assert "Key account manager, Lviv" not in page and "salary too high" not in page
    assert f"/vacancies/{other_vacancy}" not in page

    recruiter = clean_app.test_client()
    make.user("recruiter", email="r@x.test")
    login(recruiter, "r@x.test")
    page = recruiter.get(f"/candidates/{candidate_id}").get_data(as_text=True)
    assert "Key account manager, Lviv" in page and "salary too high" in page


def test_the_api_shows_a_manager_only_their_own_application(clean_app, make):
    from recruit.auth import services as accounts
    from recruit.auth.models import User
    from recruit.extensions import db

    candidate_id, my_vacancy, _other = _shared_candidate(clean_app, make)
    with clean_app.app_context():
        manager = db.session.scalar(sa.select(User).where(User.email == "mine@x.test"))
        _, token = accounts.create_api_token(manager, "test")
        db.session.commit()
    client = clean_app.test_client()
    body = client.get(f"/api/v1/candidates/{candidate_id}", headers={"Authorization": f"Bearer {token}"}).get_json()
    assert [a["vacancy_id"] for a in body["applications"]] == [my_vacancy]


def _plan_form(clean_app, make, client):
    application = hired(clean_app, make)
    form = client.get(f"/plans/new?application={application}").get_data(as_text=True)
    template_id = re.search(r'name="template_id"><option value="(\d+)"', form).group(1)
    start = (today(clean_app) - timedelta(days=3)).isoformat()
    return {"application": application, "hire_name": "Ivan Hired", "hire_email": "ivan@x.test", "start": start,
            "template_id": template_id, "sysadmin_id": 0}


def test_a_recruiter_cannot_name_themselves_head_or_sysadmin(clean_app, make):
    from recruit.extensions import db
    from recruit.training.models import OnboardingPlan

    recruiter = make.user("recruiter", email="hr@x.test")
    mentor = make.user("mentor", email="mentor@x.test")
    newcomer = make.user("new_hire", email="someone@x.test")
    client = clean_app.test_client()
    login(client, "hr@x.test")
    data = {**_plan_form(clean_app, make, client), "mentor_id": mentor, "curator_id": mentor}
    page = client.post("/plans/new", data={**data, "head_id": recruiter}).get_data(as_text=True)
    assert "The head of department must be an active head of department or admin." in page
    page = client.post("/plans/new", data={**data, "sysadmin_id": newcomer}).get_data(as_text=True)
    assert "The system administrator must be an active admin." in page
    with clean_app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(OnboardingPlan.id))) == 0
    head = make.user("hiring_manager", email="head@x.test")
    assert client.post("/plans/new", data={**data, "head_id": head}).status_code == 302


def test_the_front_desk_goes_to_a_receptionist_only(clean_app, make):
    from datetime import time

    from recruit.auth.models import User
    from recruit.extensions import db
    from recruit.interviews import errors, sessions
    from recruit.organisation.services import local_now
    from recruit.vacancies.models import Vacancy

    recruiter = make.user("recruiter", email="rec@x.test")
    interviewer = make.user("hiring_manager")
    vacancy = make.vacancy("open", manager=interviewer)
    with clean_app.app_context():
        kwargs = dict(kind="stream", title="Day", vacancy=db.session.get(Vacancy, vacancy),
                      day=(local_now() + timedelta(days=2)).date(), start=time(10), end=time(12), place="Room",
                      interviewers=[sessions.InterviewerHours(interviewer)], created_by=db.session.get(User, recruiter))
        with pytest.raises(errors.InterviewError, match="active receptionist"):
            sessions.create_session(**kwargs, receptionist_id=recruiter)
        db.session.rollback()


def test_settings_pick_approvers_and_reviewers_among_those_who_may(clean_app, make):
    from recruit.extensions import db
    from recruit.organisation.models import OrgSettings, ReviewStep

    make.user("admin", email="admin@x.test")
    trainee = make.user("new_hire", email="trainee@x.test")
    manager = make.user("hiring_manager", email="boss@x.test")
    client = clean_app.test_client()
    login(client, "admin@x.test")
    page = client.get("/admin/settings").get_data(as_text=True)
    assert "trainee@x.test" not in page and "boss@x.test" in page
    client.post("/admin/settings/review-steps", data={"label": "Budget", "reviewer_id": trainee})
    with clean_app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(ReviewStep.id))) == 0
    client.post("/admin/settings/review-steps", data={"label": "Budget", "reviewer_id": manager})
    with clean_app.app_context():
        assert db.session.scalar(sa.select(ReviewStep.reviewer_id)) == manager
        assert db.session.scalar(sa.select(OrgSettings.approver_id)) is None
