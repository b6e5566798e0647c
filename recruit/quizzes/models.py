"""The question bank (products, categories, versioned questions), quizzes,
attempts and answers.

Limits live in the database: one attempt in progress per person and quiz (a
partial unique index) and one row per attempt number (a unique constraint),
so concurrent starts cannot exceed the attempt limit."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from recruit.extensions import db
from recruit.utc import UTCDateTime, utcnow

ATTEMPT_STATES = ("in_progress", "submitted", "graded")
# What a hire sees of a finished attempt, each level including the one before
# (Moodle's review options, as levels): "score" the total and pass or fail,
# "marks" also the points and whether each answer is right, "answers" also
# the right answers, the feedback and the grader's comments.
REVIEW_LEVELS = ("score", "marks", "answers")


class Product(db.Model):
    __tablename__ = "products"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(120), unique=True)
    description: Mapped[str] = mapped_column(sa.Text, default="")
    priority: Mapped[int] = mapped_column(default=0)  # most profitable first


class QuestionCategory(db.Model):
    __tablename__ = "question_categories"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200), unique=True)
    product_id: Mapped[int | None] = mapped_column(sa.ForeignKey("products.id", ondelete="SET NULL"))

    product = relationship("Product", lazy="joined")


class BankQuestion(db.Model):
    """A question in the bank; its text and answers live in versions."""

    __tablename__ = "bank_questions"

    id: Mapped[int] = mapped_column(primary_key=True)
    category_id: Mapped[int | None] = mapped_column(sa.ForeignKey("question_categories.id", ondelete="SET NULL"),
                                                    index=True)
    name: Mapped[str] = mapped_column(sa.String(200), default="")
    archived: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    category = relationship("QuestionCategory", lazy="joined")
    versions: Mapped[list[QuestionVersion]] = relationship(
        back_populates="question", order_by="QuestionVersion.number", cascade="all, delete-orphan", lazy="selectin")

    @property
    def current(self) -> QuestionVersion:
        return self.versions[-1]


class QuestionVersion(db.Model):
    """What was asked: answered versions are never edited, a change makes a new one."""

    __tablename__ = "question_versions"
    __table_args__ = (sa.UniqueConstraint("question_id", "number", name="uq_question_versions_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(sa.ForeignKey("bank_questions.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(default=1)
    kind: Mapped[str] = mapped_column(sa.String(12))
    points: Mapped[float] = mapped_column(default=1.0)
    data: Mapped[dict[str, Any]] = mapped_column(sa.JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    question: Mapped[BankQuestion] = relationship(back_populates="versions")


class Quiz(db.Model):
    __tablename__ = "quizzes"
    __table_args__ = (sa.CheckConstraint("attempt_limit >= 1", name="attempts_positive"),
                      sa.CheckConstraint("pass_mark > 0 AND pass_mark <= 1", name="pass_mark_fraction"),
                      sa.CheckConstraint("review_open IN ('score','marks','answers')", name="valid_review_open"),
                      sa.CheckConstraint("review_closed IN ('score','marks','answers')",
                                         name="valid_review_closed"))

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    key: Mapped[str] = mapped_column(sa.String(80), unique=True)  # what the onboarding gate names
    description: Mapped[str] = mapped_column(sa.Text, default="")
    time_limit_minutes: Mapped[int] = mapped_column(default=30)
    pass_mark: Mapped[float] = mapped_column(default=0.7)
    attempt_limit: Mapped[int] = mapped_column(default=2)
    opens_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    shuffle_questions: Mapped[bool] = mapped_column(default=True)
    shuffle_choices: Mapped[bool] = mapped_column(default=True)
    stage_position: Mapped[int | None]  # everyone whose plan is in this stage may take it
    random_draws: Mapped[list[dict[str, int]]] = mapped_column(sa.JSON, default=list)  # [{category_id, count}]
    # what the hire sees after an attempt while attempts remain and the quiz is open ...
    review_open: Mapped[str] = mapped_column(sa.String(8), default="score")
    # ... and once no attempt is left or the quiz has closed
    review_closed: Mapped[str] = mapped_column(sa.String(8), default="answers")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    fixed: Mapped[list[QuizQuestion]] = relationship(
        order_by="QuizQuestion.position", cascade="all, delete-orphan", lazy="selectin")


class QuizQuestion(db.Model):
    __tablename__ = "quiz_questions"
    __table_args__ = (sa.UniqueConstraint("quiz_id", "question_id", name="uq_quiz_questions_quiz_question"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    quiz_id: Mapped[int] = mapped_column(sa.ForeignKey("quizzes.id", ondelete="CASCADE"))
    question_id: Mapped[int] = mapped_column(sa.ForeignKey("bank_questions.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(default=0)

    question: Mapped[BankQuestion] = relationship(lazy="joined")


class QuizAssignment(db.Model):
    __tablename__ = "quiz_assignments"
    __table_args__ = (sa.UniqueConstraint("quiz_id", "user_id", name="uq_quiz_assignments_quiz_user"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    quiz_id: Mapped[int] = mapped_column(sa.ForeignKey("quizzes.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)


class Attempt(db.Model):
    __tablename__ = "attempts"
    __table_args__ = (
        sa.UniqueConstraint("quiz_id", "user_id", "number", name="uq_attempts_quiz_user_number"),
        sa.Index("uq_attempts_one_in_progress", "quiz_id", "user_id", unique=True,
                 sqlite_where=sa.text("state = 'in_progress'"), postgresql_where=sa.text("state = 'in_progress'")),
        sa.CheckConstraint("state IN ('in_progress','submitted','graded')", name="valid_state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    quiz_id: Mapped[int] = mapped_column(sa.ForeignKey("quizzes.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    number: Mapped[int]
    state: Mapped[str] = mapped_column(sa.String(12), default="in_progress")
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    deadline: Mapped[datetime] = mapped_column(UTCDateTime)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_by_deadline: Mapped[bool] = mapped_column(default=False)
    score: Mapped[float | None]
    max_score: Mapped[float] = mapped_column(default=0.0)
    passed: Mapped[bool | None]
    signed_off_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    signed_off_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    retake_requested_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    quiz: Mapped[Quiz] = relationship(lazy="joined")
    user = relationship("User", foreign_keys=[user_id], lazy="joined")
    answers: Mapped[list[AttemptAnswer]] = relationship(
        back_populates="attempt", order_by="AttemptAnswer.position", cascade="all, delete-orphan", lazy="selectin")


class AttemptAnswer(db.Model):
    __tablename__ = "attempt_answers"
    __table_args__ = (sa.UniqueConstraint("attempt_id", "position", name="uq_attempt_answers_position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(sa.ForeignKey("attempts.id", ondelete="CASCADE"))
    position: Mapped[int]
    version_id: Mapped[int] = mapped_column(sa.ForeignKey("question_versions.id"))
    choice_order: Mapped[list[int]] = mapped_column(sa.JSON, default=list)  # shown order of choices (matching: lefts)
    right_order: Mapped[list[int]] = mapped_column(sa.JSON, default=list)  # matching: shown order of the right side
    answer: Mapped[Any | None] = mapped_column(sa.JSON)
    saved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    seconds_spent: Mapped[float] = mapped_column(default=0.0)  # time since the attempt's previous save
    auto_fraction: Mapped[float | None]
    points: Mapped[float | None]  # final points for this question
    graded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    graded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    comment: Mapped[str] = mapped_column(sa.Text, default="")
    override_reason: Mapped[str] = mapped_column(sa.Text, default="")

    attempt: Mapped[Attempt] = relationship(back_populates="answers")
    version: Mapped[QuestionVersion] = relationship(lazy="joined")


class QuizAdjustment(db.Model):
    """A mentor's allowance for one hire on one quiz, always with a reason:
    more minutes on every attempt (WCAG 2.2.1, timing adjustable; a running
    attempt's deadline moves at once) or more attempts. Grants add up."""

    __tablename__ = "quiz_adjustments"
    __table_args__ = (
        sa.Index("ix_quiz_adjustments_quiz_user", "quiz_id", "user_id"),
        sa.CheckConstraint("extra_minutes >= 0 AND extra_attempts >= 0 AND extra_minutes + extra_attempts > 0",
                           name="something_granted"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    quiz_id: Mapped[int] = mapped_column(sa.ForeignKey("quizzes.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    extra_minutes: Mapped[int] = mapped_column(default=0)
    extra_attempts: Mapped[int] = mapped_column(default=0)
    reason: Mapped[str] = mapped_column(sa.Text)
    granted_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    granted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    granted_by = relationship("User", foreign_keys=[granted_by_id], lazy="joined")
