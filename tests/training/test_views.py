"""Onboarding in the browser: HR starts a plan for a hire, the hire follows it,
the mentor ticks tasks and signs off, owners only."""

import io
import re
from datetime import timedelta

import sqlalchemy as sa

from recruit.auth.models import User
from recruit.extensions import db
from recruit.organisation.services import local_now
from recruit.training import gates as gating
from recruit.training import plans as onboarding
from recruit.training.models import ActivityEntry, OnboardingPlan, PlanTask
from recruit.utc import utcnow
from tests.conftest import login
from tests.worlds.training import hired, today


def test_hr_starts_a_plan_and_everyone_sees_their_part(clean_app, make):
    from recruit.extensions import db
    from recruit.mail import OutboxMessage

    make.user("recruiter", email="hr@x.test")
    mentor = make.user("mentor", email="mentor@x.test")
    make.user("mentor", email="other@x.test")
    head = make.user("hiring_manager", email="head@x.test")
    application = hired(clean_app, make)
    client = clean_app.test_client()
    login(client, "hr@x.test")
    page = client.get(f"/candidates/{_candidate_id(clean_app, application)}").get_data(as_text=True)
    assert "Start onboarding" in page
    form = client.get(f"/plans/new?application={application}").get_data(as_text=True)
    assert "Ivan Hired" in form and "room for 3" in form
    template_id = re.search(r'name="template_id"><option value="(\d+)"', form).group(1)
    start = (today(clean_app) - timedelta(days=3)).isoformat()
    response = client.post("/plans/new", data={
        "application": application, "hire_name": "Ivan Hired", "hire_email": "ivan@x.test", "start": start,
        "template_id": template_id, "mentor_id": mentor, "curator_id": mentor, "head_id": head, "sysadmin_id": 0})
    assert response.status_code == 302
    plan_url = response.headers["Location"]
    page = client.get(plan_url).get_data(as_text=True)
    assert "Orientation" in page and "Working rhythm under a curator" in page and "Exit criteria" in page
    csv_text = client.get("/plans?format=csv").get_data().decode("utf-8-sig")
    assert "Ivan Hired" in csv_text and "Orientation" in csv_text
    with clean_app.app_context():
        invitation = db.session.scalar(sa.select(OutboxMessage).where(OutboxMessage.recipient == "ivan@x.test"))
        link = re.search(r"http://\S+", invitation.body).group(0).replace("http://recruit.test", "")
    client.post("/logout")

    # the new hire sets a password and sees their own plan, and nobody else's
    client.post(link, data={"password": "ivan-password-1", "confirm": "ivan-password-1"})
    login(client, "ivan@x.test", "ivan-password-1")
    mine = client.get("/my-plan").get_data(as_text=True)
    assert "Ivan Hired" in mine and "Save the day" in mine
    assert "To move on from “Orientation”" in mine and "All required tasks done" in mine
    bad = client.post(f"{plan_url}/activity", data={"day": today(clean_app).isoformat(), "calls": "-3"},
                      follow_redirects=True)
    assert "cannot be negative" in bad.get_data(as_text=True)
    good = client.post(f"{plan_url}/activity", data={"day": today(clean_app).isoformat(), "calls": "31"},
                       follow_redirects=True)
    assert "saved" in good.get_data(as_text=True)
    assert client.get("/plans").status_code == 403
    assert client.post(f"{plan_url}/role-play", data={"passed": "1"}).status_code == 403
    client.post("/logout")

    # another mentor cannot see it; the mentor ticks their tasks from the to-do list and signs off
    login(client, "other@x.test")
    assert client.get(plan_url).status_code == 403
    client.post("/logout")
    login(client, "mentor@x.test")
    todo = client.get("/todo").get_data(as_text=True)
    assert "Product training" in todo
    mentees = client.get("/mentees").get_data(as_text=True)
    assert "Ivan Hired" in mentees and "Orientation" in mentees
    sign = re.search(r'action="(/plan-stages/\d+/sign-off)"', client.get(plan_url).get_data(as_text=True)).group(1)
    refused = client.post(sign, follow_redirects=True).get_data(as_text=True)
    assert "Not yet" in refused and "All required tasks done" in refused
    client.post("/logout")
    login(client, "head@x.test")
    override = re.search(r'action="(/plan-stages/\d+/override)"', client.get(plan_url).get_data(as_text=True)).group(1)
    client.post(override, data={"index": 0, "reason": "Done on paper on day one"})
    client.post("/logout")
    login(client, "mentor@x.test")
    done = client.post(sign, follow_redirects=True).get_data(as_text=True)
    assert "“Orientation” is signed off" in done and "Overridden: Done on paper on day one" in done


def _candidate_id(app, application_id):
    from recruit.extensions import db
    from recruit.vacancies.models import Application

    with app.app_context():
        return db.session.get(Application, application_id).candidate_id



def test_the_mentees_page_counts_overdue_tasks_and_names_a_stage_ready_for_sign_off(clean_app, make):
    mentor = make.user("mentor", email="mentor@x.test")
    waiting = make.plan(mentor, hire_email="anna@x.test", hire_name="Anna Waiting", days_ago=20)
    done = make.plan(mentor, hire_email="boris@x.test", hire_name="Boris Done", days_ago=20)
    with clean_app.app_context():
        overdue = db.session.scalar(sa.select(sa.func.count(PlanTask.id)).where(
            PlanTask.stage.has(plan_id=waiting), PlanTask.done_at.is_(None), PlanTask.due_on < local_now().date()))
        for task in db.session.get(OnboardingPlan, done).stages[0].tasks:  # Orientation done; the sign-off waits
            task.done_at, task.done_by_id = utcnow(), mentor
        db.session.commit()
    assert overdue > 1
    client = clean_app.test_client()
    login(client, "mentor@x.test")
    page = client.get("/mentees").get_data(as_text=True)
    tiles = dict(re.findall(r'<article class="tile">\s*<h3><a [^>]*>([^<]+)</a></h3>(.*?)</article>', page, re.S))
    assert f"{overdue} tasks overdue" in tiles["Anna Waiting"] and "ready for sign-off" not in tiles["Anna Waiting"]
    assert "ready for sign-off" in tiles["Boris Done"] and "Orientation" in tiles["Boris Done"]


def test_the_plan_lists_the_role_plays_as_they_happened_and_the_heads_decision(clean_app, make):
    mentor = make.user("mentor", email="mentor@x.test")
    head = make.user("hiring_manager", email="head@x.test")
    plan_id = make.plan(mentor, hire_email="anna@x.test", hire_name="Anna Trying", days_ago=30, head=head)
    with clean_app.app_context():
        plan, day = db.session.get(OnboardingPlan, plan_id), local_now().date()
        by = db.session.get(User, mentor)
        onboarding.record_role_play(plan, day - timedelta(days=4), "Head of sales as the client", False,
                                    "too fast", by)
        onboarding.record_role_play(plan, day - timedelta(days=5), "Two seniors", False, "no closing", by)
        gating.decide(plan, "extend", "Promising; one more week", db.session.get(User, head))
        onboarding.record_role_play(plan, day, "Head of sales", True, "closed the deal", by)
        db.session.commit()
    client = clean_app.test_client()
    login(client, "mentor@x.test")
    page = client.get(f"/plans/{plan_id}").get_data(as_text=True)
    tries = re.findall(r"<strong>(passed|failed)</strong> · ([^<]+?)(?: · <span class=\"muted\">([^<]+)</span>)?</p>",
                       page)
    assert tries == [("failed", "Two seniors", "no closing"), ("failed", "Head of sales as the client", "too fast"),
                     ("passed", "Head of sales", "closed the deal")]
    decision = re.search(r"Decision of [^:]+: ([^<]+)</p>", page).group(1)
    assert "Promising; one more week" in decision and "extend" in decision.lower()


def test_the_mentor_previews_a_crm_export_and_applies_it_once_keeping_the_higher_number(clean_app, make):
    from recruit.training import activity_log

    mentor = make.user("mentor", email="mentor@x.test")
    make.user("mentor", email="other@x.test")
    plan_id = make.plan(mentor, hire_email="anna@x.test", hire_name="Anna Trainee", days_ago=10)
    with clean_app.app_context():
        plan = db.session.get(OnboardingPlan, plan_id)
        day, other = today(clean_app) - timedelta(days=2), today(clean_app) - timedelta(days=1)
        activity_log.log_activity(plan, day, {"calls": 30, "contracts": 1}, plan.hire)
        activity_log.log_activity(plan, other, {"calls": 40}, plan.hire)
        db.session.commit()
    client = clean_app.test_client()
    login(client, "mentor@x.test")
    data = f"Date;Calls\n{day.isoformat()};33\n{other.isoformat()};28\n".encode()
    response = client.post(f"/plans/{plan_id}/activity/import", data={"file": (io.BytesIO(data), "crm.csv")},
                           content_type="multipart/form-data")
    preview_url = response.headers["Location"]
    page = client.get(preview_url).get_data(as_text=True)
    assert "Nothing is changed until you apply it." in page
    assert re.search(r"Calls: 30 → <strong>33</strong>", page) and re.search(r"Calls: 40 → <strong>28</strong>", page)
    assert "Lower these numbers to the file’s" in page
    with clean_app.app_context():
        assert activity_log.history(db.session.get(OnboardingPlan, plan_id))[0].new == 40  # the preview applies nothing

    login_other = clean_app.test_client()
    login(login_other, "other@x.test")
    assert login_other.get(preview_url).status_code == 403
    assert login_other.post(preview_url).status_code == 403

    done = client.post(preview_url, follow_redirects=True).get_data(as_text=True)
    assert "1 day updated from the CRM export. 1 lower number was kept as it was." in done
    assert "Who changed the numbers" in done and "CRM import" in done and "entered by the new hire" in done
    again = client.post(preview_url, follow_redirects=True).get_data(as_text=True)
    assert "This file has already been imported." in again
    with clean_app.app_context():
        entries = {e.day: (e.calls, e.contracts) for e in db.session.scalars(
            sa.select(ActivityEntry).where(ActivityEntry.plan_id == plan_id))}
    assert entries[day] == (33, 1) and entries[other] == (40, 0)
