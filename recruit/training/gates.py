"""Stage gates: the exit criteria evaluated against the plan's facts, sign-offs,
overrides and the head of department's decisions."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, NamedTuple

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from recruit import audit
from recruit.auth.models import User
from recruit.extensions import db
from recruit.organisation.services import calendar, local_now, zone
from recruit.training import criteria
from recruit.training.errors import TrainingError
from recruit.training.models import (
    ActivityEntry,
    CriterionOverride,
    HeadDecision,
    OnboardingPlan,
    PlanStage,
    QuizOutcome,
    RolePlayTry,
    SignOff,
)


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


class TryRecord(NamedTuple):
    """A role-play try as the plan page lists it and the gate counts it."""

    id: int
    tried_on: date
    passed: bool
    players: str
    notes: str


class DecisionRecord(NamedTuple):
    """A head of department's decision as the plan page lists it."""

    id: int
    decision: str
    reason: str
    decided_at: datetime


_PLANS = sa.bindparam("plans", expanding=True)
ACTIVITY_ROWS = (sa.select(ActivityEntry.plan_id, ActivityEntry.day,
                           *[getattr(ActivityEntry, m) for m in criteria.METRICS])
                 .where(ActivityEntry.plan_id.in_(_PLANS)))
# One shape for three kinds of record: (kind, plan, id, day, flag, word, text, moment). The first
# branch's column types read the rows of all three (a date, a boolean, two strings, a UTC moment).
RECORD_ROWS = sa.union_all(
    sa.select(sa.literal("try", sa.String).label("kind"), RolePlayTry.plan_id, RolePlayTry.id,
              RolePlayTry.tried_on.label("day"), RolePlayTry.passed.label("flag"),
              RolePlayTry.players.label("word"), RolePlayTry.notes.label("text"),
              RolePlayTry.recorded_at.label("at")).where(RolePlayTry.plan_id.in_(_PLANS)),
    sa.select(sa.literal("decision", sa.String), HeadDecision.plan_id, HeadDecision.id, sa.null(), sa.null(),
              HeadDecision.decision, HeadDecision.reason, HeadDecision.decided_at)
    .where(HeadDecision.plan_id.in_(_PLANS)),
    sa.select(sa.literal("quiz", sa.String), QuizOutcome.plan_id, QuizOutcome.id, sa.null(),
              sa.and_(QuizOutcome.passed, QuizOutcome.signed_off_at.is_not(None)), QuizOutcome.quiz_key, sa.null(),
              QuizOutcome.signed_off_at).where(QuizOutcome.plan_id.in_(_PLANS)))


@dataclass(frozen=True)
class PlanFacts:
    """What every stage's gate reads from the plan as a whole: read once per
    page, not once per stage."""

    today: date
    calendar: Any
    activity: dict
    role_plays: list  # the tries the gate counts
    quizzes: dict
    tries: list = field(default_factory=list)  # every try, as the page lists them
    decisions: list = field(default_factory=list)  # the head's decisions, the oldest first


def plan_facts(plan: OnboardingPlan) -> PlanFacts:
    return plans_facts([plan])[plan.id]


def plans_facts(plans: list[OnboardingPlan]) -> dict[int, PlanFacts]:
    """The facts of every plan of a list: the daily activity in one statement
    and the role-play tries, the head's decisions and the quiz outcomes in a
    second, as plain rows (a list page of plans does not read them plan by
    plan, nor build an object for each row)."""
    ids = [plan.id for plan in plans]
    activity: dict[int, dict] = {plan_id: {} for plan_id in ids}
    tries: dict[int, list[TryRecord]] = {plan_id: [] for plan_id in ids}
    decisions: dict[int, list[DecisionRecord]] = {plan_id: [] for plan_id in ids}
    quizzes: dict[int, dict] = {plan_id: {} for plan_id in ids}
    if ids:
        for plan_id, day, *values in db.session.execute(ACTIVITY_ROWS, {"plans": ids}):
            activity[plan_id][day] = dict(zip(criteria.METRICS, values, strict=True))
        for kind, plan_id, record_id, day, flag, word, text, at in db.session.execute(RECORD_ROWS, {"plans": ids}):
            if kind == "try":
                tries[plan_id].append(TryRecord(record_id, day, bool(flag), word, text))
            elif kind == "decision":
                decisions[plan_id].append(DecisionRecord(record_id, word, text, at))
            else:
                quizzes[plan_id][word] = bool(flag)
    for listed in tries.values():
        listed.sort(key=lambda t: (t.tried_on, t.id))
    for listed in decisions.values():
        listed.sort(key=lambda d: (d.decided_at, d.id))
    today, cal = local_now().date(), calendar()
    return {plan_id: PlanFacts(today, cal, activity[plan_id], _counted_tries(tries[plan_id], decisions[plan_id]),
                               quizzes[plan_id], tries[plan_id], decisions[plan_id]) for plan_id in ids}


def _counted_tries(tries: list[TryRecord], decisions: list[DecisionRecord]) -> list[criteria.RolePlayFact]:
    """The tries the gate counts: an extension gives the trainee fresh tries,
    so after one only those since the head's last decision count."""
    counted = [criteria.RolePlayFact(t.tried_on, t.passed) for t in tries]
    if any(d.decision == "extend" for d in decisions):
        since = max(d.decided_at for d in decisions).astimezone(zone()).date()
        counted = [t for t in counted if t.tried_on >= since]
    return counted


def overrides_by_criterion(stage: PlanStage) -> dict[int, CriterionOverride]:
    """The stage's overrides by criterion (pages load them with the stage)."""
    return {row.criterion_index: row for row in stage.overrides}


def facts_for(stage: PlanStage, shared: PlanFacts | None = None,
              tasks: list[criteria.TaskFact] | None = None) -> criteria.Facts:
    """The stage's facts; `tasks` when a list page has read its tasks as rows."""
    shared = shared or plan_facts(stage.plan)
    signed = frozenset({stage.sign_off.role}) if stage.sign_off else frozenset()
    if tasks is None:
        tasks = [criteria.TaskFact(t.title, t.required, t.done_at.date() if t.done_at else None) for t in stage.tasks]
    return criteria.Facts(
        today=shared.today, calendar=shared.calendar, stage_start=stage.starts_on, tasks=tasks,
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


def gates(plan: OnboardingPlan, shared: PlanFacts | None = None) -> dict[int, list[GateLine]]:
    """Every stage's gate with the plan's facts (`shared`, when the page has
    read them already) and each stage's overrides."""
    shared = shared or plan_facts(plan)
    return {stage.id: gate(stage, shared) for stage in plan.stages}


def gate(stage: PlanStage, shared: PlanFacts | None = None,
         tasks: list[criteria.TaskFact] | None = None) -> list[GateLine]:
    facts = facts_for(stage, shared, tasks)
    overrides = overrides_by_criterion(stage)
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
    db.session.expire(stage, ["overrides"])  # the stage's gate reads the new one
    audit.record("criterion.override", stage, actor_id=by.id, criterion=stage.criteria[index],
                 reason=reason.strip())
    return record




def record_quiz_sign_off(plan: OnboardingPlan, quiz_key: str, *, passed: bool, score: float | None,
                         signed_off_by_id: int, signed_off_at: datetime) -> QuizOutcome:
    """The quiz feature's one way to tell the gate that a result was signed
    off: the plan's outcome for `quiz_key` (made, or replaced), which the
    "quiz passed" criterion reads."""
    outcome = db.session.scalar(sa.select(QuizOutcome).where(QuizOutcome.plan_id == plan.id,
                                                             QuizOutcome.quiz_key == quiz_key))
    outcome = outcome or QuizOutcome(plan_id=plan.id, quiz_key=quiz_key)
    outcome.passed, outcome.score = bool(passed), score
    outcome.signed_off_by_id, outcome.signed_off_at = signed_off_by_id, signed_off_at
    db.session.add(outcome)
    db.session.flush()
    return outcome
