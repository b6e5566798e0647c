"""Every `next` a form sends back is a path of this site, or the page's own
default: sign-in, the pipeline's move buttons and the plan's task ticks use
one check (recruit.web.same_site_path)."""

from __future__ import annotations

import pytest

from tests.conftest import login

OFFSITE = ["//evil.example/x", "/\\evil.example", "/\t/evil.example", "/\n/evil.example", "https://evil.example/",
           "/\u200b/evil.example", "javascript:alert(1)"]


@pytest.mark.parametrize("target", OFFSITE)
def test_offsite_targets_fall_back(clean_app, target):
    from recruit.web import same_site_path

    with clean_app.test_request_context():
        assert same_site_path(target, "/vacancies") == "/vacancies"
        assert same_site_path("/vacancies/3/pipeline?stage=new#row-5", "/x") == "/vacancies/3/pipeline?stage=new#row-5"


@pytest.mark.parametrize("target", OFFSITE[:4])
def test_the_pipeline_move_stays_on_the_site(clean_app, make, target):
    vacancy = make.vacancy("open")
    application = make.candidate(vacancy, full_name="Olena Move")
    make.user("recruiter", email="r@x.test")
    client = clean_app.test_client()
    login(client, "r@x.test")
    response = client.post(f"/applications/{application}/move", data={"target": "screened", "next": target})
    assert response.status_code == 302
    assert response.headers["Location"] == f"/vacancies/{vacancy}/pipeline"


@pytest.mark.parametrize("target", OFFSITE[:4])
def test_a_task_tick_stays_on_the_site(clean_app, make, target):
    import sqlalchemy as sa

    from recruit.extensions import db
    from recruit.training.models import PlanTask

    mentor = make.user("mentor", email="mentor@x.test")
    make.user("new_hire", email="hire@x.test")
    plan_id = make.plan(mentor, days_ago=3)
    with clean_app.app_context():
        task_id = db.session.scalar(sa.select(PlanTask.id).where(PlanTask.owner_role == "mentor").limit(1))
    client = clean_app.test_client()
    login(client, "mentor@x.test")
    response = client.post(f"/plan-tasks/{task_id}/done", data={"next": target})
    assert response.status_code == 302 and response.headers["Location"] == f"/plans/{plan_id}"
