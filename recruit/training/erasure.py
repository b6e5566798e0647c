"""The onboarding side of anonymising a candidate, registered with the
candidates' erasure hooks: a person whose onboarding plan is still running is
an employee being trained, and their candidate record is refused erasure
until the plan ends (the plan, its sign-offs and the audit trail are the
evidence of that training)."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import format_date
from flask_babel import gettext as _

from recruit.auth.models import User
from recruit.extensions import db
from recruit.training.models import OnboardingPlan
from recruit.vacancies.erasure import erasure_guard
from recruit.vacancies.models import Application, Candidate


@erasure_guard
def running_plan(candidate: Candidate) -> str | None:
    emails = {e for e in ((candidate.email or "").strip().lower(), candidate.email_norm or "") if e}
    linked = [OnboardingPlan.application_id.in_(sa.select(Application.id)
                                                .where(Application.candidate_id == candidate.id))]
    if emails:
        linked.append(OnboardingPlan.hire_id.in_(sa.select(User.id).where(sa.func.lower(User.email).in_(emails))))
    plan = db.session.scalar(sa.select(OnboardingPlan).where(OnboardingPlan.state == "active", sa.or_(*linked))
                             .limit(1))
    if plan is None:
        return None
    return _("%(name)s is also an employee whose onboarding plan is running (“%(plan)s”, since %(start)s). "
             "The plan and its sign-offs need their name until it ends; anonymise the candidate record after that.",
             name=candidate.full_name, plan=plan.template_name, start=format_date(plan.start_date, "long"))
