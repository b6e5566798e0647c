"""What the plan, mentee, overview and to-do pages read: summaries, charts, lists."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, NamedTuple

import sqlalchemy as sa
from sqlalchemy import orm

from recruit.auth.models import User
from recruit.extensions import db
from recruit.organisation.services import calendar, local_now
from recruit.training import criteria
from recruit.training.gates import GateLine, PlanFacts, gate, plans_facts
from recruit.training.models import (
    ActivityEntry,
    OnboardingPlan,
    PlanStage,
    PlanTask,
)
from recruit.training.plans import current_stage
from recruit.training.readiness import TargetForecast, plan_forecasts
from recruit.vacancies.models import Application


def plans_overview(state: str, mentor_id: int | None) -> list[OnboardingPlan]:
    """HR's list: the plans in that state (any other word: all), of that mentor, the newest first."""
    stmt = sa.select(OnboardingPlan).options(LISTED_PLAN).order_by(OnboardingPlan.start_date.desc())
    if state in ("active", "ready", "ended"):
        stmt = stmt.where(OnboardingPlan.state == state)
    if mentor_id:
        stmt = stmt.where(OnboardingPlan.mentor_id == mentor_id)
    return list(db.session.scalars(stmt).unique())


# A plan as its page shows it: its stages, their tasks, sign-offs and overrides
# joined to it, all in the plan's one statement (a few dozen rows).
WHOLE_PLAN = orm.joinedload(OnboardingPlan.stages).options(
    orm.joinedload(PlanStage.tasks), orm.joinedload(PlanStage.sign_off), orm.joinedload(PlanStage.overrides))
# A plan as a list page shows it: the stages with their sign-offs and overrides;
# their tasks are read as rows for the whole list (`TASK_ROWS`), not built as objects.
LISTED_PLAN = orm.selectinload(OnboardingPlan.stages).options(
    orm.lazyload(PlanStage.tasks), orm.joinedload(PlanStage.sign_off), orm.joinedload(PlanStage.overrides))


class TaskRow(NamedTuple):
    stage_id: int
    title: str
    required: bool
    done_at: datetime | None
    due_on: date


TASK_ROWS = (sa.select(PlanTask.stage_id, PlanTask.title, PlanTask.required, PlanTask.done_at, PlanTask.due_on)
             .join(PlanStage, PlanTask.stage_id == PlanStage.id)
             .where(PlanStage.plan_id.in_(sa.bindparam("plans", expanding=True)))
             .order_by(PlanTask.stage_id, PlanTask.position))


# The hot pages' statements, built once with parameters (built per request, each
# costs SQLAlchemy its cache key and the ORM's options again).
OWN_PLAN = (sa.select(OnboardingPlan).where(OnboardingPlan.hire_id == sa.bindparam("hire"))
            .options(WHOLE_PLAN).order_by(OnboardingPlan.id.desc()))
PLAN_TO_SHOW = sa.select(OnboardingPlan).where(OnboardingPlan.id == sa.bindparam("plan")).options(WHOLE_PLAN)
_USER = sa.bindparam("user")
MENTEES = (sa.select(OnboardingPlan)
           .where(sa.or_(OnboardingPlan.mentor_id == _USER, OnboardingPlan.curator_id == _USER,
                         OnboardingPlan.head_id == _USER), OnboardingPlan.state == "active")
           .options(LISTED_PLAN).order_by(OnboardingPlan.start_date))


def own_plan(hire: User) -> OnboardingPlan | None:
    """The new hire's latest plan (all their plans' rows are read: a hire has
    one, or a few if hired again, and a LIMIT would wrap the joins in a subquery)."""
    return db.session.scalars(OWN_PLAN, {"hire": hire.id}).unique().first()


def plan_to_show(plan_id: int) -> OnboardingPlan | None:
    """A plan as its page shows it (a view's `load` then finds it without another query)."""
    return db.session.scalars(PLAN_TO_SHOW, {"plan": plan_id}).unique().first()


def mentees_of(user: User) -> list[OnboardingPlan]:
    """Running plans this person mentors, curates or heads, the earliest started first."""
    return list(db.session.scalars(MENTEES, {"user": user.id}).unique())


def hire_application(application_id: int) -> Application | None:
    """The application a plan is started from, if the page names one."""
    return db.session.get(Application, application_id)


@dataclass
class PlanSummary:
    stage: PlanStage | None
    overdue: int
    pending_sign_off: PlanStage | None
    activity: list[GateLine]  # the current stage's activity targets, met or not, with the figures
    forecasts: list[TargetForecast] = field(default_factory=list)  # when each target is likely met


def summaries(plans: list[OnboardingPlan]) -> dict[int, PlanSummary]:
    """Each plan's line on a list page (plans read with `LISTED_PLAN`): their
    tasks and facts are read once for the list."""
    current = {plan.id: current_stage(plan) for plan in plans}
    tasks: dict[int, list[TaskRow]] = defaultdict(list)
    if plans:
        for row in db.session.execute(TASK_ROWS, {"plans": [plan.id for plan in plans]}):
            tasks[row.stage_id].append(TaskRow(*row))
    facts = plans_facts(plans)
    today = local_now().date()
    result = {}
    for plan in plans:
        stage = current[plan.id]
        lines = gate(stage, facts[plan.id], [
            criteria.TaskFact(t.title, t.required, t.done_at.date() if t.done_at else None)
            for t in tasks[stage.id]]) if stage is not None else []
        ready = stage is not None and all(line.met for line in lines if line.kind != "sign_off")
        overdue = sum(1 for s in plan.stages for t in tasks[s.id] if t.done_at is None and t.due_on < today)
        result[plan.id] = PlanSummary(stage, overdue, stage if ready else None,
                                      [line for line in lines if line.kind == "activity"],
                                      plan_forecasts(plan, facts[plan.id]))
    return result


def activity_chart(plan: OnboardingPlan, days: int = 15, facts: PlanFacts | None = None) -> dict[str, Any]:
    """The last business days' calls against the current target, as bars
    (from the plan's facts when the page has read them for its gates)."""
    if facts is not None:
        cal, today = facts.calendar, facts.today
    else:
        cal, today = calendar(), local_now().date()
    last = today if cal.is_business_day(today) else cal.add_business_days(today, -1)
    span = [last]
    while len(span) < days and span[-1] > plan.start_date:
        span.append(cal.add_business_days(span[-1], -1))
    span.reverse()
    if facts is not None:
        entries = {day: values for day, values in facts.activity.items() if day >= span[0]}
    else:
        entries = {e.day: {m: getattr(e, m) for m in criteria.METRICS} for e in db.session.scalars(
            sa.select(ActivityEntry).where(ActivityEntry.plan_id == plan.id, ActivityEntry.day >= span[0]))}
    span = sorted(set(span) | {day for day in entries if day <= today})  # a Saturday worked is a day shown
    stage = current_stage(plan) or plan.stages[-1]
    target = next((c for c in stage.criteria if c["kind"] == "activity" and c.get("metric") == "calls"), None)
    goal = float(target["min_per_day"]) if target else 30.0
    top = max([goal] + [e["calls"] for e in entries.values()]) or 1
    bars = [{"day": d, "calls": entries[d]["calls"] if d in entries else 0,
             "height": round(100 * (entries[d]["calls"] if d in entries else 0) / top),
             "other": dict(entries[d]) if d in entries else {}}
            for d in span]
    return {"bars": bars, "goal": goal, "goal_height": round(100 * goal / top), "entries": len(entries)}


def todo_for(user: User) -> list[PlanTask]:
    """Open tasks of running plans that this person's part in the plan owns."""
    columns = {"mentor": OnboardingPlan.mentor_id, "curator": OnboardingPlan.curator_id,
               "head": OnboardingPlan.head_id, "hr": OnboardingPlan.hr_id, "sysadmin": OnboardingPlan.sysadmin_id}
    clauses = [sa.and_(PlanTask.owner_role == role, column == user.id) for role, column in columns.items()]
    stmt = (sa.select(PlanTask).join(PlanStage, PlanTask.stage_id == PlanStage.id)
            .join(OnboardingPlan, PlanStage.plan_id == OnboardingPlan.id)
            .where(OnboardingPlan.state == "active", PlanTask.done_at.is_(None), sa.or_(*clauses))
            .options(orm.contains_eager(PlanTask.stage).options(  # the page names each task's plan and hire
                orm.contains_eager(PlanStage.plan).lazyload(OnboardingPlan.stages),
                orm.lazyload(PlanStage.tasks), orm.lazyload(PlanStage.sign_off)))
            .order_by(PlanTask.due_on, PlanTask.id))
    return list(db.session.scalars(stmt).unique())



def pending_sign_offs(user: User) -> list[PlanStage]:
    stages = []
    plans = list(db.session.scalars(sa.select(OnboardingPlan).where(
        OnboardingPlan.state == "active",
        sa.or_(OnboardingPlan.mentor_id == user.id, OnboardingPlan.curator_id == user.id))).unique())
    signing = []
    for plan in plans:
        stage = current_stage(plan)
        if stage is None:
            continue
        role = next((c.get("role") for c in stage.criteria if c["kind"] == "sign_off"), "mentor")
        signer = plan.curator_id if role == "curator" else plan.mentor_id
        if signer == user.id:
            signing.append((plan, stage))
    facts = plans_facts([plan for plan, _stage in signing])
    for plan, stage in signing:
        if all(line.met for line in gate(stage, facts[plan.id]) if line.kind != "sign_off"):
            stages.append(stage)
    return stages



def activity_totals(plan: OnboardingPlan) -> dict[str, int]:
    row = db.session.execute(sa.select(*[sa.func.coalesce(sa.func.sum(getattr(ActivityEntry, m)), 0)
                                         for m in criteria.METRICS]).where(ActivityEntry.plan_id == plan.id)).one()
    return dict(zip(criteria.METRICS, (int(v) for v in row), strict=True))


