"""One review step's decision, the same for a vacancy and for a change of its
headcount or pay (an amendment): the organisation's chain of reviewers, each
approving or asking for changes with a reason."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm.attributes import set_committed_value

from recruit.extensions import db
from recruit.organisation.services import local_now, review_steps
from recruit.vacancies.errors import VacancyError
from recruit.vacancies.models import VacancyReview

DECISIONS = ("approved", "changes_requested")


def new_chain() -> list[VacancyReview]:
    """A pending review per step of the organisation's chain, as it is today."""
    return [VacancyReview(label=step.label, reviewer_id=step.reviewer_id, position=step.position)
            for step in review_steps()]


def decide(item: VacancyReview, decision: str, comment: str, user) -> str:
    """Records `user`'s decision on their step; returns the comment as kept.
    A step is decided once: a second click (or a second tab) is refused."""
    if item.reviewer_id != user.id:
        raise PermissionError("review")
    if decision not in DECISIONS:
        raise VacancyError(_("Approve, or ask for changes."))
    comment = (comment or "").strip()
    if decision == "changes_requested" and not comment:
        raise VacancyError(_("Say which changes are needed."))
    values = {"decision": decision, "comment": comment, "decided_at": local_now()}
    # only a step still pending takes a decision: of two clicks (or two tabs) the second is refused
    claimed = db.session.execute(
        sa.update(VacancyReview).where(VacancyReview.id == item.id, VacancyReview.decision == "pending")
        .values(**values).execution_options(synchronize_session=False)).rowcount
    if not claimed:
        raise VacancyError(_("Your review of this step is already recorded."))
    for name, value in values.items():
        set_committed_value(item, name, value)
    return comment


def all_approved(items: list[VacancyReview]) -> bool:
    return all(r.decision == "approved" for r in items)
