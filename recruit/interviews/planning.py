"""The planner's picture of a day, signed by the server.

A plan is made from a picture: the seats already taken per slot and how
many the planner proposes per slot. Booking raises a slot's cap to the
picture's seats plus the planner's number, so two recruiters planning from
the same picture never fill the same seats twice. The picture travels with
the plan page and comes back signed: a client cannot raise a cap by sending
its own numbers, and a hand-edited plan that puts more people into a slot
than the planner proposed is an override the recruiter makes on purpose,
with a reason, in the audit trail.

Also the show-rate model in use (fitted on the recorded outcomes), who may
be invited to a day, the planner's proposal and the evaluation of a
hand-edited plan."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import NamedTuple

import sqlalchemy as sa
from flask import current_app, g, has_request_context
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy.dialects.postgresql import ARRAY

from recruit.extensions import db
from recruit.interviews import overbooking, preferences, versions
from recruit.interviews.eligibility import eligible
from recruit.interviews.errors import InterviewError
from recruit.interviews.models import LIVE_STATES, Booking, InterviewSession
from recruit.interviews.showrate import Outcome, Segment, ShowRateModel, brier_score, lead_band
from recruit.keys import signing_keys
from recruit.organisation.services import get_settings
from recruit.utc import utcnow
from recruit.vacancies.models import Application, Candidate, Vacancy

MAX_AGE = 6 * 3600  # a plan page left open over lunch still books; yesterday's does not


@dataclass(frozen=True)
class Picture:
    base: list[int]  # seats taken per slot when the plan was made
    planned: list[int]  # the planner's proposal per slot


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(signing_keys(current_app.config), salt="recruit-plan-picture")


def sign(session: InterviewSession, base: Sequence[int], planned: Sequence[int]) -> str:
    return _serializer().dumps({"s": session.id, "b": list(base), "p": list(planned)})


def read(session: InterviewSession, token: str | None) -> Picture | None:
    """The picture if this server signed it for this day recently, else None."""
    if not token:
        return None
    try:
        data = _serializer().loads(token, max_age=MAX_AGE)
    except BadSignature:  # SignatureExpired is one
        return None
    slots = len(session.slots)
    if not isinstance(data, dict) or data.get("s") != session.id:
        return None
    base, planned = data.get("b"), data.get("p")
    if not (isinstance(base, list) and isinstance(planned, list) and len(base) == len(planned) == slots):
        return None
    if not all(isinstance(n, int) and n >= 0 for n in [*base, *planned]):
        return None
    return Picture(base, planned)


def counts(slots: int, assignment: dict[int, int]) -> list[int]:
    """People per slot index in an assignment (application id -> slot index)."""
    per_slot = [0] * slots
    for index in assignment.values():
        per_slot[index] += 1
    return per_slot


def beyond_plan(picture: Picture, assignment: dict[int, int]) -> dict[int, tuple[int, int]]:
    """Slot index -> (planner's number, assigned) where the hand plan asks for more."""
    return {index: (planned, assigned)
            for index, (planned, assigned) in enumerate(zip(picture.planned, counts(len(picture.planned), assignment),
                                                            strict=True))
            if assigned > planned}


def picture_for(session: InterviewSession, token: str | None, applications: Sequence,
                preference: int | None = None) -> tuple[Picture, str]:
    """The picture a booking comes back with, with its signed token; without
    a valid one, the picture as things stand (InterviewError if there is none)."""
    picture = read(session, token)
    if picture is not None:
        return picture, token or ""
    picture = picture_now(session, applications, preference)
    return picture, sign(session, picture.base, picture.planned)


def picture_now(session: InterviewSession, applications: Sequence, preference: int | None = None) -> Picture:
    """For a booking that arrives without a picture (an old page, a hand-made
    request): the planner's proposal for these candidates as things stand."""
    ok, _problems = eligible(list(applications), session)
    if not ok:
        return Picture([slot.booked for slot in session.slots], [0] * len(session.slots))
    proposal = propose(session, ok, preference)
    return Picture(proposal.base, proposal.planned)


# --- the show-rate model ---------------------------------------------------------------

def recorded_outcomes() -> list[Outcome]:
    rows = db.session.execute(
        sa.select(Booking.outcome_at, Booking.state, Booking.source, InterviewSession.kind, Booking.ever_confirmed,
                  Booking.lead_days)
        .join(InterviewSession, Booking.session_id == InterviewSession.id)
        .where(Booking.state.in_(("arrived", "no_show")), Booking.outcome_at.is_not(None))).all()
    return [Outcome(when, state == "arrived", Segment(source or "", kind, bool(confirmed), lead_band(lead)))
            for when, state, source, kind, confirmed, lead in rows]


def _fit() -> ShowRateModel:
    return ShowRateModel(half_life_days=get_settings().show_rate_half_life_days).fit(recorded_outcomes())


_MODEL = versions.StampedCache(versions.SHOW_RATE_MODEL, _fit)
REFIT_SECONDS = 3600  # older outcomes weigh less as days pass: fitted again each hour even when nothing changed


def current_model() -> ShowRateModel:
    """Fitted on every recorded arrival and no-show, so it is current the
    moment an outcome is recorded: each process keeps the model it fitted
    while the database's stamp of the outcomes (raised in the same
    transaction as any change of an outcome, by whichever process) and the
    half-life stay put; read once per request."""
    if has_request_context() and "show_rate_model" in g:
        return g.show_rate_model
    model = _MODEL.get(db.session, get_settings().show_rate_half_life_days, int(time.time() // REFIT_SECONDS))
    if has_request_context():
        g.show_rate_model = model
    return model


def overall_rate() -> tuple[float, float]:
    rate = current_model().overall
    return rate.alpha, rate.beta


def segment_for(application: Planned, session: InterviewSession, slot_start: datetime, *,
                confirmed: bool = False, now: datetime | None = None) -> Segment:
    lead = max((slot_start - (now or utcnow())).total_seconds() / 86400.0, 0.0)
    return Segment(application.candidate.source or "", session.kind, confirmed, lead_band(lead))


def show_probability(application: Application, session: InterviewSession, slot_start: datetime) -> float:
    return current_model().probability(segment_for(application, session, slot_start))


def show_probabilities(applications: Sequence[Planned], session: InterviewSession,
                       slot_start: datetime) -> dict[int, float]:
    """Each application's chance to come, by id: one model and one moment for
    the whole list, and one estimate per segment, since the planner's fifty
    fall into a few."""
    model, now = current_model(), utcnow()
    by_segment: dict[Segment, float] = {}
    result = {}
    for application in applications:
        segment = segment_for(application, session, slot_start, now=now)
        if segment not in by_segment:
            by_segment[segment] = model.probability(segment)
        result[application.id] = by_segment[segment]
    return result


def calibration() -> float | None:
    rows = db.session.execute(sa.select(Booking.predicted_show, Booking.state)
                              .where(Booking.state.in_(("arrived", "no_show")))).all()
    return brier_score((p, state == "arrived") for p, state in rows)


# --- the proposal -----------------------------------------------------------------------

MAX_SELECTED = 2000  # ids read from one plan or booking request


class TickedCandidate(NamedTuple):
    full_name: str
    email: str
    source: str


class TickedVacancy(NamedTuple):
    state: str


class TickedApplication(NamedTuple):
    """A ticked application as the planner's page reads it: the few columns
    it weighs and writes, in the mapped Application's shape
    (`a.candidate.full_name`), read as plain rows: fifty applications and
    their candidates as mapped objects were a fifth of the page."""

    id: int
    candidate_id: int
    vacancy_id: int
    stage: str
    candidate: TickedCandidate
    vacancy: TickedVacancy


Planned = Application | TickedApplication  # what the planner's services weigh: either shape


# Built once with the ids as a parameter (a statement built per request costs its cache key again).
# A candidate's live booking joined, not asked with EXISTS: the database holds
# at most one (uq_bookings_one_live_per_candidate), and PostgreSQL answered
# the EXISTS by scanning every live booking (2.4 -> 1.9 ms for fifty). On
# PostgreSQL the fifty ids go as one array: an IN list is fifty parameters
# that SQLAlchemy writes and processes on every execution (0.80 -> 0.55 ms).
def _ticked_rows(ids_match: sa.ColumnElement[bool]) -> sa.Select:
    return (sa.select(Application.id, Application.candidate_id, Application.vacancy_id, Application.stage,
                      Candidate.full_name, Candidate.email, Candidate.source, Vacancy.state, Booking.id.label("live"))
            .join(Candidate, Candidate.id == Application.candidate_id)
            .join(Vacancy, Vacancy.id == Application.vacancy_id)
            .outerjoin(Booking, sa.and_(Booking.candidate_id == Application.candidate_id,
                                        Booking.state.in_(LIVE_STATES)))
            .where(ids_match).order_by(Application.id))


TICKED_ROWS = {"postgresql": _ticked_rows(Application.id == sa.any_(sa.bindparam("ids", type_=ARRAY(sa.Integer)))),
               "sqlite": _ticked_rows(Application.id.in_(sa.bindparam("ids", expanding=True)))}


def ticked_with_bookings(ids: Sequence[int]) -> tuple[list[TickedApplication], set[int]]:
    """The planner's ticked applications, and which of their candidates hold a
    live booking already (what `eligible` asks), in one statement."""
    wanted = list(ids)[:MAX_SELECTED]
    statement = TICKED_ROWS[db.session.get_bind().dialect.name]
    rows = db.session.execute(statement, {"ids": wanted}).all() if wanted else []
    ticked = [TickedApplication(row[0], row[1], row[2], row[3], TickedCandidate(row[4], row[5] or "", row[6] or ""),
                                TickedVacancy(row[7])) for row in rows]
    return ticked, {row[1] for row in rows if row[8] is not None}


def selected_applications(ids: Sequence[int]) -> list[TickedApplication]:
    """The applications a recruiter ticked (the first MAX_SELECTED ids), as the
    planner's page and its booking form read them."""
    return ticked_with_bookings(ids)[0]


@dataclass
class Proposal:
    session: InterviewSession
    slots: list[list[Planned]]
    not_invited: list[Planned]
    probabilities: dict[int, float]
    base: list[int]  # seats already taken per slot when the plan was made
    metrics: overbooking.DayMetrics
    preference: int = preferences.DEFAULT  # the step it was made at
    held: list[list[float]] = field(default_factory=list)  # per slot: the chances of those invited before
    future: list[int] = field(default_factory=list)  # the slots to come (indexes)

    @property
    def assignment(self) -> dict[int, int]:
        """Application id -> slot index."""
        return {a.id: index for index, slot in enumerate(self.slots) for a in slot}

    @property
    def planned(self) -> list[int]:
        return [len(slot) for slot in self.slots]


# The seats already held on the day's slots: one statement for the day, not
# one per slot, found by the day (ix_bookings_session_state), not by a list of
# its slots' ids that SQLAlchemy writes out on every execution.
HELD_SEATS = (sa.select(Booking.slot_id, Booking.predicted_show)
              .where(Booking.session_id == sa.bindparam("day"), Booking.slot_id.is_not(None),
                     Booking.state.in_(("invited", "confirmed"))).order_by(Booking.id))


def held_seats(session: InterviewSession) -> list[list[float]]:
    """Per slot of the day, the show-up chances of the candidates already
    invited there (the seats a plan adds to)."""
    held: dict[int, list[float]] = {}
    for slot_id, predicted in db.session.execute(HELD_SEATS, {"day": session.id}):
        held.setdefault(slot_id, []).append(predicted)
    return [held.get(slot.id, []) for slot in session.slots]


def slots_to_come(session: InterviewSession) -> list[int]:
    """The indexes of the slots not yet started: the only ones a plan fills and weighs."""
    now = utcnow()
    return [i for i, slot in enumerate(session.slots) if slot.starts_at > now]


def chosen_preference(step: object) -> int:
    """The recruiter's step for this plan, else the organisation's."""
    return preferences.valid(step) or preferences.valid(get_settings().planning_preference) or preferences.DEFAULT


def propose(session: InterviewSession, applications: Sequence[Planned], preference: int | None = None) -> Proposal:
    """The planner's proposal for this session from the selected candidates,
    counting the ones already invited, at the recruiter's preference (the
    organisation's when None)."""
    if session.cancelled_at is not None:
        raise InterviewError(_("This interview day was cancelled."))
    step = chosen_preference(preference)
    weights = preferences.weights_for(session.kind, step)
    slots = session.slots
    probabilities = show_probabilities(applications, session, slots[0].starts_at)
    booked = held_seats(session)
    future = slots_to_come(session)
    if not future:
        raise InterviewError(_("Every slot of this day has started."))
    plan = overbooking.plan_day(
        [(a.id, probabilities[a.id]) for a in applications], slots=len(future),
        capacity=[slots[i].capacity for i in future], slot_minutes=session.slot_minutes,
        reward=weights.reward, overflow_cost=weights.overflow_cost, booked=[booked[i] for i in future])
    by_id = {a.id: a for a in applications}
    proposal_slots: list[list[Planned]] = [[] for _ in slots]
    for position, keys in zip(future, plan.slots, strict=True):
        proposal_slots[position] = [by_id[k] for k in keys]
    return Proposal(session, proposal_slots, [by_id[k] for k in plan.not_invited], probabilities,
                    [slot.booked for slot in slots], plan.metrics, step, booked, future)


def evaluate_assignment(session: InterviewSession, assignment: dict[int, list[float]],
                        preference: int | None = None) -> overbooking.DayMetrics:
    """The day's expectations for a hand-edited plan (slot index ->
    probabilities), as the planner weighs its own: the slots to come, with
    the candidates already invited to them."""
    weights = preferences.weights_for(session.kind, chosen_preference(preference))
    held, future = held_seats(session), slots_to_come(session)
    if not future:
        raise InterviewError(_("Every slot of this day has started."))
    return overbooking.evaluate_day([held[i] + assignment.get(i, []) for i in future],
                                    [session.slots[i].capacity for i in future], session.slot_minutes,
                                    reward=weights.reward, overflow_cost=weights.overflow_cost)


@dataclass(frozen=True)
class HandPlan:
    probabilities: dict[int, float]  # application id -> show-up probability
    metrics: overbooking.DayMetrics


def evaluate_hand_plan(session: InterviewSession, applications: Sequence[Planned],
                       assignment: dict[int, int], preference: int | None = None) -> HandPlan:
    """Each candidate's show-up probability and the day's expectations for a
    hand-edited plan (application id -> slot index)."""
    probabilities = show_probabilities(applications, session, session.slots[0].starts_at)
    per_slot: dict[int, list[float]] = {}
    for app_id, index in assignment.items():
        per_slot.setdefault(index, []).append(probabilities[app_id])
    return HandPlan(probabilities, evaluate_assignment(session, per_slot, preference))
