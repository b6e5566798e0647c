"""Two clicks on 'Sign off' at the same moment make one sign-off (PostgreSQL)."""

import threading
from datetime import timedelta

import pytest
import sqlalchemy as sa

from tests.conftest import TEST_DB

pytestmark = [pytest.mark.pg,
              pytest.mark.skipif(TEST_DB != "postgres", reason="parallel writers: PostgreSQL run")]


def test_parallel_sign_offs_make_one(clean_app, make):
    from recruit.auth.models import User
    from recruit.extensions import db
    from recruit.organisation.services import local_now
    from recruit.training import gates
    from recruit.training import plans as ts
    from recruit.training.errors import TrainingError
    from recruit.training.models import OnboardingPlan, PlanStage, SignOff
    from recruit.training.plan_templates import ensure_default_template

    mentor = make.user("mentor", email="mentor@x.test")
    hr = make.user("recruiter", email="hr@x.test")
    with clean_app.app_context():
        template = ensure_default_template()
        plan = ts.start_plan(ts.PlanRequest("hire@x.test", "Hire", local_now().date() - timedelta(days=5), template,
                                            mentor, mentor, hr_id=hr), db.session.get(User, hr))
        stage = plan.stages[0]
        gates.override(stage, 0, "tasks checked on paper", db.session.get(User, make.user("admin")))
        db.session.commit()
        stage_id, plan_id = stage.id, plan.id
    barrier = threading.Barrier(3)
    outcomes = []

    def click():
        with clean_app.app_context():
            barrier.wait()
            try:
                gates.sign_off(db.session.get(PlanStage, stage_id), db.session.get(User, mentor))
                db.session.commit()
                outcomes.append("signed")
            except TrainingError as exc:
                db.session.rollback()
                outcomes.append(str(exc))
            finally:
                db.session.remove()

    threads = [threading.Thread(target=click) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(outcomes) == ["This stage is already signed off."] * 2 + ["signed"]
    with clean_app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(SignOff.id)).where(SignOff.stage_id == stage_id)) == 1
        assert db.session.get(OnboardingPlan, plan_id).state == "active"
