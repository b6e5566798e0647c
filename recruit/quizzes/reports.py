"""A quiz's statistics, its results table and CSV, and the hires behind
them, each scoped to the viewer: a trainer or an admin sees every hire;
anyone else only the hires whose plan names them (mentor, curator, head or
HR), so a mentor with no mentees sees no one's results."""

from __future__ import annotations

import statistics
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _

from recruit.auth.models import User
from recruit.extensions import db
from recruit.i18n import label
from recruit.quizzes import allowances, stats
from recruit.quizzes.models import Attempt, Quiz
from recruit.quizzes.types import question_type
from recruit.training.models import OnboardingPlan


def sees_every_hire(viewer: User) -> bool:
    return viewer.has_role("admin", "trainer")


def hires_of(viewer: User) -> sa.Select:
    """The ids of the hires whose onboarding plan names the viewer."""
    return sa.select(OnboardingPlan.hire_id).where(sa.or_(
        OnboardingPlan.mentor_id == viewer.id, OnboardingPlan.curator_id == viewer.id,
        OnboardingPlan.head_id == viewer.id, OnboardingPlan.hr_id == viewer.id))


def _in_scope(stmt: sa.Select, viewer: User) -> sa.Select:
    return stmt if sees_every_hire(viewer) else stmt.where(Attempt.user_id.in_(hires_of(viewer)))


def hires_on_quiz(quiz: Quiz, viewer: User) -> list[dict[str, Any]]:
    """Per hire in scope who has attempted the quiz: attempts used and
    allowed, the best score and the latest attempt."""
    rows: dict[int, dict[str, Any]] = {}
    for attempt in db.session.scalars(_in_scope(sa.select(Attempt).where(Attempt.quiz_id == quiz.id), viewer)
                                      .order_by(Attempt.user_id, Attempt.number)).unique():
        row = rows.setdefault(attempt.user_id, {"user": attempt.user, "attempts": [], "best": None})
        row["attempts"].append(attempt)
        if attempt.score is not None and attempt.max_score:
            share = attempt.score / attempt.max_score
            row["best"] = share if row["best"] is None else max(row["best"], share)
    extras = allowances.allowances_for([quiz.id], list(rows))
    for user_id, row in rows.items():
        row["allowed"] = quiz.attempt_limit + extras.get((quiz.id, user_id), allowances.Allowance()).extra_attempts
        row["latest"] = row["attempts"][-1]
    return sorted(rows.values(), key=lambda r: r["user"].full_name.casefold())


def quiz_statistics(quiz: Quiz, viewer: User) -> dict[str, Any]:
    attempts = [a for a in db.session.scalars(_in_scope(sa.select(Attempt).where(
        Attempt.quiz_id == quiz.id, Attempt.state.in_(("submitted", "graded"))), viewer)).unique()]
    per_question: dict[int, dict[str, Any]] = {}
    totals = {a.id: sum(i.points or 0.0 for i in a.answers) for a in attempts}
    for attempt in attempts:
        for item in attempt.answers:
            if item.points is None or not question_type(item.version.kind).answered:
                continue  # not graded yet, or a description: nothing to analyse
            entry = per_question.setdefault(item.version.question_id, {
                "name": item.version.question.name or item.version.data["text"][:60], "kind": item.version.kind,
                "results": [], "rest": []})
            wrong = question_type(item.version.kind).wrong_choice(item.version.data, item.answer)
            entry["results"].append(stats.ItemResult(item.points / item.version.points if item.version.points else 0.0,
                                                     wrong, item.seconds_spent or None))
            entry["rest"].append(totals[attempt.id] - item.points)
    items = [{"name": e["name"], "kind": e["kind"], "stats": stats.item_stats(e["results"], e["rest"])}
             for e in per_question.values()]
    durations = [(a.submitted_at - a.started_at).total_seconds() / 60 for a in attempts if a.submitted_at]
    graded = [a for a in attempts if a.state == "graded"]
    percentages = [100 * a.score / a.max_score for a in graded if a.max_score]
    scatter = [(i["name"], i["stats"].facility, i["stats"].discrimination) for i in items
               if i["stats"].facility is not None and i["stats"].discrimination is not None]
    return {"attempts": len(attempts), "graded": len(graded), "few_attempts": len(attempts) < stats.FEW_ATTEMPTS,
            "needed_attempts": stats.FEW_ATTEMPTS, "facility_bands": stats.facility_rows(),
            "discrimination_bands": stats.discrimination_rows(),
            "histogram": stats.histogram_chart(stats.score_histogram(percentages), quiz.pass_mark)
            if percentages else None,
            "scatter": stats.scatter_chart(scatter) if scatter else None, "scatter_names": [p[0] for p in scatter],
            "passed": sum(1 for a in graded if a.passed),
            "mean_score": statistics.fmean([a.score / a.max_score for a in graded]) * 100 if graded else None,
            "mean_minutes": statistics.fmean(durations) if durations else None, "items": items}


def results_header() -> list[str]:
    """The results export's column names, in the reader's language."""
    return [_("Name"), _("E-mail"), _("Attempt"), _("State"), _("Started"), _("Submitted"), _("Score"),
            _("Maximum score"), _("Passed"), _("Signed off")]


def _yes_no(value: bool) -> str:
    return label("yes" if value else "no", "quiz_yes_no")


def results_rows(quiz: Quiz, viewer: User):
    for attempt in db.session.scalars(_in_scope(sa.select(Attempt).where(Attempt.quiz_id == quiz.id), viewer)
                                      .order_by(Attempt.user_id, Attempt.number)).unique():
        yield [attempt.user.full_name, attempt.user.email, attempt.number, label(attempt.state, "attempt_state"),
               attempt.started_at.isoformat(), attempt.submitted_at.isoformat() if attempt.submitted_at else "",
               "" if attempt.score is None else attempt.score, attempt.max_score,
               "" if attempt.passed is None else _yes_no(attempt.passed), _yes_no(attempt.signed_off_at is not None)]
