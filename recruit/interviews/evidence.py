"""The evidence a hiring decision is made from: a candidate's interviews with
every interviewer's scorecard, the same scores for the other candidates of
the vacancy, and the decision view of a day or a vacancy, where the next
step is taken for several candidates at once."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from statistics import mean

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload, lazyload, selectinload

from recruit.auth.models import User
from recruit.extensions import db
from recruit.interviews import kits
from recruit.interviews.errors import InterviewError
from recruit.interviews.models import (
    Booking,
    CriterionScore,
    InterviewSession,
    KitCriterion,
    Scorecard,
    SessionInterviewer,
)
from recruit.interviews.scorecards import DECIDED
from recruit.vacancies import candidates as candidate_services
from recruit.vacancies.candidates import CandidateError
from recruit.vacancies.models import Application

CORE = (("motivation", _l("Motivation")), ("competence", _l("Competence")), ("adequacy", _l("Adequacy")))
NEXT_STEPS = ("role_play", "offer", "rejected")


@dataclass
class Interview:
    booking: Booking
    cards: list[Scorecard]
    scores: dict[int, dict[str, int]] = field(default_factory=dict)  # each card's, by criterion name


@dataclass
class DecisionRow:
    booking: Booking
    cards: list[Scorecard]
    scores: dict[str, float | None] = field(default_factory=dict)
    overall: float | None = None

    @property
    def decided(self) -> bool:
        return self.booking.application.stage in DECIDED


def core_names() -> list[tuple[str, str]]:
    """The three every interview gives, in the reader's language."""
    return [(key, str(name)) for key, name in CORE]


def card_scores(card: Scorecard, core: list[tuple[str, str]] | None = None) -> dict[str, int]:
    """A card's scores by criterion name: the three every interview gives, then the kit's."""
    scores = {name: getattr(card, key) for key, name in (core or core_names())}
    scores.update({s.name: s.score for s in card.criteria})
    return scores


# a card with its author's name and its criteria, in one statement; its booking is the caller's already
CARD_OPTIONS = (lazyload(Scorecard.booking), joinedload(Scorecard.interviewer).load_only(User.full_name),
                joinedload(Scorecard.criteria))
# a booking as the evidence shows it: its time, day (with the panel), interviewer and vacancy
BOOKING_OPTIONS = (lazyload("*"), joinedload(Booking.slot).lazyload("*"),
                   joinedload(Booking.session).options(selectinload(InterviewSession.interviewers).joinedload(
                       SessionInterviewer.user).lazyload("*"), lazyload("*")),
                   joinedload(Booking.interviewer).lazyload("*"),
                   joinedload(Booking.candidate).lazyload("*"),
                   joinedload(Booking.application).options(joinedload(Application.vacancy).lazyload("*"),
                                                           lazyload("*")))
# a candidate's own booking, for the page that holds the person and their
# applications already (found in the session, not read again)
OWN_BOOKING_OPTIONS = (lazyload("*"), joinedload(Booking.slot).lazyload("*"),
                       joinedload(Booking.session).lazyload("*"),
                       joinedload(Booking.interviewer).load_only(User.full_name))


_CARDS = (sa.select(Scorecard).where(Scorecard.booking_id.in_(sa.bindparam("booking_ids", expanding=True)))
          .options(*CARD_OPTIONS).order_by(Scorecard.created_at, Scorecard.id))


def _cards_of(booking_ids: list[int]) -> dict[int, list[Scorecard]]:
    cards: dict[int, list[Scorecard]] = defaultdict(list)
    if booking_ids:
        for card in db.session.scalars(_CARDS, {"booking_ids": booking_ids}).unique():
            cards[card.booking_id].append(card)
    return cards


# the bookings with their cards beside them, in one statement (a person has a few of each)
_OWN_BOOKINGS = (sa.select(Booking, Scorecard).join(Application, Application.id == Booking.application_id)
                 .outerjoin(Scorecard, Scorecard.booking_id == Booking.id)
                 .where(Booking.candidate_id == sa.bindparam("candidate_id"),
                        Application.vacancy_id.in_(sa.bindparam("vacancy_ids", expanding=True)))
                 .options(*OWN_BOOKING_OPTIONS, *CARD_OPTIONS)
                 .order_by(Booking.invited_at.desc(), Booking.id.desc(), Scorecard.created_at, Scorecard.id))


def interviews_of(candidate_id: int, vacancy_ids: set[int]) -> list[Interview]:
    """Every interview of the candidate for the vacancies the viewer may see,
    newest first, with all the panel's scorecards."""
    if not vacancy_ids:
        return []
    interviews: dict[int, Interview] = {}
    core = core_names()
    for booking, card in db.session.execute(_OWN_BOOKINGS, {"candidate_id": candidate_id,
                                                            "vacancy_ids": list(vacancy_ids)}).unique():
        interview = interviews.setdefault(booking.id, Interview(booking, []))
        if card is not None:
            interview.cards.append(card)
            interview.scores[card.id] = card_scores(card, core)
    return list(interviews.values())


def criteria_names(kit_names: list[str], cards: list[Scorecard]) -> list[str]:
    """Column order: the core three, the vacancy's kit, then any criterion
    only older cards have (a kit changed since)."""
    names = [str(label) for _key, label in CORE]
    names += [name for name in kit_names if name not in names]
    for card in cards:
        names += [s.name for s in card.criteria if s.name not in names]
    return names


def _averages(cards: list[Scorecard], names: list[str]) -> dict[str, float | None]:
    given: dict[str, list[int]] = defaultdict(list)
    for card in cards:
        for name, score in card_scores(card).items():
            given[name].append(score)
    return {name: round(mean(given[name]), 1) if given[name] else None for name in names}


_OTHERS = (sa.select(Scorecard.id).join(Booking, Booking.id == Scorecard.booking_id)
           .join(Application, Application.id == Booking.application_id)
           .where(Application.vacancy_id == sa.bindparam("vacancy_id"),
                  Booking.candidate_id != sa.bindparam("candidate_id")))
# in one statement: the vacancy's kit in order (kind 0), the core three
# with how many candidates (kind 1), then a row per kit criterion (kind 2)
_YARDSTICK = sa.union_all(
    sa.select(sa.literal(0).label("kind"), KitCriterion.position.label("position"), KitCriterion.id.label("id"),
              KitCriterion.name.label("name"), *(sa.null().label(key) for key, _label in CORE),
              sa.null().label("others"))
    .where(KitCriterion.vacancy_id == sa.bindparam("vacancy_id")),
    sa.select(sa.literal(1), sa.literal(0), sa.literal(0), sa.null(),
              *(sa.func.avg(getattr(Scorecard, key)) for key, _label in CORE),
              sa.func.count(sa.distinct(Booking.candidate_id)))
    .join(Booking, Booking.id == Scorecard.booking_id).where(Scorecard.id.in_(_OTHERS)),
    sa.select(sa.literal(2), sa.literal(0), sa.literal(0), CriterionScore.name, sa.func.avg(CriterionScore.score),
              sa.null(), sa.null(), sa.null())
    .where(CriterionScore.scorecard_id.in_(_OTHERS)).group_by(CriterionScore.name))


@dataclass
class Yardstick:
    names: list[str]  # the columns: the core three, the kit, criteria only older cards have
    averages: dict[str, float | None]
    others: int


def yardstick(vacancy_id: int, cards: list[Scorecard], *, besides_candidate: int) -> Yardstick:
    """How the vacancy's other interviewed candidates scored, per criterion,
    and how many they are: the yardstick beside one candidate's cards,
    averaged by the database (a vacancy's history holds hundreds of cards)."""
    kit: list[tuple[int, int, str]] = []
    given: dict[str, float | None] = {}
    others = 0
    for row in db.session.execute(_YARDSTICK, {"vacancy_id": vacancy_id, "candidate_id": besides_candidate}):
        if row.kind == 0:
            kit.append((row.position, row.id, row.name))
        elif row.kind == 1:
            given.update({str(label): getattr(row, key) for key, label in CORE})
            others = int(row.others or 0)
        else:
            given[row.name] = row.motivation
    names = criteria_names([name for _position, _id, name in sorted(kit)], cards)
    return Yardstick(names, {name: round(float(given[name]), 1) if given.get(name) is not None else None
                             for name in names}, others)


def decision_rows(*, session: InterviewSession | None = None, vacancy_id: int | None = None) -> list[DecisionRow]:
    """The candidates who came (to the day, or for the vacancy), best average first."""
    stmt = sa.select(Booking).where(Booking.state == "arrived").options(*BOOKING_OPTIONS)
    if session is not None:
        stmt = stmt.where(Booking.session_id == session.id)
    if vacancy_id is not None:
        stmt = stmt.join(Application, Application.id == Booking.application_id) \
            .where(Application.vacancy_id == vacancy_id)
    bookings = list(db.session.scalars(stmt.order_by(Booking.arrived_at, Booking.id)).unique())
    cards = _cards_of([b.id for b in bookings])
    rows = []
    kit_names: dict[int, list[str]] = {}
    for booking in bookings:
        mine = cards.get(booking.id, [])
        vacancy_id = booking.application.vacancy_id
        if vacancy_id not in kit_names:
            kit_names[vacancy_id] = [c.name for c in kits.kit(vacancy_id)]
        names = criteria_names(kit_names[vacancy_id], mine)
        scores = _averages(mine, names)
        given = [v for v in scores.values() if v is not None]
        rows.append(DecisionRow(booking, mine, scores, round(mean(given), 1) if given else None))
    rows.sort(key=lambda r: (r.overall is None, -(r.overall or 0)))
    return rows


def decide(rows: list[DecisionRow], chosen: set[int], next_step: str, reason: str) -> int:
    """Take the next step for the chosen bookings' candidates, all or none:
    one who cannot take it (already decided, a closed pipeline) stops the
    lot with their name, so nobody is half moved."""
    if next_step not in NEXT_STEPS:
        raise InterviewError(_("Choose the next step."))
    picked = [r for r in rows if r.booking.id in chosen]
    if not picked:
        raise InterviewError(_("Tick the candidates to move first."))
    if next_step == "rejected" and not reason.strip():
        raise InterviewError(_("Give a reason for the rejection; the candidates' history keeps it."))
    for row in picked:
        application = row.booking.application
        if application.stage == next_step:
            continue
        try:
            candidate_services.move(application, next_step, reason if next_step == "rejected" else "")
        except CandidateError as exc:
            raise InterviewError(f"{row.booking.candidate.full_name}: {exc}") from exc
    return len(picked)
