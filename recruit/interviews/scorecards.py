"""Interviewers' scorecards: the three scores every interview gives and one
per criterion of the vacancy's kit, written by the day's interviewers about
who came, correctable by their author until the decision is made."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _

from recruit import audit
from recruit.auth.models import User
from recruit.extensions import db
from recruit.interviews import kits
from recruit.interviews.errors import InterviewError
from recruit.interviews.models import Booking, CriterionScore, Scorecard, SessionInterviewer
from recruit.utc import utcnow
from recruit.vacancies import candidates as candidate_services
from recruit.vacancies.pipeline import CLOSED

# a move past the interview is the decision: what the panel wrote then is the evidence it was made on
DECIDED = ("role_play", "offer", "hired", *CLOSED)


def held_by(booking, session) -> sa.ColumnElement[bool]:
    """The join of a booking to who held its interview (and owes its
    scorecard): on a stream day the interviewer it was sent in to; at a
    group sitting every interviewer of the panel, who all saw the group."""
    return sa.and_(SessionInterviewer.session_id == booking.session_id,
                   sa.or_(session.kind == "group", SessionInterviewer.user_id == booking.interviewer_id))


def own_scorecard(booking: Booking, interviewer: User) -> Scorecard | None:
    """The scorecard this interviewer saved for this booking, if any."""
    return db.session.scalar(sa.select(Scorecard).where(Scorecard.booking_id == booking.id,
                                                        Scorecard.interviewer_id == interviewer.id))


def decided(booking: Booking) -> bool:
    return booking.application.stage in DECIDED


def record_scorecard(booking: Booking, interviewer: User, *, motivation: int, competence: int, adequacy: int,
                     note: str = "", next_stage: str | None = None,
                     criteria: dict[int, int] | None = None) -> Scorecard:
    """Save (or correct) an interviewer's scorecard. Its author may change it
    until the decision; after it, a card never written may still be added
    (late evidence still counts), but it moves nobody."""
    if booking.state != "arrived":
        raise InterviewError(_("Score only candidates who came."))
    if interviewer.id not in {i.user_id for i in booking.session.interviewers} and \
            not interviewer.has_role("admin"):
        raise InterviewError(_("Only the day's interviewers score it."))
    for value in (motivation, competence, adequacy, *(criteria or {}).values()):
        if not isinstance(value, int) or not 1 <= value <= 5:
            raise InterviewError(_("Scores run from 1 to 5."))
    card = own_scorecard(booking, interviewer)
    if decided(booking):
        if card is not None:
            raise InterviewError(_("The decision is made: this scorecard can no longer be changed."))
        next_stage = None
    kit_criteria = kits.kit(booking.application.vacancy_id)
    given = criteria or {}
    missing = [c.name for c in kit_criteria if c.id not in given]
    if missing:
        raise InterviewError(_("Score every criterion of the kit: %(names)s.", names=", ".join(missing)))
    card = card or Scorecard(booking_id=booking.id, interviewer_id=interviewer.id)
    card.motivation, card.competence, card.adequacy, card.note = motivation, competence, adequacy, note.strip()
    _score_criteria(card, [(c, given[c.id]) for c in kit_criteria])
    db.session.add(card)
    if booking.seen_at is None:
        booking.seen_at = utcnow()
        booking.interviewer_id = interviewer.id
    db.session.flush()
    if next_stage:
        if next_stage in CLOSED:
            candidate_services.move(booking.application, next_stage, note.strip() or _("After the interview"))
        elif booking.application.stage != next_stage:
            candidate_services.move(booking.application, next_stage)
    audit.record("scorecard.save", card, actor_id=interviewer.id, booking=booking.id,
                 scores=[motivation, competence, adequacy], next_stage=next_stage or "",
                 criteria={s.name: s.score for s in card.criteria})
    return card


def _score_criteria(card: Scorecard, scored: list) -> None:
    """Rows updated in place by name (a delete and an insert of the same name
    in one flush would meet the unique constraint in the wrong order)."""
    by_name = {s.name: s for s in card.criteria}
    keep = []
    for criterion, score in scored:
        row = by_name.pop(criterion.name, None) or CriterionScore(name=criterion.name)
        row.criterion_id, row.position, row.score = criterion.id, criterion.position, score
        keep.append(row)
    for gone in by_name.values():
        card.criteria.remove(gone)
    db.session.flush()
    card.criteria[:] = keep
