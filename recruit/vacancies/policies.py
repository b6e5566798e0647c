"""Who may do what with vacancies and candidates (role and ownership)."""

from __future__ import annotations

import sqlalchemy as sa

from recruit.auth.permissions import policy
from recruit.extensions import db
from recruit.organisation.services import get_settings
from recruit.vacancies.models import Vacancy, VacancyReview

STAFF = ("admin", "recruiter")


def is_reviewer(user, vacancy: Vacancy) -> bool:
    return db.session.scalar(
        sa.select(sa.func.count(VacancyReview.id)).where(
            VacancyReview.vacancy_id == vacancy.id, VacancyReview.reviewer_id == user.id)
    ) > 0


def sent_back_by(user) -> sa.ColumnElement[bool]:
    """SQL: the vacancy is back in draft because this reviewer asked for
    changes. They may follow it (read and comment) until it is sent again,
    when a fresh review chain replaces their step; other drafts stay the
    requester's."""
    return Vacancy.id.in_(sa.select(VacancyReview.vacancy_id).where(
        VacancyReview.reviewer_id == user.id, VacancyReview.amendment_id.is_(None),
        VacancyReview.decision == "changes_requested"))


def is_approver(user) -> bool:
    settings = get_settings()
    if settings.approver_id is None:
        return user.has_role("admin")
    return settings.approver_id == user.id


@policy("vacancy.view")
def _view(user, vacancy: Vacancy) -> bool:
    if user.has_role("admin") or vacancy.requested_by_id == user.id:
        return True
    if vacancy.state == "draft":
        return bool(db.session.scalar(sa.select(sa.func.count(Vacancy.id)).where(
            Vacancy.id == vacancy.id, sent_back_by(user))))
    return bool(user.has_role("recruiter") or is_reviewer(user, vacancy) or is_approver(user))


@policy("vacancy.edit")
def _edit(user, vacancy: Vacancy) -> bool:
    if vacancy.state == "draft":
        return user.has_role("admin") or vacancy.requested_by_id == user.id
    if vacancy.state in ("approved", "open", "on_hold"):
        return user.has_role(*STAFF)
    return False


@policy("vacancy.comment")
def _comment(user, vacancy: Vacancy) -> bool:
    return _view(user, vacancy)


@policy("vacancy.candidates")
def _candidates(user, vacancy: Vacancy) -> bool:
    """See the pipeline: recruiters, admins, and the manager who asked for the vacancy."""
    if vacancy.state in ("draft", "in_review"):
        return False
    return user.has_role(*STAFF) or vacancy.requested_by_id == user.id


@policy("vacancy.manage_candidates")
def _manage(user, vacancy: Vacancy) -> bool:
    return vacancy.state in ("open", "on_hold") and user.has_role(*STAFF)


@policy("candidate.view")
def _candidate_view(user, candidate) -> bool:
    if user.has_role(*STAFF):
        return True
    return any(a.vacancy.requested_by_id == user.id for a in candidate.applications)


def visible_applications(user, candidate) -> list:
    """A candidate may be in several pipelines: a head of department sees
    only the applications to the vacancies they asked for (not another
    manager's, its stage or why it was closed); recruiters and admins see all."""
    if user.has_role(*STAFF):
        return list(candidate.applications)
    return [a for a in candidate.applications if a.vacancy.requested_by_id == user.id]


@policy("candidate.edit")
def _candidate_edit(user, candidate) -> bool:
    return user.has_role(*STAFF) and candidate.anonymised_at is None


@policy("channel.cost")
def _channel_cost(user, _obj=None) -> bool:
    """What a channel costs is the admins' to enter (recruiters see the cost per hire in the reports)."""
    return user.has_role("admin")
