"""Onboarding templates (versioned), per-hire plans with real dates, the
activity log, role-play tries, quiz outcomes, sign-offs and overrides.

A stage has at most one sign-off (a unique constraint), so two clicks at the
same moment make one sign-off."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from recruit.audit import AppendOnlyError
from recruit.extensions import db, one_of
from recruit.utc import UTCDateTime, utcnow

OWNER_ROLES = ("new_hire", "mentor", "curator", "sysadmin", "head", "hr")
PLAN_STATES = ("active", "ready", "ended")


class OnboardingTemplate(db.Model):
    __tablename__ = "onboarding_templates"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(120), unique=True)
    description: Mapped[str] = mapped_column(sa.Text, default="")
    version: Mapped[int] = mapped_column(default=1)
    mentor_bonus_days: Mapped[int | None]  # trainee reaches the stage-3 targets within N business days
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    stages: Mapped[list[TemplateStage]] = relationship(
        back_populates="template", order_by="TemplateStage.position", cascade="all, delete-orphan", lazy="selectin")


class TemplateStage(db.Model):
    __tablename__ = "template_stages"

    id: Mapped[int] = mapped_column(primary_key=True)
    template_id: Mapped[int] = mapped_column(sa.ForeignKey("onboarding_templates.id", ondelete="CASCADE"))
    position: Mapped[int]
    name: Mapped[str] = mapped_column(sa.String(120))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    duration_days: Mapped[int] = mapped_column(default=5)
    criteria: Mapped[list[dict[str, Any]]] = mapped_column(sa.JSON, default=list)

    template: Mapped[OnboardingTemplate] = relationship(back_populates="stages")
    tasks: Mapped[list[TemplateTask]] = relationship(
        back_populates="stage", order_by="TemplateTask.position", cascade="all, delete-orphan", lazy="selectin")


class TemplateTask(db.Model):
    __tablename__ = "template_tasks"
    __table_args__ = (sa.CheckConstraint(one_of("owner_role", OWNER_ROLES), name="valid_owner"),
                      sa.CheckConstraint("start_offset >= 0 AND duration >= 1", name="days_sane"))

    id: Mapped[int] = mapped_column(primary_key=True)
    stage_id: Mapped[int] = mapped_column(sa.ForeignKey("template_stages.id", ondelete="CASCADE"))
    position: Mapped[int]
    title: Mapped[str] = mapped_column(sa.String(200))
    owner_role: Mapped[str] = mapped_column(sa.String(12))
    start_offset: Mapped[int] = mapped_column(default=0)  # business days from the stage's start
    duration: Mapped[int] = mapped_column(default=1)  # business days
    required: Mapped[bool] = mapped_column(default=True)
    instructions: Mapped[str] = mapped_column(sa.Text, default="")
    link: Mapped[str] = mapped_column(sa.String(500), default="")

    stage: Mapped[TemplateStage] = relationship(back_populates="tasks")


class OnboardingPlan(db.Model):
    __tablename__ = "onboarding_plans"
    __table_args__ = (sa.CheckConstraint(one_of("state", PLAN_STATES), name="valid_state"),
                      sa.Index("ix_onboarding_plans_mentor", "mentor_id", "state"),
                      sa.Index("ix_onboarding_plans_curator", "curator_id", "state"))

    id: Mapped[int] = mapped_column(primary_key=True)
    hire_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    application_id: Mapped[int | None] = mapped_column(sa.ForeignKey("applications.id", ondelete="SET NULL"))
    template_id: Mapped[int | None] = mapped_column(sa.ForeignKey("onboarding_templates.id", ondelete="SET NULL"))
    template_name: Mapped[str] = mapped_column(sa.String(120))
    template_version: Mapped[int]
    start_date: Mapped[date]
    mentor_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    curator_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    head_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    hr_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    sysadmin_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    state: Mapped[str] = mapped_column(sa.String(8), default="active")
    needs_decision: Mapped[bool] = mapped_column(default=False)
    ready_on: Mapped[date | None]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    hire = relationship("User", foreign_keys=[hire_id], lazy="joined")
    mentor = relationship("User", foreign_keys=[mentor_id], lazy="joined")
    curator = relationship("User", foreign_keys=[curator_id], lazy="joined")
    head = relationship("User", foreign_keys=[head_id], lazy="joined")
    stages: Mapped[list[PlanStage]] = relationship(
        back_populates="plan", order_by="PlanStage.position", cascade="all, delete-orphan", lazy="selectin")


class PlanStage(db.Model):
    __tablename__ = "plan_stages"
    __table_args__ = (sa.UniqueConstraint("plan_id", "position", name="uq_plan_stages_plan_position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(sa.ForeignKey("onboarding_plans.id", ondelete="CASCADE"))
    position: Mapped[int]
    name: Mapped[str] = mapped_column(sa.String(120))
    starts_on: Mapped[date]
    due_on: Mapped[date]
    criteria: Mapped[list[dict[str, Any]]] = mapped_column(sa.JSON, default=list)

    plan: Mapped[OnboardingPlan] = relationship(back_populates="stages")
    tasks: Mapped[list[PlanTask]] = relationship(
        back_populates="stage", order_by="PlanTask.position", cascade="all, delete-orphan", lazy="selectin")
    sign_off: Mapped[SignOff | None] = relationship(back_populates="stage", uselist=False, lazy="selectin")
    overrides: Mapped[list[CriterionOverride]] = relationship(
        back_populates="stage", order_by="CriterionOverride.criterion_index", lazy="selectin")


class PlanTask(db.Model):
    __tablename__ = "plan_tasks"
    __table_args__ = (sa.CheckConstraint(one_of("owner_role", OWNER_ROLES), name="valid_owner"),
                      sa.Index("ix_plan_tasks_open", "owner_role", "done_at", "due_on"))

    id: Mapped[int] = mapped_column(primary_key=True)
    stage_id: Mapped[int] = mapped_column(sa.ForeignKey("plan_stages.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    title: Mapped[str] = mapped_column(sa.String(200))
    owner_role: Mapped[str] = mapped_column(sa.String(12))
    starts_on: Mapped[date]
    due_on: Mapped[date]
    required: Mapped[bool] = mapped_column(default=True)
    instructions: Mapped[str] = mapped_column(sa.Text, default="")
    link: Mapped[str] = mapped_column(sa.String(500), default="")
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    done_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    stage: Mapped[PlanStage] = relationship(back_populates="tasks")


class ActivityEntry(db.Model):
    __tablename__ = "activity_entries"
    __table_args__ = (
        sa.UniqueConstraint("plan_id", "day", name="uq_activity_entries_plan_day"),
        sa.CheckConstraint("calls >= 0 AND email_offers >= 0 AND phone_offers >= 0 AND meetings >= 0 "
                           "AND leads >= 0 AND contracts >= 0", name="not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(sa.ForeignKey("onboarding_plans.id", ondelete="CASCADE"))
    day: Mapped[date]
    calls: Mapped[int] = mapped_column(default=0)
    email_offers: Mapped[int] = mapped_column(default=0)
    phone_offers: Mapped[int] = mapped_column(default=0)
    meetings: Mapped[int] = mapped_column(default=0)
    leads: Mapped[int] = mapped_column(default=0)
    contracts: Mapped[int] = mapped_column(default=0)
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


ACTIVITY_SOURCES = ("hire", "mentor", "admin", "crm")


class ActivityChange(db.Model):
    """One number of a day as it changed: the gates and the mentor's bonus are
    read from these numbers, so each says where it came from and who set it."""

    __tablename__ = "activity_changes"
    __table_args__ = (sa.CheckConstraint(one_of("source", ACTIVITY_SOURCES), name="valid_source"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(sa.ForeignKey("activity_entries.id", ondelete="CASCADE"), index=True)
    metric: Mapped[str] = mapped_column(sa.String(20))
    old: Mapped[int | None]
    new: Mapped[int]
    source: Mapped[str] = mapped_column(sa.String(10))
    changed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    entry: Mapped[ActivityEntry] = relationship()
    changed_by = relationship("User")


class ActivityImport(db.Model):
    """A CRM export held between its preview and its application, so what is
    applied is exactly the file that was previewed, once."""

    __tablename__ = "activity_imports"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(sa.ForeignKey("onboarding_plans.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(sa.String(255), default="")
    content: Mapped[bytes] = mapped_column(sa.LargeBinary)
    uploaded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    applied_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class RolePlayTry(db.Model):
    __tablename__ = "role_play_tries"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(sa.ForeignKey("onboarding_plans.id", ondelete="CASCADE"), index=True)
    tried_on: Mapped[date]
    players: Mapped[str] = mapped_column(sa.String(300), default="")
    passed: Mapped[bool]
    notes: Mapped[str] = mapped_column(sa.Text, default="")
    recorded_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class HeadDecision(db.Model):
    """The head of department's decision after a second failed role-play."""

    __tablename__ = "head_decisions"
    __table_args__ = (sa.CheckConstraint(one_of("decision", ("extend", "end")), name="valid_decision"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(sa.ForeignKey("onboarding_plans.id", ondelete="CASCADE"), index=True)
    decision: Mapped[str] = mapped_column(sa.String(8))
    reason: Mapped[str] = mapped_column(sa.Text)
    decided_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class QuizOutcome(db.Model):
    """Where the quiz feature records a signed-off result; the stage gate reads it."""

    __tablename__ = "quiz_outcomes"
    __table_args__ = (sa.UniqueConstraint("plan_id", "quiz_key", name="uq_quiz_outcomes_plan_quiz"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(sa.ForeignKey("onboarding_plans.id", ondelete="CASCADE"))
    quiz_key: Mapped[str] = mapped_column(sa.String(80))
    passed: Mapped[bool]
    score: Mapped[float | None]
    signed_off_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    signed_off_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class SignOff(db.Model):
    __tablename__ = "sign_offs"
    __table_args__ = (sa.UniqueConstraint("stage_id", name="uq_sign_offs_stage"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    stage_id: Mapped[int] = mapped_column(sa.ForeignKey("plan_stages.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(sa.String(8))
    signed_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    signed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    evidence: Mapped[list[dict[str, Any]]] = mapped_column(sa.JSON, default=list)

    stage: Mapped[PlanStage] = relationship(back_populates="sign_off")
    signed_by = relationship("User", lazy="joined")


class CriterionOverride(db.Model):
    __tablename__ = "criterion_overrides"
    __table_args__ = (sa.UniqueConstraint("stage_id", "criterion_index", name="uq_criterion_overrides_stage"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    stage_id: Mapped[int] = mapped_column(sa.ForeignKey("plan_stages.id", ondelete="CASCADE"))
    criterion_index: Mapped[int]
    reason: Mapped[str] = mapped_column(sa.Text)
    overridden_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    overridden_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    stage: Mapped[PlanStage] = relationship(back_populates="overrides")


@sa.event.listens_for(SignOff, "before_update")
@sa.event.listens_for(SignOff, "before_delete")
@sa.event.listens_for(CriterionOverride, "before_update")
@sa.event.listens_for(CriterionOverride, "before_delete")
def _refuse_change(mapper, connection, target):
    raise AppendOnlyError("sign-offs and overrides cannot be changed or deleted")
