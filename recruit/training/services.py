"""Onboarding plans: the default template of DOMAIN.md §3, plans with dates in
business days, tasks, the activity log, role-play tries, gates, sign-offs and
overrides."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa
from flask_babel import format_date, ngettext
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from recruit import audit, i18n, jobs
from recruit.auth import services as accounts
from recruit.auth.models import User
from recruit.extensions import db
from recruit.mail import absolute_url, queue_mail
from recruit.organisation.services import calendar, local_now, zone
from recruit.timeutil import utcnow
from recruit.training import criteria
from recruit.training.models import (
    ActivityEntry,
    CriterionOverride,
    HeadDecision,
    OnboardingPlan,
    OnboardingTemplate,
    PlanStage,
    PlanTask,
    QuizOutcome,
    RolePlayTry,
    SignOff,
    TemplateStage,
    TemplateTask,
)
from recruit.vacancies.models import Application
from recruit.web import N_

ACTIVITY_LIMITS = {"calls": 500, "email_offers": 1000, "phone_offers": 500, "meetings": 60, "leads": 300,
                   "contracts": 50}


class TrainingError(ValueError):
    pass


def _metric(code: str) -> str:
    return i18n.label(code, "activity_metric")


def _language_of(user: User) -> str:
    """What a person's mail is written in: their own language, else the organisation's."""
    return i18n.first_shipped(user.locale, i18n.organisation_default())


# --- the default template (DOMAIN.md §3) -------------------------------------------------------

DEFAULT_TEMPLATE = {
    "name": N_("Sales onboarding: four stages"),
    "description": N_("Orientation, product and client base, sales training with a mentor, working rhythm under a "
                      "curator (DOMAIN.md §3)."),
    "mentor_bonus_days": 40,
    "stages": [
        {"name": N_("Orientation"), "duration_days": 2,
         "description": N_("Company information and current policy; introductions; software and first tasks."),
         "tasks": [
             (N_("Company and policy briefing"), "hr", 0, 1), (N_("Meet the team"), "head", 0, 1),
             (N_("Accounts for the office suite, 1C and the CRM; shared drives and equipment"), "sysadmin", 0, 1),
             (N_("Clients and first tasks from the head of department"), "head", 1, 1),
         ],
         "criteria": [{"kind": "tasks_done"}, {"kind": "sign_off", "role": "mentor"}]},
        {"name": N_("Product and client base"), "duration_days": 5,
         "description": N_("Short training (products, the sales system, cold calls), then start building a client "
                           "base at once."),
         "tasks": [
             (N_("Product training"), "mentor", 0, 2), (N_("Cold-call technique"), "mentor", 1, 1),
             (N_("First client-base entries in the CRM"), "new_hire", 2, 3),
         ],
         "criteria": [{"kind": "tasks_done"},
                      {"kind": "activity", "metric": "calls", "min_per_day": 20, "window_days": 3},
                      {"kind": "sign_off", "role": "mentor"}]},
        {"name": N_("Sales training with a mentor"), "duration_days": 20,
         "description": N_("The mentor's topics, the product study (most profitable first), the knowledge check and "
                           "the role-play deal."),
         "tasks": [
             (N_("Mentor's topics: commercial offers, documents, CRM, prospects, other departments, segments, "
                 "prices and discounts"), "mentor", 0, 10),
             (N_("Product study, most profitable products first"), "new_hire", 0, 15),
             (N_("Knowledge check"), "mentor", 15, 2), (N_("Role-play deal"), "mentor", 17, 3),
         ],
         "criteria": [{"kind": "tasks_done"},
                      {"kind": "activity", "metric": "calls", "min_per_day": 30, "window_days": 5},
                      {"kind": "quiz_passed", "quiz": "product-knowledge"},
                      {"kind": "role_play", "max_tries": 2},
                      {"kind": "sign_off", "role": "mentor"}]},
        {"name": N_("Working rhythm under a curator"), "duration_days": 60,
         "description": N_("Full load under a curator who helps analyse client situations; readiness to work "
                           "independently."),
         "tasks": [(N_("Weekly review of client situations with the curator"), "curator", 0, 60),
                   (N_("Monthly report by the 3rd"), "new_hire", 15, 5)],
         "criteria": [{"kind": "activity", "metric": "calls", "min_per_day": 30, "window_days": 10},
                      {"kind": "activity", "metric": "contracts", "min_per_day": 0.2, "window_days": 20},
                      {"kind": "sign_off", "role": "curator"}]},
    ],
}


def ensure_default_template() -> OnboardingTemplate:
    """The shipped template, written in the organisation's language when it is
    first made (afterwards it is the organisation's own text, edited as such)."""
    with i18n.in_language(i18n.organisation_default()):
        return _default_template()


def _shipped(text: str) -> str:
    """A text of the shipped template (marked with N_ above) in the current language."""
    return _(text)


def _default_template() -> OnboardingTemplate:
    names = {DEFAULT_TEMPLATE["name"], _shipped(DEFAULT_TEMPLATE["name"])}
    existing = db.session.scalar(sa.select(OnboardingTemplate).where(OnboardingTemplate.name.in_(names))
                                 .order_by(OnboardingTemplate.id).limit(1))
    if existing is not None:
        return existing
    return template_from_spec(DEFAULT_TEMPLATE, _shipped)


def template_from_spec(spec: dict[str, Any], words: Callable[[str], str] = str) -> OnboardingTemplate:
    """A new template from a spec shaped like DEFAULT_TEMPLATE; `words` turns
    each text into the language it is made in (the demo's content files
    give the words already written in it)."""
    template = OnboardingTemplate(name=words(spec["name"]), description=words(spec["description"]),
                                  mentor_bonus_days=spec["mentor_bonus_days"], version=1)
    for position, stage_spec in enumerate(spec["stages"], start=1):
        for item in stage_spec["criteria"]:
            criteria.validate(item["kind"], item)
        stage = TemplateStage(position=position, name=words(stage_spec["name"]),
                              description=words(stage_spec["description"]),
                              duration_days=stage_spec["duration_days"], criteria=stage_spec["criteria"])
        for task_position, (title, role, offset, duration) in enumerate(stage_spec["tasks"], start=1):
            stage.tasks.append(TemplateTask(position=task_position, title=words(title), owner_role=role,
                                            start_offset=offset, duration=duration))
        template.stages.append(stage)
    db.session.add(template)
    db.session.flush()
    audit.record("onboarding_template.create", template, name=template.name)
    return template


# --- plans ----------------------------------------------------------------------------

def mentees_of(user_id: int) -> int:
    return db.session.scalar(sa.select(sa.func.count(OnboardingPlan.id)).where(
        OnboardingPlan.mentor_id == user_id, OnboardingPlan.state == "active")) or 0


def mentors_with_room() -> list[tuple[User, int]]:
    people = accounts.users_with_role("mentor")
    return [(u, u.max_mentees - mentees_of(u.id)) for u in people]


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

def log_activity(plan: OnboardingPlan, day: date, values: dict[str, Any], by: User) -> ActivityEntry:
    if not ({"new_hire", "mentor"} & responsibilities(plan, by)) and not by.has_role("admin"):
        raise PermissionError("activity")
    today = local_now().date()
    if day > today:
        raise TrainingError(_("%(day)s is in the future.", day=format_date(day, "medium")))
    if day < plan.start_date:
        raise TrainingError(_("%(day)s is before the plan started.", day=format_date(day, "medium")))
    clean: dict[str, int] = {}
    for metric in criteria.METRICS:
        raw = values.get(metric, 0)
        if raw in (None, ""):
            raw = 0
        try:
            number = int(raw)
            if isinstance(raw, float) and raw != number:
                raise ValueError
        except (TypeError, ValueError) as exc:
            raise TrainingError(_("%(metric)s: “%(value)s” is not a whole number.", metric=_metric(metric),
                                  value=raw)) from exc
        if number < 0:
            raise TrainingError(_("%(metric)s cannot be negative.", metric=_metric(metric)))
        if number > ACTIVITY_LIMITS[metric]:
            raise TrainingError(_("%(metric)s: %(n)d in one day is not plausible (at most %(max)d).",
                                  metric=_metric(metric), n=number, max=ACTIVITY_LIMITS[metric]))
        clean[metric] = number
    entry = db.session.scalar(sa.select(ActivityEntry).where(ActivityEntry.plan_id == plan.id,
                                                             ActivityEntry.day == day))
    entry = entry or ActivityEntry(plan_id=plan.id, day=day)
    for metric, number in clean.items():
        setattr(entry, metric, number)
    entry.recorded_by_id = by.id
    db.session.add(entry)
    db.session.flush()
    audit.record("activity.log", entry, actor_id=by.id, day=day.isoformat(), **clean)
    return entry


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


def decide(plan: OnboardingPlan, decision: str, reason: str, by: User) -> HeadDecision:
    if by.id != plan.head_id and not by.has_role("admin"):
        raise PermissionError("decision")
    if decision not in ("extend", "end") or not reason.strip():
        raise TrainingError(_("Extend or end, with the reason."))
    record = HeadDecision(plan_id=plan.id, decision=decision, reason=reason.strip(), decided_by_id=by.id)
    db.session.add(record)
    plan.needs_decision = False
    if decision == "end":
        plan.state = "ended"
    db.session.flush()
    audit.record("onboarding_plan.decision", plan, actor_id=by.id, decision=decision, reason=reason.strip())
    return record


# --- gates ------------------------------------------------------------------------------

@dataclass(frozen=True)
class PlanFacts:
    """What every stage's gate reads from the plan as a whole: read once per
    page, not once per stage."""

    today: date
    calendar: Any
    activity: dict
    role_plays: list
    quizzes: dict


def plan_facts(plan: OnboardingPlan) -> PlanFacts:
    activity = {e.day: {m: getattr(e, m) for m in criteria.METRICS} for e in db.session.scalars(
        sa.select(ActivityEntry).where(ActivityEntry.plan_id == plan.id))}
    tries = [criteria.RolePlayFact(t.tried_on, t.passed) for t in db.session.scalars(
        sa.select(RolePlayTry).where(RolePlayTry.plan_id == plan.id))]
    extended = db.session.scalar(sa.select(sa.func.count(HeadDecision.id)).where(
        HeadDecision.plan_id == plan.id, HeadDecision.decision == "extend"))
    if extended:  # an extension gives the trainee fresh tries
        last_decision = db.session.scalar(sa.select(sa.func.max(HeadDecision.decided_at)).where(
            HeadDecision.plan_id == plan.id))
        tries = [t for t in tries if t.tried_on >= last_decision.astimezone(zone()).date()]
    quizzes = {q.quiz_key: bool(q.passed and q.signed_off_at) for q in db.session.scalars(
        sa.select(QuizOutcome).where(QuizOutcome.plan_id == plan.id))}
    return PlanFacts(local_now().date(), calendar(), activity, tries, quizzes)


def facts_for(stage: PlanStage, shared: PlanFacts | None = None) -> criteria.Facts:
    shared = shared or plan_facts(stage.plan)
    signed = frozenset({stage.sign_off.role}) if stage.sign_off else frozenset()
    return criteria.Facts(
        today=shared.today, calendar=shared.calendar, stage_start=stage.starts_on,
        tasks=[criteria.TaskFact(t.title, t.required, t.done_at.date() if t.done_at else None) for t in stage.tasks],
        activity=shared.activity, role_plays=shared.role_plays, quizzes=shared.quizzes, sign_offs=signed)


@dataclass
class GateLine:
    index: int
    kind: str
    label: str
    result: criteria.Result
    override: CriterionOverride | None

    @property
    def met(self) -> bool:
        return self.result.met or self.override is not None


def gates(plan: OnboardingPlan) -> dict[int, list[GateLine]]:
    """Every stage's gate with the plan's facts and overrides read once."""
    shared = plan_facts(plan)
    overrides: dict[int, dict[int, CriterionOverride]] = {}
    for row in db.session.scalars(sa.select(CriterionOverride).where(
            CriterionOverride.stage_id.in_([stage.id for stage in plan.stages]))):
        overrides.setdefault(row.stage_id, {})[row.criterion_index] = row
    return {stage.id: gate(stage, shared, overrides.get(stage.id, {})) for stage in plan.stages}


def gate(stage: PlanStage, shared: PlanFacts | None = None,
         overrides: dict[int, CriterionOverride] | None = None) -> list[GateLine]:
    facts = facts_for(stage, shared)
    if overrides is None:
        overrides = {o.criterion_index: o for o in db.session.scalars(
            sa.select(CriterionOverride).where(CriterionOverride.stage_id == stage.id))}
    lines = []
    for index, item in enumerate(stage.criteria):
        kind = item["kind"]
        lines.append(GateLine(index, kind, criteria.kind_label(kind), criteria.evaluate(kind, item, facts),
                              overrides.get(index)))
    return lines


def sign_off(stage: PlanStage, by: User) -> SignOff:
    plan = stage.plan
    if plan.state != "active":
        raise TrainingError(_("This plan is not running."))
    role = next((c.get("role") for c in stage.criteria if c["kind"] == "sign_off"), "mentor")
    allowed_user = plan.curator_id if role == "curator" else plan.mentor_id
    if by.id != allowed_user and not by.has_role("admin"):
        raise PermissionError("sign_off")
    earlier = [s for s in plan.stages if s.position < stage.position and s.sign_off is None]
    if earlier:
        raise TrainingError(_("Sign off “%(name)s” first.", name=earlier[0].name))
    lines = [line for line in gate(stage) if line.kind != "sign_off"]
    missing = [line.label for line in lines if not line.met]
    if missing:
        raise TrainingError(_("Not yet: %(missing)s.", missing="; ".join(missing)))
    # A record of what the signer saw, in the words they read it in; the kind
    # lets a page name the criterion in its reader's language.
    evidence = [{"kind": line.kind, "criterion": line.label, "evidence": line.result.evidence,
                 "overridden": line.override.reason if line.override else None} for line in lines]
    record = SignOff(stage_id=stage.id, role=role, signed_by_id=by.id, evidence=evidence)
    try:
        with db.session.begin_nested():
            db.session.add(record)
            db.session.flush()
    except IntegrityError as exc:
        raise TrainingError(_("This stage is already signed off.")) from exc
    audit.record("stage.sign_off", stage, actor_id=by.id, role=role, stage=stage.name, evidence=evidence)
    if stage.position == max(s.position for s in plan.stages):
        plan.state = "ready"
        plan.ready_on = local_now().date()
        audit.record("onboarding_plan.ready", plan, actor_id=by.id)
    db.session.flush()
    db.session.refresh(stage)
    return record


def override(stage: PlanStage, index: int, reason: str, by: User) -> CriterionOverride:
    plan = stage.plan
    if by.id != plan.head_id and not by.has_role("admin"):
        raise PermissionError("override")
    if not 0 <= index < len(stage.criteria) or stage.criteria[index]["kind"] == "sign_off":
        raise TrainingError(_("That criterion cannot be overridden."))
    if not reason.strip():
        raise TrainingError(_("Write why the criterion is overridden."))
    record = CriterionOverride(stage_id=stage.id, criterion_index=index, reason=reason.strip(),
                               overridden_by_id=by.id)
    try:
        with db.session.begin_nested():
            db.session.add(record)
            db.session.flush()
    except IntegrityError as exc:
        raise TrainingError(_("That criterion is already overridden.")) from exc
    audit.record("criterion.override", stage, actor_id=by.id, criterion=stage.criteria[index],
                 reason=reason.strip())
    return record


# --- pages' figures ---------------------------------------------------------------------

def overdue_count(plan: OnboardingPlan) -> int:
    today = local_now().date()
    return sum(1 for stage in plan.stages for task in stage.tasks if task.done_at is None and task.due_on < today)


@dataclass
class PlanSummary:
    stage: PlanStage | None
    progress: list[tuple[str, int]]  # stage name, percent of tasks done
    overdue: int
    pending_sign_off: PlanStage | None
    activity: list[GateLine]  # the current stage's activity targets, met or not, with the figures


def summaries(plans: list[OnboardingPlan]) -> dict[int, PlanSummary]:
    result = {}
    for plan in plans:
        stage = current_stage(plan)
        progress = [(s.name, round(100 * sum(1 for t in s.tasks if t.done_at) / len(s.tasks)) if s.tasks else
                     (100 if s.sign_off else 0)) for s in plan.stages]
        lines = gate(stage) if stage is not None else []
        ready = stage is not None and all(line.met for line in lines if line.kind != "sign_off")
        result[plan.id] = PlanSummary(stage, progress, overdue_count(plan), stage if ready else None,
                                      [line for line in lines if line.kind == "activity"])
    return result


def activity_chart(plan: OnboardingPlan, days: int = 15) -> dict[str, Any]:
    """The last business days' calls against the current target, as bars."""
    cal = calendar()
    today = local_now().date()
    last = today if cal.is_business_day(today) else cal.add_business_days(today, -1)
    span = [last]
    while len(span) < days and span[-1] > plan.start_date:
        span.append(cal.add_business_days(span[-1], -1))
    span.reverse()
    entries = {e.day: e for e in db.session.scalars(sa.select(ActivityEntry).where(
        ActivityEntry.plan_id == plan.id, ActivityEntry.day >= span[0]))}
    stage = current_stage(plan) or plan.stages[-1]
    target = next((c for c in stage.criteria if c["kind"] == "activity" and c.get("metric") == "calls"), None)
    goal = float(target["min_per_day"]) if target else 30.0
    top = max([goal] + [e.calls for e in entries.values()]) or 1
    bars = [{"day": d, "calls": entries[d].calls if d in entries else 0,
             "height": round(100 * (entries[d].calls if d in entries else 0) / top),
             "other": {m: getattr(entries[d], m) for m in criteria.METRICS} if d in entries else {}}
            for d in span]
    return {"bars": bars, "goal": goal, "goal_height": round(100 * goal / top), "entries": len(entries)}


def role_play_tries(plan: OnboardingPlan) -> list[RolePlayTry]:
    return list(db.session.scalars(sa.select(RolePlayTry).where(RolePlayTry.plan_id == plan.id)
                                   .order_by(RolePlayTry.tried_on, RolePlayTry.id)))


def decisions(plan: OnboardingPlan) -> list[HeadDecision]:
    return list(db.session.scalars(sa.select(HeadDecision).where(HeadDecision.plan_id == plan.id)
                                   .order_by(HeadDecision.decided_at)))


def todo_for(user: User) -> list[PlanTask]:
    """Open tasks of running plans that this person's part in the plan owns."""
    columns = {"mentor": OnboardingPlan.mentor_id, "curator": OnboardingPlan.curator_id,
               "head": OnboardingPlan.head_id, "hr": OnboardingPlan.hr_id, "sysadmin": OnboardingPlan.sysadmin_id}
    clauses = [sa.and_(PlanTask.owner_role == role, column == user.id) for role, column in columns.items()]
    stmt = (sa.select(PlanTask).join(PlanStage, PlanTask.stage_id == PlanStage.id)
            .join(OnboardingPlan, PlanStage.plan_id == OnboardingPlan.id)
            .where(OnboardingPlan.state == "active", PlanTask.done_at.is_(None), sa.or_(*clauses))
            .order_by(PlanTask.due_on, PlanTask.id))
    return list(db.session.scalars(stmt).unique())


# --- mentor bonus, digests, reminders ------------------------------------------------------

@dataclass
class BonusLine:
    plan: OnboardingPlan
    days_allowed: int | None
    days_taken: int | None
    earned: bool


def mentor_bonuses() -> list[BonusLine]:
    """DOMAIN.md §3: a mentor earns the bonus when the trainee reaches the
    stage-3 targets (its sign-off) within the template's business days."""
    cal = calendar()
    lines = []
    for plan in db.session.scalars(sa.select(OnboardingPlan).order_by(OnboardingPlan.start_date)).unique():
        template = db.session.get(OnboardingTemplate, plan.template_id) if plan.template_id else None
        allowed = template.mentor_bonus_days if template else None
        stage = next((s for s in plan.stages if s.position == 3), None)
        taken = None
        if stage is not None and stage.sign_off is not None:
            signed_on = stage.sign_off.signed_at.astimezone(zone()).date()
            taken = cal.business_days_between(plan.start_date, signed_on) + 1
        lines.append(BonusLine(plan, allowed, taken, bool(allowed and taken is not None and taken <= allowed)))
    return lines


def pending_sign_offs(user: User) -> list[PlanStage]:
    stages = []
    plans = db.session.scalars(sa.select(OnboardingPlan).where(
        OnboardingPlan.state == "active",
        sa.or_(OnboardingPlan.mentor_id == user.id, OnboardingPlan.curator_id == user.id))).unique()
    for plan in plans:
        stage = current_stage(plan)
        if stage is None:
            continue
        role = next((c.get("role") for c in stage.criteria if c["kind"] == "sign_off"), "mentor")
        signer = plan.curator_id if role == "curator" else plan.mentor_id
        if signer == user.id and all(line.met for line in gate(stage) if line.kind != "sign_off"):
            stages.append(stage)
    return stages


@jobs.job("training.digest", every_seconds=24 * 3600)
def send_digests() -> int:
    """Once a day, each mentor and curator hears about overdue tasks and sign-offs waiting for them."""
    today = local_now().date()
    people = set(db.session.scalars(sa.select(OnboardingPlan.mentor_id).where(OnboardingPlan.state == "active"))) | \
        set(db.session.scalars(sa.select(OnboardingPlan.curator_id).where(OnboardingPlan.state == "active")))
    sent = 0
    for user_id in sorted(people):
        user = db.session.get(User, user_id)
        if user is None or not user.active:
            continue
        overdue = [t for t in todo_for(user) if t.due_on < today]
        waiting = pending_sign_offs(user)
        if not overdue and not waiting:
            continue
        with i18n.in_language(_language_of(user)):
            lines = [_("Overdue: %(task)s (%(hire)s, due %(due)s)", task=t.title, hire=t.stage.plan.hire.full_name,
                       due=format_date(t.due_on, "long")) for t in overdue]
            lines += [_("Ready for your sign-off: %(stage)s of %(hire)s", stage=s.name, hire=s.plan.hire.full_name)
                      for s in waiting]
            queue_mail(user.email, ngettext("Onboarding: %(num)d thing waits for you",
                                            "Onboarding: %(num)d things wait for you", len(lines)),
                       _("Hello %(name)s,\n\n%(lines)s\n\n%(link)s", name=user.full_name, lines="\n".join(lines),
                         link=absolute_url("training.mentees")), kind="training.digest")
        sent += 1
    return sent


@jobs.job("training.reminders", every_seconds=24 * 3600)
def remind_hires() -> int:
    """New hires hear the day before about their tasks due the next business day."""
    cal = calendar()
    tomorrow = cal.add_business_days(local_now().date(), 1)
    tasks = db.session.scalars(
        sa.select(PlanTask).join(PlanStage, PlanTask.stage_id == PlanStage.id)
        .join(OnboardingPlan, PlanStage.plan_id == OnboardingPlan.id)
        .where(OnboardingPlan.state == "active", PlanTask.owner_role == "new_hire", PlanTask.done_at.is_(None),
               PlanTask.due_on == tomorrow)).unique().all()
    by_hire: dict[int, list[PlanTask]] = {}
    for task in tasks:
        by_hire.setdefault(task.stage.plan.hire_id, []).append(task)
    for hire_id, items in by_hire.items():
        hire = db.session.get(User, hire_id)
        with i18n.in_language(_language_of(hire)):
            queue_mail(hire.email, _("Due tomorrow in your onboarding"),
                       _("Hello %(name)s,\n\nDue on %(day)s:\n%(tasks)s\n\n%(link)s", name=hire.full_name,
                         day=format_date(tomorrow, "full"), tasks="\n".join(f"- {t.title}" for t in items),
                         link=absolute_url("training.mine")), kind="training.reminder")
    return len(by_hire)


def activity_totals(plan: OnboardingPlan) -> dict[str, int]:
    row = db.session.execute(sa.select(*[sa.func.coalesce(sa.func.sum(getattr(ActivityEntry, m)), 0)
                                         for m in criteria.METRICS]).where(ActivityEntry.plan_id == plan.id)).one()
    return dict(zip(criteria.METRICS, (int(v) for v in row), strict=True))


# --- editing templates ------------------------------------------------------------------------
# Plans copy their stages and tasks when they start, so an edit never reaches a running
# plan; each edit bumps the template's version, which new plans record.

def _bump(template: OnboardingTemplate, by: User, action: str, **data: Any) -> None:
    template.version += 1
    db.session.flush()
    db.session.expire(template, ["stages"])  # reload in the new order
    for stage in template.stages:
        db.session.expire(stage, ["tasks"])
    audit.record(f"onboarding_template.{action}", template, actor_id=by.id, version=template.version, **data)


def create_template(name: str, by: User) -> OnboardingTemplate:
    name = name.strip()
    if not name:
        raise TrainingError(_("Name the template."))
    if db.session.scalar(sa.select(OnboardingTemplate.id).where(OnboardingTemplate.name == name)):
        raise TrainingError(_("A template called “%(name)s” exists.", name=name))
    template = OnboardingTemplate(name=name, version=1)
    db.session.add(template)
    db.session.flush()
    audit.record("onboarding_template.create", template, actor_id=by.id, name=name)
    return template


def edit_template(template: OnboardingTemplate, action: str, form: dict[str, str], by: User) -> None:
    """One edit from the template page: details, a stage, or a task."""

    fields = {"duration_days": _("Business days"),
              "mentor_bonus_days": _("Mentor bonus: stage 3 within (business days)"),
              "start_offset": _("Start offset"), "duration": _("Duration"), "stage_id": _("Stage"),
              "task_id": _("Task")}

    def number(key: str, low: int, high: int, default: int | None = None) -> int:
        raw = (form.get(key) or "").strip()
        if not raw and default is not None:
            return default
        try:
            value = int(raw)
        except ValueError as exc:
            raise TrainingError(_("%(field)s is a whole number.", field=fields.get(key, key))) from exc
        if not low <= value <= high:
            raise TrainingError(_("%(field)s runs from %(low)d to %(high)d.", field=fields.get(key, key),
                                  low=low, high=high))
        return value

    def stage_of() -> TemplateStage:
        stage = db.session.get(TemplateStage, number("stage_id", 1, 10**9))
        if stage is None or stage.template_id != template.id:
            raise TrainingError(_("No such stage."))
        return stage

    def task_of() -> TemplateTask:
        task = db.session.get(TemplateTask, number("task_id", 1, 10**9))
        if task is None or task.stage.template_id != template.id:
            raise TrainingError(_("No such task."))
        return task

    def parsed_criteria() -> list[dict[str, Any]]:
        try:
            return criteria.parse_lines(form.get("criteria", ""))
        except criteria.CriterionError as exc:
            raise TrainingError(str(exc)) from exc

    if action == "details":
        name = (form.get("name") or "").strip()
        if not name:
            raise TrainingError(_("Name the template."))
        clash = db.session.scalar(sa.select(OnboardingTemplate.id).where(OnboardingTemplate.name == name,
                                                                         OnboardingTemplate.id != template.id))
        if clash:
            raise TrainingError(_("A template called “%(name)s” exists.", name=name))
        template.name, template.description = name, (form.get("description") or "").strip()
        template.mentor_bonus_days = number("mentor_bonus_days", 1, 500) if form.get("mentor_bonus_days") else None
    elif action == "add_stage":
        name = (form.get("name") or "").strip()
        if not name:
            raise TrainingError(_("Name the stage."))
        template.stages.append(TemplateStage(position=len(template.stages) + 1, name=name,
                                             duration_days=number("duration_days", 1, 400, 5),
                                             description=(form.get("description") or "").strip(),
                                             criteria=parsed_criteria() or [{"kind": "tasks_done"}]))
    elif action == "save_stage":
        stage = stage_of()
        stage.name = (form.get("name") or stage.name).strip()
        stage.duration_days = number("duration_days", 1, 400)
        stage.description = (form.get("description") or "").strip()
        stage.criteria = parsed_criteria()
    elif action in ("stage_up", "stage_down", "delete_stage"):
        stage = stage_of()
        stages = list(template.stages)
        index = stages.index(stage)
        if action == "delete_stage":
            stages.remove(stage)
            template.stages.remove(stage)
        else:
            other = index - 1 if action == "stage_up" else index + 1
            if 0 <= other < len(stages):
                stages[index], stages[other] = stages[other], stages[index]
        for position, item in enumerate(stages, start=1):
            item.position = position + 1000  # step aside first, then settle
        db.session.flush()
        for position, item in enumerate(stages, start=1):
            item.position = position
    elif action == "add_task":
        stage = stage_of()
        title = (form.get("title") or "").strip()
        role = form.get("owner_role", "")
        if not title or role not in ("new_hire", "mentor", "curator", "sysadmin", "head", "hr"):
            raise TrainingError(_("A task needs a title and an owner."))
        stage.tasks.append(TemplateTask(position=len(stage.tasks) + 1, title=title[:200], owner_role=role,
                                        start_offset=number("start_offset", 0, 400, 0),
                                        duration=number("duration", 1, 400, 1),
                                        required=form.get("required", "1") == "1",
                                        instructions=(form.get("instructions") or "").strip(),
                                        link=(form.get("link") or "").strip()[:500]))
    elif action in ("task_up", "task_down", "delete_task"):
        task = task_of()
        tasks = list(task.stage.tasks)
        index = tasks.index(task)
        if action == "delete_task":
            tasks.remove(task)
            task.stage.tasks.remove(task)
        else:
            other = index - 1 if action == "task_up" else index + 1
            if 0 <= other < len(tasks):
                tasks[index], tasks[other] = tasks[other], tasks[index]
        for position, item in enumerate(tasks, start=1):
            item.position = position
    else:
        raise TrainingError(_("Unknown change."))
    _bump(template, by, action)


def import_activity(plan: OnboardingPlan, data: bytes, by: User, *, skip_bad_rows: bool) -> dict[str, Any]:
    """A CRM export of the hire's days: every row checked; with bad rows
    nothing is written unless the user chose to skip them."""
    from recruit.training import activity_import
    from recruit.vacancies.importer import FileError
    from recruit.vacancies.messages import file_error, message

    if not ({"new_hire", "mentor"} & responsibilities(plan, by)) and not by.has_role("admin"):
        raise PermissionError("activity")
    try:
        parsed = activity_import.read(data, first_day=plan.start_date, last_day=local_now().date())
    except FileError as exc:
        raise TrainingError(file_error(exc)) from exc
    errors = [_("line %(line)d, %(column)s: %(reason)s", line=e.line, column=e.column,
                reason=message(e.code, e.params)) for e in parsed.errors]
    if errors and not skip_bad_rows:
        return {"imported": 0, "errors": errors}
    for row in parsed.rows:
        log_activity(plan, row.day, row.values, by)
    return {"imported": len(parsed.rows), "errors": errors}
