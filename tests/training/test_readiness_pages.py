"""The readiness forecast where people look: the plan page, the mentees page
and the home page of the mentor, with the trainee at risk flagged early."""

from __future__ import annotations

import re

from recruit.extensions import db
from recruit.organisation.services import calendar, local_now
from recruit.training.models import ActivityEntry, OnboardingPlan
from tests.conftest import login


def _stage_with_calls(app, plan_id: int, calls: list[int]) -> None:
    """The plan's current stage asks 30 calls a day over 5 business days, began
    len(calls) business days ago and is due 8 business days from today."""
    with app.app_context():
        cal, today = calendar(), local_now().date()
        plan = db.session.get(OnboardingPlan, plan_id)
        stage = plan.stages[0]
        last = cal.add_business_days(today, -1)
        stage.starts_on = cal.add_business_days(last, -(len(calls) - 1))
        stage.due_on = cal.add_business_days(today, 8)
        stage.criteria = [{"kind": "activity", "metric": "calls", "min_per_day": 30, "window_days": 5}]
        day = stage.starts_on
        for count in calls:
            db.session.add(ActivityEntry(plan_id=plan_id, day=day, calls=count))
            day = cal.add_business_days(day, 1)
        db.session.commit()


def test_the_trainee_at_risk_is_flagged_on_the_plan_the_mentees_page_and_the_mentors_home(clean_app, make):
    mentor = make.user("mentor", email="mentor@x.test")
    slow = make.plan(mentor, hire_email="slow@x.test", hire_name="Slow Steady")
    rising = make.plan(mentor, hire_email="rise@x.test", hire_name="Quick Riser")
    _stage_with_calls(clean_app, slow, [9, 11, 10, 12, 10, 11, 9])
    _stage_with_calls(clean_app, rising, [6, 11, 16, 20, 24, 27, 29])
    client = clean_app.test_client()
    login(client, "mentor@x.test")

    page = client.get(f"/plans/{slow}").get_data(as_text=True)
    assert "Readiness forecast" in page and "at risk" in page
    assert "unlikely before the stage is due" in page
    page = client.get(f"/plans/{rising}").get_data(as_text=True)
    assert "likely reached around" in page and "chance by the stage’s due date" in page and "at risk" not in page

    mentees = client.get("/mentees").get_data(as_text=True)
    tiles = dict(re.findall(r'<article class="tile">\s*<h3><a [^>]*>([^<]+)</a></h3>(.*?)</article>', mentees, re.S))
    assert "at risk" in tiles["Slow Steady"] and "at risk" not in tiles["Quick Riser"]
    assert "likely reached around" in tiles["Quick Riser"]

    home = client.get("/").get_data(as_text=True)
    risky = home[home.index("Trainees at risk"):]
    risky = risky[:risky.index("</section>")]
    assert "Slow Steady" in risky and "Quick Riser" not in risky


def test_nobody_at_risk_shows_no_warning_on_the_home_page(clean_app, make):
    mentor = make.user("mentor", email="mentor@x.test")
    rising = make.plan(mentor, hire_email="rise@x.test", hire_name="Quick Riser")
    _stage_with_calls(clean_app, rising, [6, 11, 16, 20, 24, 27, 29])
    client = clean_app.test_client()
    login(client, "mentor@x.test")
    assert "Trainees at risk" not in client.get("/").get_data(as_text=True)
