"""Job-description templates, vacancies and their review, candidates,
applications (a candidate in one vacancy's pipeline) and CSV import batches."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from recruit.extensions import db, one_of
from recruit.search import search_key
from recruit.utc import UTCDateTime, utcnow
from recruit.vacancies.pipeline import ALL_STAGES, VACANCY_STATES


class JobTemplate(db.Model):
    """A job description (DOMAIN.md §1) that vacancies are requested from."""

    __tablename__ = "job_templates"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(sa.String(120), unique=True)
    general: Mapped[str] = mapped_column(sa.Text, default="")
    requirements: Mapped[str] = mapped_column(sa.Text, default="")
    duties: Mapped[str] = mapped_column(sa.Text, default="")
    rights: Mapped[str] = mapped_column(sa.Text, default="")
    responsibility: Mapped[str] = mapped_column(sa.Text, default="")
    kpis: Mapped[str] = mapped_column(sa.Text, default="")
    pay_level: Mapped[int] = mapped_column(default=1)
    education: Mapped[str] = mapped_column(sa.String(120), default="")
    min_experience_years: Mapped[float] = mapped_column(default=0.0)
    skills: Mapped[str] = mapped_column(sa.Text, default="")
    language: Mapped[str | None] = mapped_column(sa.String(16))  # the language the description is written in
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class Vacancy(db.Model):
    __tablename__ = "vacancies"
    __table_args__ = (
        sa.CheckConstraint(one_of("state", VACANCY_STATES), name="valid_state"),
        sa.CheckConstraint("pay_level BETWEEN 1 AND 4", name="pay_level_range"),
        sa.CheckConstraint("headcount >= 1", name="headcount_positive"),
        sa.CheckConstraint("salary_min <= salary_max", name="salary_range"),
        sa.Index("ix_vacancies_state", "state"),
        sa.Index("ix_vacancies_requested_by", "requested_by_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    template_id: Mapped[int | None] = mapped_column(sa.ForeignKey("job_templates.id", ondelete="SET NULL"))
    position: Mapped[str] = mapped_column(sa.String(120))
    department: Mapped[str] = mapped_column(sa.String(120), default="")
    city: Mapped[str] = mapped_column(sa.String(80), default="")
    headcount: Mapped[int] = mapped_column(default=1)
    pay_level: Mapped[int] = mapped_column(default=1)
    salary_min: Mapped[int] = mapped_column(default=0)
    salary_max: Mapped[int] = mapped_column(default=0)
    education: Mapped[str] = mapped_column(sa.String(120), default="")
    min_experience_years: Mapped[float] = mapped_column(default=0.0)
    skills: Mapped[str] = mapped_column(sa.Text, default="")
    duties: Mapped[str] = mapped_column(sa.Text, default="")
    kpis: Mapped[str] = mapped_column(sa.Text, default="")
    target_start: Mapped[date | None]
    language: Mapped[str | None] = mapped_column(sa.String(16))  # its candidates' language unless they say
    state: Mapped[str] = mapped_column(sa.String(16), default="draft")
    requested_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    approved_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    approved_on: Mapped[date | None]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    template: Mapped[JobTemplate | None] = relationship(lazy="joined")
    requested_by = relationship("User", foreign_keys=[requested_by_id], lazy="joined")
    approved_by = relationship("User", foreign_keys=[approved_by_id], lazy="joined")
    # the vacancy's own review chain; an amendment's reviews are the amendment's
    reviews: Mapped[list[VacancyReview]] = relationship(
        primaryjoin="and_(Vacancy.id == VacancyReview.vacancy_id, VacancyReview.amendment_id.is_(None))",
        order_by="VacancyReview.position", cascade="all, delete-orphan")
    comments: Mapped[list[VacancyComment]] = relationship(
        back_populates="vacancy", order_by="VacancyComment.id", cascade="all, delete-orphan")

    __mapper_args__ = {"version_id_col": version}

    @property
    def title(self) -> str:
        return f"{self.position} — {self.city}" if self.city else self.position


class VacancyReview(db.Model):
    __tablename__ = "vacancy_reviews"
    __table_args__ = (sa.CheckConstraint(one_of("decision", ("pending", "approved", "changes_requested")),
                                         name="valid_decision"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    vacancy_id: Mapped[int] = mapped_column(sa.ForeignKey("vacancies.id", ondelete="CASCADE"), index=True)
    # set for a review of a change to headcount or pay (VacancyAmendment)
    amendment_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("vacancy_amendments.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    label: Mapped[str] = mapped_column(sa.String(80))
    reviewer_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    decision: Mapped[str] = mapped_column(sa.String(20), default="pending")
    comment: Mapped[str] = mapped_column(sa.Text, default="")
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    vacancy: Mapped[Vacancy] = relationship(viewonly=True)
    amendment: Mapped[VacancyAmendment | None] = relationship(back_populates="reviews")
    reviewer = relationship("User", lazy="joined")


# What an approved vacancy cannot change without the approval again: the
# positions the budget pays for and what it pays them.
AMENDED_FIELDS = ("headcount", "pay_level", "salary_min", "salary_max")
AMENDMENT_STATES = ("pending", "approved", "returned", "declined", "withdrawn")


class VacancyAmendment(db.Model):
    """A change of headcount or pay to an approved vacancy, reviewed and
    approved the way the vacancy was; until it is approved the vacancy keeps
    (and recruits on) its approved values. `changes` is {field: [before, after]}."""

    __tablename__ = "vacancy_amendments"
    __table_args__ = (
        sa.CheckConstraint(one_of("state", AMENDMENT_STATES), name="valid_amendment_state"),
        # one change waits at a time: a second would be reviewed against values that may never hold
        sa.Index("uq_vacancy_amendments_pending", "vacancy_id", unique=True,
                 sqlite_where=sa.text("state = 'pending'"), postgresql_where=sa.text("state = 'pending'")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    vacancy_id: Mapped[int] = mapped_column(sa.ForeignKey("vacancies.id", ondelete="CASCADE"), index=True)
    requested_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    reason: Mapped[str] = mapped_column(sa.Text, default="")
    changes: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    state: Mapped[str] = mapped_column(sa.String(16), default="pending")
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decision_comment: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    vacancy: Mapped[Vacancy] = relationship()
    requested_by = relationship("User", foreign_keys=[requested_by_id], lazy="joined")
    decided_by = relationship("User", foreign_keys=[decided_by_id], lazy="joined")
    reviews: Mapped[list[VacancyReview]] = relationship(
        back_populates="amendment", order_by="VacancyReview.position", cascade="all, delete-orphan")

    def after(self, name: str) -> Any:
        """The value a field takes when the change is approved (its current one if unchanged)."""
        return self.changes[name][1] if name in self.changes else getattr(self.vacancy, name)


class VacancyComment(db.Model):
    __tablename__ = "vacancy_comments"

    id: Mapped[int] = mapped_column(primary_key=True)
    vacancy_id: Mapped[int] = mapped_column(sa.ForeignKey("vacancies.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    state: Mapped[str] = mapped_column(sa.String(16))
    body: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    vacancy: Mapped[Vacancy] = relationship(back_populates="comments")
    author = relationship("User", lazy="joined")


class Candidate(db.Model):
    __tablename__ = "candidates"
    __table_args__ = (
        sa.Index("ix_candidates_email_norm", "email_norm"),
        sa.Index("ix_candidates_phone_norm", "phone_norm"),
        sa.Index("ix_candidates_name", "full_name"),
        sa.Index("ix_candidates_source", "source"),
        sa.Index("ix_candidates_city", "city"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    full_name: Mapped[str] = mapped_column(sa.String(160))
    name_norm: Mapped[str] = mapped_column(sa.String(160), default="", server_default="")
    email: Mapped[str] = mapped_column(sa.String(254), default="")
    email_norm: Mapped[str | None] = mapped_column(sa.String(254))
    phone: Mapped[str] = mapped_column(sa.String(40), default="")
    phone_norm: Mapped[str | None] = mapped_column(sa.String(20))
    city: Mapped[str] = mapped_column(sa.String(80), default="")
    source: Mapped[str] = mapped_column(sa.String(80), default="")
    experience_years: Mapped[float | None]
    education: Mapped[str] = mapped_column(sa.String(120), default="")
    notes: Mapped[str] = mapped_column(sa.Text, default="")
    language: Mapped[str | None] = mapped_column(sa.String(16))  # what everything sent to them is written in
    resume_file: Mapped[str | None] = mapped_column(sa.String(80))
    resume_name: Mapped[str | None] = mapped_column(sa.String(200))
    resume_type: Mapped[str | None] = mapped_column(sa.String(8))
    anonymised_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    applications: Mapped[list[Application]] = relationship(back_populates="candidate", cascade="all, delete-orphan",
                                                           order_by="Application.id")

    @validates("full_name")
    def _keep_search_key(self, _key: str, value: str) -> str:
        self.name_norm = search_key(value)[:160]
        return value


class Application(db.Model):
    """A candidate in one vacancy's pipeline."""

    __tablename__ = "applications"
    __table_args__ = (
        sa.UniqueConstraint("vacancy_id", "candidate_id", name="uq_applications_vacancy_candidate"),
        sa.CheckConstraint(one_of("stage", ALL_STAGES), name="valid_stage"),
        sa.Index("ix_applications_vacancy_stage", "vacancy_id", "stage", "id"),
        sa.Index("ix_applications_vacancy_id_order", "vacancy_id", "id"),
        sa.Index("ix_applications_vacancy_changed", "vacancy_id", "stage", "stage_changed_at"),
        sa.Index("ix_applications_candidate", "candidate_id"),
        sa.Index("ix_applications_closed", "stage", "stage_changed_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    vacancy_id: Mapped[int] = mapped_column(sa.ForeignKey("vacancies.id", ondelete="CASCADE"))
    candidate_id: Mapped[int] = mapped_column(sa.ForeignKey("candidates.id", ondelete="CASCADE"))
    stage: Mapped[str] = mapped_column(sa.String(16), default="new")
    furthest_stage: Mapped[int] = mapped_column(default=0)
    close_reason: Mapped[str] = mapped_column(sa.Text, default="")
    stage_changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # the import that brought them in (no foreign key: a batch's file may be dropped, its people stay)
    import_batch_id: Mapped[int | None] = mapped_column(index=True)

    vacancy: Mapped[Vacancy] = relationship(lazy="joined")
    candidate: Mapped[Candidate] = relationship(back_populates="applications", lazy="joined")


class VacancyStageCount(db.Model):
    """How many applications each stage of a vacancy holds, kept by database
    triggers on `applications` (every write path, bulk imports included), so
    the pipeline's counts cost the same at 1,000 candidates as at 100,000."""

    __tablename__ = "vacancy_stage_counts"

    vacancy_id: Mapped[int] = mapped_column(sa.ForeignKey("vacancies.id", ondelete="CASCADE"), primary_key=True)
    stage: Mapped[str] = mapped_column(sa.String(16), primary_key=True)
    count: Mapped[int] = mapped_column(default=0)


class ImportBatch(db.Model):
    """An uploaded candidate file, kept until it is imported or dropped, so the
    preview, the mapping and the error report all read the same bytes."""

    __tablename__ = "import_batches"

    id: Mapped[int] = mapped_column(primary_key=True)
    vacancy_id: Mapped[int] = mapped_column(sa.ForeignKey("vacancies.id", ondelete="CASCADE"), index=True)
    created_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    filename: Mapped[str] = mapped_column(sa.String(200))
    content: Mapped[bytes] = mapped_column(sa.LargeBinary)
    encoding: Mapped[str] = mapped_column(sa.String(20), default="utf-8")
    delimiter: Mapped[str] = mapped_column(sa.String(1), default=",")
    mapping: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    status: Mapped[str] = mapped_column(sa.String(16), default="uploaded")
    report: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    job_id: Mapped[str | None] = mapped_column(sa.String(40))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    vacancy: Mapped[Vacancy] = relationship(lazy="joined")



class SourceChannel(db.Model):
    """A canonical source channel (a job board, referrals, the company site...).
    `candidates.source` and `bookings.source` hold its `name`, so the show-rate
    model and the reports group by one text per channel however it was typed
    (recruit.vacancies.channels)."""

    __tablename__ = "source_channels"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(80), unique=True)
    active: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    aliases: Mapped[list[ChannelAlias]] = relationship(
        back_populates="channel", order_by="ChannelAlias.alias", cascade="all, delete-orphan")


class ChannelAlias(db.Model):
    """One way of writing a channel ("Рекомендация", "hh.ru"), found by its
    folded `key`; a key belongs to one channel only. The channel's own name
    is an alias too, so a lookup is one dictionary."""

    __tablename__ = "channel_aliases"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(sa.String(120), unique=True)
    alias: Mapped[str] = mapped_column(sa.String(120))
    channel_id: Mapped[int] = mapped_column(sa.ForeignKey("source_channels.id", ondelete="CASCADE"), index=True)

    channel: Mapped[SourceChannel] = relationship(back_populates="aliases")


class ChannelCost(db.Model):
    """What a source channel cost in one month (a job board's package, an
    agency's invoice), in the currency it was paid in: the reports divide a
    period's cost by the channel's hires. One amount per channel, month and
    currency, so entering a month again corrects it instead of adding to it."""

    __tablename__ = "channel_costs"
    __table_args__ = (
        sa.UniqueConstraint("channel_id", "month", "currency", name="uq_channel_costs_channel_month_currency"),
        sa.CheckConstraint("amount >= 0", name="amount_not_negative"),
        sa.Index("ix_channel_costs_month", "month"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    channel_id: Mapped[int] = mapped_column(sa.ForeignKey("source_channels.id", ondelete="CASCADE"))
    month: Mapped[date]  # the first day of the month
    amount: Mapped[Decimal] = mapped_column(sa.Numeric(14, 2))
    currency: Mapped[str] = mapped_column(sa.String(3))
    entered_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    channel: Mapped[SourceChannel] = relationship()
