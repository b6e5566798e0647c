"""Onboarding plans: starting one from a template with dates in business days,
the plan's tasks and role-play tries (the activity log is `activity_log`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _

from recruit import audit
from recruit.auth import services as accounts
from recruit.auth.models import User
from recruit.extensions import db
from recruit.organisation.services import calendar, local_now
from recruit.training.errors import TrainingError
from recruit.training.models import (
    OnboardingPlan,
    OnboardingTemplate,
    PlanStage,
    PlanTask,
    RolePlayTry,
)
from recruit.utc import utcnow
from recruit.vacancies.models import Application


def mentees_of(user_id: int) -> int:
    return db.session.scalar(sa.select(sa.func.count(OnboardingPlan.id)).where(
        OnboardingPlan.mentor_id == user_id, OnboardingPlan.state == "active")) or 0


def mentors_with_room() -> list[tuple[User, int]]:
    """Every mentor with the room they have left, their mentees counted in one query."""
    people = accounts.users_with_role("mentor")
    counts = dict(db.session.execute(sa.select(OnboardingPlan.mentor_id, sa.func.count(OnboardingPlan.id)).where(
        OnboardingPlan.mentor_id.in_([u.id for u in people]), OnboardingPlan.state == "active")
        .group_by(OnboardingPlan.mentor_id)).all()) if people else {}
    return [(u, u.max_mentees - counts.get(u.id, 0)) for u in people]


@dataclass
class PlanRequest:
    hire_email: str
    hire_name: str
    start: date
    template: OnboardingTemplate
    mentor_id: int
    curator_id: int
    head_id: int | None = None
    hr_id: int | None = None
    sysadmin_id: int | None = None
    application: Application | None = None


def start_plan(request: PlanRequest, by: User) -> OnboardingPlan:
    """A plan with real dates from the template; the hire gets an account
    invitation (or the role, if they have an account already)."""
    if request.application is not None and request.application.stage != "hired":
        raise TrainingError(_("Start a plan once the candidate is hired."))
    mentor, curator = db.session.get(User, request.mentor_id), db.session.get(User, request.curator_id)
    if mentor is None or not mentor.active or not mentor.has_role("mentor"):
        raise TrainingError(_("Choose a mentor."))
    if curator is None or not curator.active or not curator.has_role("mentor", "hiring_manager", "admin"):
        raise TrainingError(_("Choose a curator (a mentor or a head of department)."))
    if request.head_id and accounts.person_with_role(request.head_id, "hiring_manager", "admin") is None:
        raise TrainingError(_("The head of department must be an active head of department or admin."))
    if request.sysadmin_id and accounts.person_with_role(request.sysadmin_id, "admin") is None:
        raise TrainingError(_("The system administrator must be an active admin."))
    if request.hr_id and accounts.person_with_role(request.hr_id, "recruiter", "admin") is None:
        raise TrainingError(_("The HR contact must be an active recruiter or admin."))
    if mentees_of(mentor.id) >= mentor.max_mentees:
        raise TrainingError(_("%(name)s already has %(n)d mentees, the most they take.", name=mentor.full_name,
                              n=mentor.max_mentees))
    if not request.template.stages:
        raise TrainingError(_("The template has no stages."))
    hire = accounts.user_by_email(request.hire_email)
    if hire is None:
        known = request.application.candidate.language if request.application is not None else None
        hire = accounts.invite_user(request.hire_email, request.hire_name, ["new_hire"], locale=known)
    elif not hire.has_role("new_hire"):
        hire.set_roles(hire.roles | {"new_hire"})
    if db.session.scalar(sa.select(OnboardingPlan.id).where(OnboardingPlan.hire_id == hire.id,
                                                            OnboardingPlan.state == "active")):
        raise TrainingError(_("%(name)s already has a running plan.", name=hire.full_name))
    cal = calendar()
    plan = OnboardingPlan(hire_id=hire.id, application_id=request.application.id if request.application else None,
                          template_id=request.template.id, template_name=request.template.name,
                          template_version=request.template.version, start_date=cal.next_business_day(request.start),
                          mentor_id=mentor.id, curator_id=curator.id, head_id=request.head_id, hr_id=request.hr_id,
                          sysadmin_id=request.sysadmin_id, state="active")
    stage_start = plan.start_date
    for spec in request.template.stages:
        due = cal.add_business_days(stage_start, max(spec.duration_days, 1) - 1)
        stage = PlanStage(position=spec.position, name=spec.name, starts_on=stage_start, due_on=due,
                          criteria=[dict(c) for c in spec.criteria])
        for task in spec.tasks:
            starts = cal.add_business_days(stage_start, task.start_offset)
            stage.tasks.append(PlanTask(position=task.position, title=task.title, owner_role=task.owner_role,
                                        starts_on=starts, due_on=cal.add_business_days(starts, task.duration - 1),
                                        required=task.required, instructions=task.instructions, link=task.link))
        plan.stages.append(stage)
        stage_start = cal.add_business_days(due, 1)
    db.session.add(plan)
    db.session.flush()
    audit.record("onboarding_plan.start", plan, actor_id=by.id, hire=hire.email, template=plan.template_name,
                 version=plan.template_version, start=plan.start_date.isoformat())
    return plan


def current_stage(plan: OnboardingPlan) -> PlanStage | None:
    return next((s for s in plan.stages if s.sign_off is None), None)


# --- who may do what with a plan ----------------------------------------------------------

def responsibilities(plan: OnboardingPlan, user: User) -> set[str]:
    roles = set()
    for role, user_id in (("new_hire", plan.hire_id), ("mentor", plan.mentor_id), ("curator", plan.curator_id),
                          ("head", plan.head_id), ("hr", plan.hr_id), ("sysadmin", plan.sysadmin_id)):
        if user_id == user.id:
            roles.add(role)
    return roles


def tick_task(task: PlanTask, user: User, done: bool = True) -> PlanTask:
    plan = task.stage.plan
    if task.owner_role not in responsibilities(plan, user) and not user.has_role("admin"):
        raise PermissionError("task")
    if done and task.done_at is None:
        task.done_at, task.done_by_id = utcnow(), user.id
    elif not done:
        task.done_at = task.done_by_id = None
    audit.record("plan_task.done" if done else "plan_task.reopened", task, actor_id=user.id, title=task.title)
    return task


# --- activity and role-play -------------------------------------------------------------------

def record_role_play(plan: OnboardingPlan, tried_on: date, players: str, passed: bool, notes: str,
                     by: User) -> RolePlayTry:
    if "mentor" not in responsibilities(plan, by) and not by.has_role("admin"):
        raise PermissionError("role_play")
    if tried_on > local_now().date():
        raise TrainingError(_("A try cannot be in the future."))
    attempt = RolePlayTry(plan_id=plan.id, tried_on=tried_on, players=players.strip()[:300], passed=passed,
                          notes=notes.strip(), recorded_by_id=by.id)
    db.session.add(attempt)
    db.session.flush()
    tries = db.session.scalars(sa.select(RolePlayTry).where(RolePlayTry.plan_id == plan.id)
                               .order_by(RolePlayTry.tried_on, RolePlayTry.id)).all()
    if len(tries) >= 2 and not any(t.passed for t in tries[:2]):
        plan.needs_decision = True
    audit.record("role_play.try", attempt, actor_id=by.id, passed=passed, number=len(tries))
    return attempt
