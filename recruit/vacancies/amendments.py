"""A change of headcount or pay to an approved vacancy: an amendment.

The approval signed a budget: so many positions at such pay. Changing
either needs the same reviews and the same approver again, but an open
vacancy keeps recruiting meanwhile, on its approved values, which stay in
force until the change is approved (docs/decisions.md says why this and
not a return to review). One change waits at a time."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy import orm

from recruit import audit
from recruit.extensions import db
from recruit.organisation.services import local_now
from recruit.utc import utcnow
from recruit.vacancies import notifications
from recruit.vacancies.errors import VacancyError
from recruit.vacancies.models import AMENDED_FIELDS, Vacancy, VacancyAmendment, VacancyReview
from recruit.vacancies.policies import is_approver
from recruit.vacancies.review_steps import all_approved, decide, new_chain

# the states in which a vacancy recruits on an approval it already has
APPROVED_STATES = ("approved", "open", "on_hold")
DECISIONS = ("approved", "declined", "withdrawn")


def needs_amendment(vacancy: Vacancy, changed: dict[str, Any]) -> dict[str, Any]:
    """The part of a change that must be approved again before it applies."""
    if vacancy.state not in APPROVED_STATES:
        return {}
    return {name: value for name, value in changed.items() if name in AMENDED_FIELDS}


def pending(vacancy: Vacancy) -> VacancyAmendment | None:
    return db.session.scalar(sa.select(VacancyAmendment).where(
        VacancyAmendment.vacancy_id == vacancy.id, VacancyAmendment.state == "pending")
        .options(orm.selectinload(VacancyAmendment.reviews)))


def before_after(changes: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The audit's form of a change: each field's old and new value."""
    return {name: {"before": before, "after": after} for name, (before, after) in changes.items()}


def propose(vacancy: Vacancy, changes: dict[str, tuple[Any, Any]], reason: str, user) -> VacancyAmendment:
    """`changes`: {field: (approved value, proposed value)}. The vacancy keeps
    its values; the reviewers (or, with no chain, the approver) are asked."""
    reason = (reason or "").strip()
    if not reason:
        raise VacancyError(_("Say why the headcount or pay changes: the reviewers and the approver read it."))
    if pending(vacancy) is not None:
        raise VacancyError(_("A change of headcount or pay already waits for approval. Withdraw it, or wait "
                             "for its decision, before proposing another."))
    amendment = VacancyAmendment(vacancy=vacancy, requested_by_id=user.id, reason=reason[:5000], state="pending",
                                 changes={name: [before, after] for name, (before, after) in changes.items()})
    amendment.reviews = new_chain()
    for item in amendment.reviews:
        item.vacancy_id = vacancy.id
    db.session.add(amendment)
    vacancy.updated_at = utcnow()  # a new version: of two proposals made at once, the second is refused
    db.session.flush()
    audit.record("vacancy.amendment_proposed", vacancy, actor_id=user.id, amendment=amendment.id,
                 changed=before_after(changes), reason=amendment.reason)
    notifications.amendment_proposed(amendment, user)
    return amendment


def review(item: VacancyReview, decision: str, comment: str, user) -> VacancyReview:
    """A reviewer's step on a change; asking for changes sends the change
    back (the approved values stay), the last approval asks the approver."""
    amendment = item.amendment
    if amendment is None or amendment.state != "pending":
        raise VacancyError(_("This change no longer waits for review."))
    comment = decide(item, decision, comment, user)
    vacancy = amendment.vacancy
    audit.record("vacancy.amendment_reviewed", vacancy, actor_id=user.id, amendment=amendment.id, step=item.label,
                 decision=decision, comment=comment)
    if decision == "changes_requested":
        _close(amendment, "returned", user, comment)
        audit.record("vacancy.amendment_returned", vacancy, actor_id=user.id, amendment=amendment.id,
                     step=item.label, comment=comment)
        notifications.amendment_returned(amendment, item, user, comment)
    elif all_approved(amendment.reviews):
        notifications.amendment_ready(amendment, user)
    db.session.flush()
    return item


def _close(amendment: VacancyAmendment, state: str, user, comment: str) -> None:
    amendment.state = state
    amendment.decided_by_id = user.id if user is not None else None
    amendment.decided_at = local_now()
    amendment.decision_comment = comment[:5000]
    amendment.vacancy.updated_at = utcnow()  # a new version: two decisions at once, the second is refused


def settle(vacancy: Vacancy, amendment_id: int, decision: str, comment: str, user) -> VacancyAmendment:
    """The approver approves (the new values apply) or declines (they never
    do); the one who proposed the change, or an admin, may withdraw it."""
    amendment = db.session.get(VacancyAmendment, amendment_id)
    if amendment is None or amendment.vacancy_id != vacancy.id:
        raise VacancyError(_("No such change."))
    if decision not in DECISIONS:
        raise VacancyError(_("Approve, decline or withdraw the change."))
    if decision == "withdrawn":
        if amendment.requested_by_id != user.id and not user.has_role("admin"):
            raise PermissionError("withdraw")
    elif not is_approver(user):
        raise PermissionError("approve")
    if amendment.state != "pending":
        raise VacancyError(_("This change is already decided."))
    comment = (comment or "").strip()
    if decision == "approved":
        waiting = [r.label for r in amendment.reviews if r.decision != "approved"]
        if waiting:
            raise VacancyError(_("Waiting for the review of: %(who)s.", who=", ".join(waiting)))
        if amendment.after("salary_min") > amendment.after("salary_max"):
            raise VacancyError(_("The salary range runs from the lower figure to the higher one."))
    if decision == "declined" and not comment:
        raise VacancyError(_("Say why the change is declined."))
    _close(amendment, decision, user, comment)
    if decision == "approved":
        for name, (_before, after) in amendment.changes.items():
            setattr(vacancy, name, after)
    db.session.flush()
    audit.record(f"vacancy.amendment_{decision}", vacancy, actor_id=user.id, amendment=amendment.id,
                 changed=before_after(amendment.changes), comment=comment)
    if decision == "withdrawn":
        notifications.amendment_withdrawn(amendment, user)
    else:
        notifications.amendment_decided(amendment, user, comment)
    return amendment


def close_with_vacancy(vacancy: Vacancy, user) -> None:
    """A vacancy filled or cancelled has no budget left to change: a change
    still waiting is withdrawn with it (audited, nobody is asked any more)."""
    amendment = pending(vacancy)
    if amendment is None:
        return
    _close(amendment, "withdrawn", user, "")
    audit.record("vacancy.amendment_withdrawn", vacancy, actor_id=user.id, amendment=amendment.id,
                 changed=before_after(amendment.changes), comment="", state=vacancy.state)


@dataclass(frozen=True)
class PendingChange:
    """A change waiting on the vacancy's page, and what this reader may do with it."""

    amendment: VacancyAmendment
    my_reviews: list[VacancyReview]
    may_approve: bool
    may_withdraw: bool


def for_page(vacancy: Vacancy, user) -> PendingChange | None:
    amendment = pending(vacancy)
    if amendment is None:
        return None
    mine = [r for r in amendment.reviews if r.reviewer_id == user.id and r.decision == "pending"]
    return PendingChange(amendment, mine, is_approver(user) and all_approved(amendment.reviews),
                         amendment.requested_by_id == user.id or user.has_role("admin"))


def waiting_for(user) -> list[Vacancy]:
    """Vacancies whose change waits for this user's review or approval."""
    stmt = (sa.select(VacancyAmendment).where(VacancyAmendment.state == "pending")
            .options(orm.selectinload(VacancyAmendment.reviews), orm.joinedload(VacancyAmendment.vacancy)))
    approver = is_approver(user)
    found = []
    for amendment in db.session.scalars(stmt):
        mine = any(r.reviewer_id == user.id and r.decision == "pending" for r in amendment.reviews)
        if mine or (approver and all_approved(amendment.reviews)):
            found.append(amendment.vacancy)
    return found
