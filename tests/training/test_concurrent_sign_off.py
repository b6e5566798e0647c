"""Two clicks on 'Sign off' at the same moment make one sign-off (PostgreSQL)."""

import pytest
import sqlalchemy as sa

from recruit.auth.models import User
from recruit.extensions import db
from recruit.training import gates
from recruit.training.errors import TrainingError
from recruit.training.models import OnboardingPlan, PlanStage, SignOff
from tests.concurrency import at_once
from tests.conftest import TEST_DB

pytestmark = [pytest.mark.pg,
              pytest.mark.skipif(TEST_DB != "postgres", reason="parallel writers: PostgreSQL run")]


def test_parallel_sign_offs_make_one(clean_app, make):
    mentor = make.user("mentor", email="mentor@x.test")
    hr = make.user("recruiter", email="hr@x.test")
    plan_id = make.plan(mentor, days_ago=5, hr=hr)
    with clean_app.app_context():
        stage = db.session.get(OnboardingPlan, plan_id).stages[0]
        gates.override(stage, 0, "tasks checked on paper", db.session.get(User, make.user("admin")))
        db.session.commit()
        stage_id = stage.id

    def click(_n):
        try:
            gates.sign_off(db.session.get(PlanStage, stage_id), db.session.get(User, mentor))
        except TrainingError as exc:
            return str(exc)
        return "signed"

    outcomes = at_once(clean_app, 3, click)
    assert sorted(outcomes) == ["This stage is already signed off."] * 2 + ["signed"]
    with clean_app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(SignOff.id)).where(SignOff.stage_id == stage_id)) == 1
        assert db.session.get(OnboardingPlan, plan_id).state == "active"
