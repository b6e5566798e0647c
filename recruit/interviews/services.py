"""Interview days: sessions and their interviewers, the show-rate model read
from recorded outcomes, the planner's proposal, bookings with database-enforced
caps and a waitlist, invitations with .ics and reminders, the candidate's
signed self-service link, check-in, no-shows and scorecards."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa
from flask import current_app, g, has_request_context
from flask_babel import LazyString, format_datetime, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy.exc import IntegrityError

from recruit import audit, jobs
from recruit.auth.models import User
from recruit.auth.services import person_with_role
from recruit.dates import in_letter
from recruit.extensions import db
from recruit.i18n import candidate_language, in_language, organisation_default, shipped
from recruit.interviews import ics, overbooking
from recruit.interviews.models import (
    HOLDS_SEAT,
    LIVE_STATES,
    Booking,
    InterviewSession,
    Scorecard,
    SessionInterviewer,
    Slot,
)
from recruit.interviews.showrate import Outcome, Segment, ShowRateModel, brier_score, lead_band
from recruit.keys import signing_keys
from recruit.mail import absolute_url, attachment, cancel_pending, queue_mail
from recruit.organisation.services import get_settings, zone
from recruit.timeutil import utcnow
from recruit.vacancies import candidates as candidate_services
from recruit.vacancies.models import Application, Vacancy
from recruit.vacancies.pipeline import CLOSED, STAGE_INDEX

INTERVIEWER_ROLES = ("admin", "recruiter", "hiring_manager", "mentor")
LINK_MAX_AGE = 60 * 24 * 3600
# a lazy string: each candidate reads it in their own language
DAY_CANCELLED = _l("The interview day was cancelled.")


class InterviewError(ValueError):
    pass


# --- sessions ----------------------------------------------------------------------

def local_datetime(day: date, at: time) -> datetime:
    return datetime.combine(day, at, tzinfo=zone())


def _lock_user(user_id: int) -> None:
    """Serialise schedule changes per interviewer on PostgreSQL (SQLite has one writer anyway)."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(sa.select(User.id).where(User.id == user_id).with_for_update())


def busy_elsewhere(user_id: int, starts_at: datetime, ends_at: datetime, *, except_session: int | None = None):
    stmt = (sa.select(InterviewSession).join(SessionInterviewer)
            .where(SessionInterviewer.user_id == user_id, SessionInterviewer.starts_at < ends_at,
                   SessionInterviewer.ends_at > starts_at, InterviewSession.cancelled_at.is_(None)))
    if except_session is not None:
        stmt = stmt.where(InterviewSession.id != except_session)
    return db.session.scalars(stmt).first()


@dataclass
class InterviewerHours:
    user_id: int
    start: time | None = None
    end: time | None = None


def create_session(*, kind: str, title: str, vacancy: Vacancy | None, day: date, start: time, end: time,
                   slot_minutes: int = 30, seats: int = 0, place: str = "", directions: str = "",
                   video_link: str = "", receptionist_id: int | None = None,
                   interviewers: Sequence[InterviewerHours], created_by: User) -> InterviewSession:
    if kind not in ("stream", "group"):
        raise InterviewError(_("Choose a stream or a group interview."))
    starts_at, ends_at = local_datetime(day, start), local_datetime(day, end)
    if ends_at <= starts_at:
        raise InterviewError(_("The day ends after it starts."))
    if starts_at < utcnow() - timedelta(hours=12):
        raise InterviewError(_("Plan interview days from today on."))
    if not interviewers:
        raise InterviewError(_("Name at least one interviewer."))
    if kind == "stream" and not 5 <= slot_minutes <= 240:
        raise InterviewError(_("A slot lasts 5 to 240 minutes."))
    if kind == "stream" and (ends_at - starts_at) < timedelta(minutes=slot_minutes):
        raise InterviewError(_("The day is shorter than one slot."))
    if kind == "group" and not 1 <= seats <= 200:
        raise InterviewError(_("A group sitting has 1 to 200 seats."))
    if not (place.strip() or video_link.strip()):
        raise InterviewError(_("Give the place (with directions) or a video-call link."))
    if video_link and not video_link.startswith(("https://", "http://")):
        raise InterviewError(_("The video-call link starts with https://"))
    if vacancy is not None and vacancy.state != "open":
        raise InterviewError(_("Interviews are for open vacancies."))
    if receptionist_id and person_with_role(receptionist_id, "receptionist") is None:
        raise InterviewError(_("The front desk is kept by an active receptionist."))
    session = InterviewSession(
        kind=kind, title=title.strip() or (vacancy.position if vacancy else _("Interviews")),
        vacancy_id=vacancy.id if vacancy else None, day=day, starts_at=starts_at, ends_at=ends_at,
        slot_minutes=slot_minutes if kind == "stream" else int((ends_at - starts_at).total_seconds() // 60),
        seats=seats if kind == "group" else 0, place=place.strip(), directions=directions.strip(),
        video_link=video_link.strip(), receptionist_id=receptionist_id, created_by_id=created_by.id)
    db.session.add(session)
    db.session.flush()
    for hours in interviewers:
        user = db.session.get(User, hours.user_id)
        if user is None or not user.active or not user.has_role(*INTERVIEWER_ROLES):
            raise InterviewError(_("Interviewers are active staff (recruiters, managers, mentors, admins)."))
        work_start = local_datetime(day, hours.start) if hours.start else starts_at
        work_end = local_datetime(day, hours.end) if hours.end else ends_at
        work_start, work_end = max(work_start, starts_at), min(work_end, ends_at)
        if work_end <= work_start:
            raise InterviewError(_("%(name)s's hours fall outside the day.", name=user.full_name))
        _lock_user(user.id)
        clash = busy_elsewhere(user.id, work_start, work_end, except_session=session.id)
        if clash is not None:
            raise InterviewError(_("%(name)s already interviews in “%(other)s” at that time.",
                                   name=user.full_name, other=clash.title))
        session.interviewers.append(SessionInterviewer(user_id=user.id, starts_at=work_start, ends_at=work_end))
    db.session.flush()
    _build_slots(session)
    audit.record("interview_session.create", session, actor_id=created_by.id, kind=kind,
                 day=day.isoformat(), interviewers=[h.user_id for h in interviewers])
    _notify_interviewers(session, "REQUEST")
    return session


def _build_slots(session: InterviewSession) -> None:
    if session.kind == "group":
        alpha, beta = overall_rate()
        settings = get_settings()
        cap = overbooking.plan_invites(session.seats, alpha, beta, reward=settings.interview_reward,
                                       overflow_cost=settings.interview_overflow_cost)
        session.slots.append(Slot(index=0, starts_at=session.starts_at, ends_at=session.ends_at,
                                  capacity=session.seats, invite_cap=cap, booked=0))
        db.session.flush()
        return
    length = timedelta(minutes=session.slot_minutes)
    count = int((session.ends_at - session.starts_at) / length)
    for index in range(count):
        start = session.starts_at + index * length
        working = sum(1 for i in session.interviewers if i.starts_at <= start and i.ends_at >= start + length)
        session.slots.append(Slot(index=index, starts_at=start, ends_at=start + length, capacity=working,
                                  invite_cap=working, booked=0))
    db.session.flush()


def set_interviewer_hours(session: InterviewSession, user_id: int, start: time | None, end: time | None,
                          by: User) -> SessionInterviewer:
    """Add an interviewer to a day, change their hours, or (both times None on
    an existing one) take them off it; slot capacities follow."""
    if session.cancelled_at is not None:
        raise InterviewError(_("This interview day was cancelled."))
    user = db.session.get(User, user_id)
    if user is None or not user.active or not user.has_role(*INTERVIEWER_ROLES):
        raise InterviewError(_("Interviewers are active staff (recruiters, managers, mentors, admins)."))
    item = next((i for i in session.interviewers if i.user_id == user_id), None)
    if start is None and end is None and item is not None:
        if len(session.interviewers) == 1:
            raise InterviewError(_("A day needs at least one interviewer."))
        session.interviewers.remove(item)
        db.session.flush()
        _refresh_capacities(session)
        audit.record("interview_session.interviewer_removed", session, actor_id=by.id, user=user_id)
        return item
    work_start = local_datetime(session.day, start) if start else session.starts_at
    work_end = local_datetime(session.day, end) if end else session.ends_at
    work_start, work_end = max(work_start, session.starts_at), min(work_end, session.ends_at)
    if work_end <= work_start:
        raise InterviewError(_("%(name)s's hours fall outside the day.", name=user.full_name))
    _lock_user(user.id)
    clash = busy_elsewhere(user.id, work_start, work_end, except_session=session.id)
    if clash is not None:
        raise InterviewError(_("%(name)s already interviews in “%(other)s” at that time.",
                               name=user.full_name, other=clash.title))
    if item is None:
        item = SessionInterviewer(user_id=user.id, starts_at=work_start, ends_at=work_end)
        session.interviewers.append(item)
    else:
        item.starts_at, item.ends_at = work_start, work_end
    db.session.flush()
    _refresh_capacities(session)
    audit.record("interview_session.interviewer_hours", session, actor_id=by.id, user=user_id,
                 start=work_start.isoformat(), end=work_end.isoformat())
    return item


def _refresh_capacities(session: InterviewSession) -> None:
    if session.kind != "stream":
        return
    for slot in session.slots:
        slot.capacity = sum(1 for i in session.interviewers if i.starts_at <= slot.starts_at and
                            i.ends_at >= slot.ends_at)
        slot.invite_cap = max(slot.invite_cap, slot.capacity, slot.booked)
    db.session.flush()


def cancel_session(session: InterviewSession, by: User, reason: str) -> None:
    if session.cancelled_at is not None:
        return
    session.cancelled_at = utcnow()
    for booking in live_bookings(session):
        cancel(booking, by, reason or DAY_CANCELLED, offer_waitlist=False)
    _notify_interviewers(session, "CANCEL")
    audit.record("interview_session.cancel", session, actor_id=by.id, reason=reason)


def live_bookings(session: InterviewSession) -> list[Booking]:
    return list(db.session.scalars(sa.select(Booking).where(Booking.session_id == session.id,
                                                            Booking.state.in_(LIVE_STATES))))


def bookings_of(session: InterviewSession) -> list[Booking]:
    return list(db.session.scalars(
        sa.select(Booking).where(Booking.session_id == session.id)
        .order_by(Booking.slot_id.is_(None), Booking.slot_id, Booking.waitlist_position, Booking.id)).unique())


def upcoming_sessions(*, vacancy: Vacancy | None = None, interviewer: User | None = None,
                      day: date | None = None, include_past_days: int = 0) -> list[InterviewSession]:
    since = utcnow() - timedelta(days=include_past_days, hours=12)
    stmt = sa.select(InterviewSession).where(InterviewSession.ends_at >= since,
                                             InterviewSession.cancelled_at.is_(None))
    if vacancy is not None:
        stmt = stmt.where(sa.or_(InterviewSession.vacancy_id == vacancy.id, InterviewSession.vacancy_id.is_(None)))
    if interviewer is not None:
        stmt = stmt.where(InterviewSession.id.in_(
            sa.select(SessionInterviewer.session_id).where(SessionInterviewer.user_id == interviewer.id)))
    if day is not None:
        stmt = stmt.where(InterviewSession.day == day)
    return list(db.session.scalars(stmt.order_by(InterviewSession.starts_at)).unique())


# --- the show-rate model ---------------------------------------------------------------

def recorded_outcomes() -> list[Outcome]:
    rows = db.session.execute(
        sa.select(Booking.outcome_at, Booking.state, Booking.source, InterviewSession.kind, Booking.ever_confirmed,
                  Booking.lead_days)
        .join(InterviewSession, Booking.session_id == InterviewSession.id)
        .where(Booking.state.in_(("arrived", "no_show")), Booking.outcome_at.is_not(None))).all()
    return [Outcome(when, state == "arrived", Segment(source or "", kind, bool(confirmed), lead_band(lead)))
            for when, state, source, kind, confirmed, lead in rows]


def current_model() -> ShowRateModel:
    """Fitted on every recorded arrival and no-show, so it is current the
    moment an outcome is recorded; cached for the length of one request."""
    if has_request_context() and "show_rate_model" in g:
        return g.show_rate_model
    model = ShowRateModel(half_life_days=get_settings().show_rate_half_life_days).fit(recorded_outcomes())
    if has_request_context():
        g.show_rate_model = model
    return model


def overall_rate() -> tuple[float, float]:
    rate = current_model().overall
    return rate.alpha, rate.beta


def segment_for(application: Application, session: InterviewSession, slot_start: datetime, *,
                confirmed: bool = False, now: datetime | None = None) -> Segment:
    lead = max((slot_start - (now or utcnow())).total_seconds() / 86400.0, 0.0)
    return Segment(application.candidate.source or "", session.kind, confirmed, lead_band(lead))


def show_probability(application: Application, session: InterviewSession, slot_start: datetime) -> float:
    return current_model().probability(segment_for(application, session, slot_start))


def calibration() -> float | None:
    rows = db.session.execute(sa.select(Booking.predicted_show, Booking.state)
                              .where(Booking.state.in_(("arrived", "no_show")))).all()
    return brier_score((p, state == "arrived") for p, state in rows)


# --- planning and booking -------------------------------------------------------------

@dataclass
class Proposal:
    session: InterviewSession
    slots: list[list[Application]]
    not_invited: list[Application]
    probabilities: dict[int, float]
    base: list[int]  # seats already taken per slot when the plan was made
    metrics: overbooking.DayMetrics


def eligible(applications: Sequence[Application], session: InterviewSession) -> tuple[list[Application], list[str]]:
    ok, problems = [], []
    live = set(db.session.scalars(sa.select(Booking.candidate_id).where(
        Booking.candidate_id.in_([a.candidate_id for a in applications]), Booking.state.in_(LIVE_STATES))))
    for application in applications:
        name = application.candidate.full_name
        if application.vacancy.state != "open":
            problems.append(_("%(name)s: the vacancy is not open.", name=name))
        elif session.vacancy_id and application.vacancy_id != session.vacancy_id:
            problems.append(_("%(name)s applied for another vacancy.", name=name))
        elif application.stage in CLOSED or application.stage == "hired":
            problems.append(_("%(name)s is no longer in the pipeline.", name=name))
        elif application.candidate_id in live:
            problems.append(_("%(name)s already has an interview booked.", name=name))
        elif not (application.candidate.email or "").strip():
            problems.append(_("%(name)s has no e-mail for the invitation.", name=name))
        else:
            ok.append(application)
    return ok, problems


def propose(session: InterviewSession, applications: Sequence[Application]) -> Proposal:
    """The planner's proposal for this session from the selected candidates,
    counting the ones already invited."""
    if session.cancelled_at is not None:
        raise InterviewError(_("This interview day was cancelled."))
    settings = get_settings()
    slots = session.slots
    probabilities = {a.id: show_probability(a, session, slots[0].starts_at) for a in applications}
    booked = [[b.predicted_show for b in db.session.scalars(
        sa.select(Booking).where(Booking.slot_id == slot.id, Booking.state.in_(("invited", "confirmed"))))]
        for slot in slots]
    future = [i for i, slot in enumerate(slots) if slot.starts_at > utcnow()]
    if not future:
        raise InterviewError(_("Every slot of this day has started."))
    plan = overbooking.plan_day(
        [(a.id, probabilities[a.id]) for a in applications], slots=len(future),
        capacity=[slots[i].capacity for i in future], slot_minutes=session.slot_minutes,
        reward=settings.interview_reward, overflow_cost=settings.interview_overflow_cost,
        booked=[booked[i] for i in future])
    by_id = {a.id: a for a in applications}
    proposal_slots: list[list[Application]] = [[] for _ in slots]
    for position, keys in zip(future, plan.slots, strict=True):
        proposal_slots[position] = [by_id[k] for k in keys]
    return Proposal(session, proposal_slots, [by_id[k] for k in plan.not_invited], probabilities,
                    [slot.booked for slot in slots], plan.metrics)


def evaluate_assignment(session: InterviewSession, assignment: dict[int, list[float]]) -> overbooking.DayMetrics:
    """The day's expectations for a hand-edited plan (slot index -> probabilities)."""
    settings = get_settings()
    probabilities = [assignment.get(slot.index, []) for slot in session.slots]
    return overbooking.evaluate_day(probabilities, [slot.capacity for slot in session.slots],
                                    session.slot_minutes, reward=settings.interview_reward,
                                    overflow_cost=settings.interview_overflow_cost)


@dataclass
class BookingResult:
    invited: list[Booking] = field(default_factory=list)
    waitlisted: list[Booking] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def _take_seat(slot_id: int) -> bool:
    """The database decides: the conditional UPDATE takes a seat only while the
    slot is under its cap, and the CHECK constraint backs it up."""
    taken = db.session.execute(
        sa.update(Slot).where(Slot.id == slot_id, Slot.booked < Slot.invite_cap)
        .values(booked=Slot.booked + 1).execution_options(synchronize_session=False)).rowcount
    return bool(taken)


def _free_seat(slot_id: int) -> None:
    db.session.execute(sa.update(Slot).where(Slot.id == slot_id, Slot.booked > 0)
                       .values(booked=Slot.booked - 1).execution_options(synchronize_session=False))


def book(session: InterviewSession, assignment: Sequence[tuple[int, int]], base: Sequence[int] | None,
         by: User, *, planned: Sequence[int] | None = None, override_reason: str = "") -> BookingResult:
    """Invite each (application id, slot index). The plan raises a slot's cap to
    what was booked when the plan was made plus what it assigns there, so two
    recruiters planning from the same picture cannot both fill the same seats:
    whoever comes second finds the slot full and their candidates join the
    waitlist in order. With the planner's numbers (`planned`, from the signed
    picture) a slot's cap rises by at most the planner's number, unless the
    recruiter overrides the planner with a reason (audited)."""
    if session.cancelled_at is not None:
        raise InterviewError(_("This interview day was cancelled."))
    result = BookingResult()
    slots = {slot.index: slot for slot in session.slots}
    if any(index not in slots for _app_id, index in assignment):
        raise InterviewError(_("No such slot."))
    applications = {a.id: a for a in db.session.scalars(
        sa.select(Application).where(Application.id.in_([a for a, _ in assignment]))).unique()}
    ok, problems = eligible(list(applications.values()), session)
    result.skipped.extend(problems)
    allowed = {a.id for a in ok}
    now = utcnow()
    todo = []
    for app_id, index in assignment:
        if app_id not in allowed:
            continue
        if slots[index].starts_at <= now:
            result.skipped.append(_("%(name)s: that slot has started.", name=applications[app_id].candidate.full_name))
            continue
        todo.append((applications[app_id], slots[index]))
    assigned: dict[int, int] = {}
    for _application, slot in todo:
        assigned[slot.index] = assigned.get(slot.index, 0) + 1
    overridden: dict[str, dict[str, int]] = {}
    for index, count in assigned.items():
        allowed = count
        if planned is not None and index < len(planned) and count > planned[index]:
            if override_reason.strip():
                overridden[str(index)] = {"planned": planned[index], "assigned": count}
            else:
                allowed = planned[index]
                result.skipped.append(ngettext(
                    "%(time)s: %(num)d more than the planner proposes joins the waiting list.",
                    "%(time)s: %(num)d more than the planner proposes join the waiting list.",
                    count - allowed, time=format_datetime(slots[index].starts_at, "HH:mm")))
        floor = (base[index] if base is not None and index < len(base) else slots[index].booked) + allowed
        db.session.execute(sa.update(Slot).where(Slot.id == slots[index].id, Slot.invite_cap < floor)
                           .values(invite_cap=floor).execution_options(synchronize_session=False))
    if overridden:
        audit.record("interview_session.plan_override", session, actor_id=by.id, reason=override_reason.strip(),
                     slots=overridden)
    for application, slot in todo:
        index = slot.index
        try:
            with db.session.begin_nested():
                seated = _take_seat(slot.id)
                booking = Booking(
                    session_id=session.id, slot_id=slot.id, candidate_id=application.candidate_id,
                    application_id=application.id, state="invited" if seated else "waitlisted",
                    predicted_show=show_probability(application, session, slot.starts_at),
                    source=application.candidate.source or "",
                    lead_days=max((slot.starts_at - now).total_seconds() / 86400.0, 0.0), created_by_id=by.id)
                if not seated:
                    booking.waitlist_position = _next_waitlist_position(session)
                db.session.add(booking)
                db.session.flush()
        except IntegrityError:
            result.skipped.append(_("%(name)s already has an interview booked.", name=application.candidate.full_name))
            continue
        if seated:
            _advance(application, "invited")
            _send_invitation(booking)
            result.invited.append(booking)
        else:
            _send_waitlist_notice(booking)
            result.waitlisted.append(booking)
        audit.record("booking.create", booking, actor_id=by.id, state=booking.state, slot=index,
                     predicted_show=round(booking.predicted_show, 3))
    db.session.flush()
    for slot in session.slots:
        db.session.refresh(slot)
    return result


def _next_waitlist_position(session: InterviewSession) -> int:
    top = db.session.scalar(sa.select(sa.func.max(Booking.waitlist_position)).where(Booking.session_id == session.id))
    return (top or 0) + 1


def _advance(application: Application, stage: str) -> None:
    """Move forward only: a candidate already further along stays where they are."""
    if application.stage in CLOSED or application.stage == "hired":
        return
    if STAGE_INDEX.get(application.stage, 0) < STAGE_INDEX[stage]:
        candidate_services.move(application, stage)


# --- messages ---------------------------------------------------------------------

def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(signing_keys(current_app.config), salt="recruit-booking")


def booking_token(booking: Booking) -> str:
    return _serializer().dumps({"b": booking.id, "v": booking.token_version})


def booking_from_token(token: str) -> Booking | None:
    """The booking a signed link is for; None when forged, expired, replaced by
    a newer link, or for a day that is over."""
    try:
        data = _serializer().loads(token, max_age=LINK_MAX_AGE)
    except (BadSignature, SignatureExpired):
        return None
    booking = db.session.get(Booking, data.get("b")) if isinstance(data, dict) else None
    if booking is None or booking.token_version != data.get("v"):
        return None
    if booking.session.ends_at < utcnow() - timedelta(hours=1):
        return None
    return booking


def booking_link(booking: Booking) -> str:
    return absolute_url("interviews.respond", token=booking_token(booking))


# --- whose language ------------------------------------------------------------------

def candidate_language_of(booking: Booking) -> str:
    """What everything sent to this booking's candidate is written in."""
    vacancy = booking.application.vacancy if booking.application else None
    return candidate_language(booking.candidate.language, vacancy.language if vacancy else None)


def user_language(user: User) -> str:
    """A user's own choice, else the organisation's default."""
    return shipped(user.locale) or organisation_language()


def organisation_language() -> str:
    return shipped(organisation_default()) or "en"


def set_candidate_language(booking: Booking, code: str) -> bool:
    """The candidate chose a language on their page: kept for the next
    messages, and the reminders not yet sent are written again in it. True
    when it changed (the caller commits)."""
    chosen = shipped(code)
    if chosen is None or booking.candidate.language == chosen:
        return False
    booking.candidate.language = chosen
    audit.record("candidate.language", booking.candidate, actor_id=None, via="booking_link", language=chosen)
    if booking.state in ("invited", "confirmed"):
        _schedule_reminders(booking)
    return True


def language_of_token(token: str) -> str | None:
    """The candidate's language for a link that no longer works but that this
    server signed (expired, replaced, or for a day that is over), so the
    "link expired" page speaks to them in their language."""
    try:
        data = _serializer().loads(token)
    except BadSignature:
        return None
    booking = db.session.get(Booking, data.get("b")) if isinstance(data, dict) else None
    return candidate_language_of(booking) if booking is not None else None


# --- messages (each built in its reader's language) ------------------------------------

def _when(booking: Booking) -> str:
    start = booking.slot.starts_at if booking.slot else booking.session.starts_at
    return in_letter(start)


def _where(session: InterviewSession) -> str:
    if session.video_link:
        return _("Online: %(link)s", link=session.video_link)
    text = session.place
    if session.directions:
        text += "\n" + session.directions
    return text


def _ics_for(booking: Booking, method: str) -> dict:
    slot = booking.slot
    invitation = ics.Invitation(
        uid=f"booking-{booking.id}@recruit", sequence=booking.ics_sequence,
        starts_at=slot.starts_at if slot else booking.session.starts_at,
        ends_at=slot.ends_at if slot else booking.session.ends_at,
        summary=_("Interview: %(title)s", title=booking.session.title),
        location=booking.session.video_link or booking.session.place,
        description=_where(booking.session) + "\n\n" + booking_link(booking),
        organizer_email=current_app.config["MAIL_SENDER"], attendee_email=booking.candidate.email,
        attendee_name=booking.candidate.full_name, url=booking_link(booking), language=candidate_language_of(booking))
    return attachment("invite.ics", ics.content_type(method), ics.build(invitation, method=method))


def _send_invitation(booking: Booking, *, updated: bool = False) -> None:
    with in_language(candidate_language_of(booking)):
        subject = _("Updated: your interview on %(when)s", when=_when(booking)) if updated else \
            _("Invitation to an interview on %(when)s", when=_when(booking))
        body = _("Hello %(name)s,\n\nWe invite you to an interview for “%(title)s”.\n\nWhen: %(when)s\n"
                 "Where: %(where)s\n\n"
                 "Please confirm that you will come, decline, or choose another time here:\n%(link)s\n\n"
                 "We look forward to meeting you.",
                 name=booking.candidate.full_name, title=booking.session.title, when=_when(booking),
                 where=_where(booking.session), link=booking_link(booking))
        queue_mail(booking.candidate.email, subject, body, kind="interview.invitation",
                   attachments=[_ics_for(booking, "REQUEST")], related=booking)
    _schedule_reminders(booking)


def _schedule_reminders(booking: Booking) -> None:
    cancel_pending(booking, "interview.reminder")
    start = booking.slot.starts_at if booking.slot else booking.session.starts_at
    now = utcnow()
    for hours in get_settings().reminder_offsets_hours or []:
        send_at = start - timedelta(hours=hours)
        if send_at <= now:
            continue
        with in_language(candidate_language_of(booking)):  # written now, sent later: the language of today
            queue_mail(booking.candidate.email, _("Reminder: your interview on %(when)s", when=_when(booking)),
                       _("Hello %(name)s,\n\nA reminder of your interview for “%(title)s”.\n\nWhen: %(when)s\n"
                         "Where: %(where)s\n\nConfirm, decline or choose another time:\n%(link)s",
                         name=booking.candidate.full_name, title=booking.session.title, when=_when(booking),
                         where=_where(booking.session), link=booking_link(booking)),
                       kind=f"interview.reminder.{hours}h", send_at=send_at, related=booking)


def _send_waitlist_notice(booking: Booking) -> None:
    with in_language(candidate_language_of(booking)):
        queue_mail(booking.candidate.email, _("You are on the waiting list for an interview"),
                   _("Hello %(name)s,\n\nThe interview day “%(title)s” on %(day)s is full for now. You are on the "
                     "waiting list; if a place frees up we will offer it to you by e-mail. You can follow it here:\n"
                     "%(link)s", name=booking.candidate.full_name, title=booking.session.title,
                     day=in_letter(booking.session.starts_at), link=booking_link(booking)),
                   kind="interview.waitlist", related=booking)


def _send_cancellation(booking: Booking, reason: str | LazyString) -> None:
    """`reason` is what the recruiter typed (sent as it is) or a lazy string
    of ours, read here in the candidate's language."""
    booking.ics_sequence += 1
    with in_language(candidate_language_of(booking)):
        queue_mail(booking.candidate.email, _("Cancelled: your interview on %(when)s", when=_when(booking)),
                   _("Hello %(name)s,\n\nYour interview for “%(title)s” on %(when)s is cancelled. %(reason)s",
                     name=booking.candidate.full_name, title=booking.session.title, when=_when(booking),
                     reason=str(reason)), kind="interview.cancel", attachments=[_ics_for(booking, "CANCEL")],
                   related=booking)


def _notify_interviewers(session: InterviewSession, method: str) -> None:
    for item in session.interviewers:
        code = user_language(item.user)
        with in_language(code):
            invitation = ics.Invitation(
                uid=f"session-{session.id}-{item.user_id}@recruit", sequence=1 if method == "CANCEL" else 0,
                starts_at=item.starts_at, ends_at=item.ends_at,
                summary=_("Interviews: %(title)s", title=session.title),
                location=session.video_link or session.place, description=_where(session),
                organizer_email=current_app.config["MAIL_SENDER"], attendee_email=item.user.email,
                attendee_name=item.user.full_name, language=code)
            subject = _("Cancelled: %(title)s", title=session.title) if method == "CANCEL" else \
                _("You are interviewing: %(title)s on %(day)s", title=session.title,
                  day=in_letter(item.starts_at))
            queue_mail(item.user.email, subject, _where(session), kind=f"interview.interviewer.{method.lower()}",
                       attachments=[attachment("interviews.ics", ics.content_type(method),
                                               ics.build(invitation, method=method))], related=session)


# --- changes to a booking -----------------------------------------------------------------

def _lock(booking: Booking) -> Booking:
    """Take the booking's row before deciding from its state, and read it fresh:
    two desk screens tapping the same arrival, or a candidate's double click
    landing on two web instances, change it once and the other gets a clear
    message. (An UPDATE, so SQLite takes its write lock too.)"""
    db.session.execute(sa.update(Booking).where(Booking.id == booking.id).values(state=Booking.state)
                       .execution_options(synchronize_session=False))
    db.session.refresh(booking)
    return booking


def confirm(booking: Booking) -> Booking:
    """A second click (or a click on a second device) confirms nothing more."""
    _lock(booking)
    if booking.state == "confirmed":
        return booking
    if booking.state != "invited":
        raise InterviewError(_("This invitation can no longer be confirmed."))
    booking.state = "confirmed"
    booking.ever_confirmed = True
    booking.responded_at = utcnow()
    audit.record("booking.confirm", booking, actor_id=None, via="link")
    return booking


def decline(booking: Booking) -> Booking:
    _lock(booking)
    if booking.state not in LIVE_STATES:
        raise InterviewError(_("This invitation is already closed."))
    held = booking.state in HOLDS_SEAT
    booking.state = "declined"
    booking.responded_at = utcnow()
    booking.waitlist_position = None
    cancel_pending(booking, "interview.reminder")
    db.session.flush()
    audit.record("booking.decline", booking, actor_id=None, via="link")
    if held and booking.slot_id:
        _free_seat(booking.slot_id)
        offer_freed_seats(booking.session)
    return booking


def cancel(booking: Booking, by: User | None, reason: str | LazyString = "", *, offer_waitlist: bool = True,
           notify: bool = True) -> Booking:
    """Called off in advance by the company: not a no-show. `notify=False`
    (anonymisation) writes nothing more to the candidate; `by` None is the system."""
    _lock(booking)
    if booking.state not in LIVE_STATES:
        raise InterviewError(_("This booking is already closed."))
    held = booking.state in HOLDS_SEAT
    booking.state = "cancelled"
    booking.waitlist_position = None
    cancel_pending(booking, "interview.reminder")
    db.session.flush()
    if held and notify:
        _send_cancellation(booking, reason)
    audit.record("booking.cancel", booking, actor_id=by.id if by else None, reason=str(reason))
    if held and booking.slot_id:
        _free_seat(booking.slot_id)
        if offer_waitlist:
            offer_freed_seats(booking.session)
    return booking


def free_slots(booking: Booking) -> list[Slot]:
    """Other times this candidate may move to: later slots with room, on open
    days for the same vacancy."""
    now = utcnow()
    stmt = (sa.select(Slot).join(InterviewSession)
            .where(InterviewSession.cancelled_at.is_(None), Slot.starts_at > now, Slot.booked < Slot.invite_cap,
                   Slot.capacity > 0, Slot.id != (booking.slot_id or 0))
            .order_by(Slot.starts_at).limit(40))
    vacancy_id = booking.application.vacancy_id
    stmt = stmt.where(sa.or_(InterviewSession.vacancy_id == vacancy_id, InterviewSession.vacancy_id.is_(None)))
    return list(db.session.scalars(stmt).unique())


def reschedule(booking: Booking, slot_id: int) -> Booking:
    _lock(booking)
    if booking.state not in ("invited", "confirmed"):
        raise InterviewError(_("This invitation can no longer be moved."))
    target = next((s for s in free_slots(booking) if s.id == slot_id), None)
    if target is None or not _take_seat(target.id):
        raise InterviewError(_("That time has just been taken; choose another."))
    old_slot_id, old_session = booking.slot_id, booking.session
    booking.slot_id, booking.session_id = target.id, target.session_id
    booking.ics_sequence += 1
    booking.state = "invited"
    booking.responded_at = utcnow()
    db.session.flush()
    db.session.refresh(booking)
    if old_slot_id:
        _free_seat(old_slot_id)
    audit.record("booking.reschedule", booking, actor_id=None, via="link", to_slot=target.id)
    _send_invitation(booking, updated=True)
    offer_freed_seats(old_session)
    return booking


def offer_freed_seats(session: InterviewSession) -> list[Booking]:
    """Waitlisted candidates, in order, take seats that free up: their own slot
    if it has room, otherwise the earliest later slot with room."""
    promoted = []
    now = utcnow()
    waiting = db.session.scalars(sa.select(Booking).where(Booking.session_id == session.id,
                                                          Booking.state == "waitlisted")
                                 .order_by(Booking.waitlist_position, Booking.id)).unique().all()
    for booking in waiting:
        candidates = sorted((s for s in session.slots if s.starts_at > now),
                            key=lambda s: (s.id != booking.slot_id, s.starts_at))
        seat = next((s for s in candidates if _take_seat(s.id)), None)
        if seat is None:
            break
        booking.slot_id = seat.id
        booking.state = "invited"
        booking.waitlist_position = None
        db.session.flush()
        db.session.refresh(booking)
        _advance(booking.application, "invited")
        audit.record("booking.offered_from_waitlist", booking, actor_id=None, slot=seat.index)
        _send_invitation(booking)
        promoted.append(booking)
    return promoted


def check_in(booking: Booking, by: User) -> Booking:
    _lock(booking)
    if booking.state not in ("invited", "confirmed"):
        raise InterviewError(_not_expected(booking))
    now = utcnow()
    booking.state = "arrived"
    booking.arrived_at = booking.outcome_at = now
    cancel_pending(booking, "interview.reminder")
    _advance(booking.application, "interviewed")
    audit.record("booking.check_in", booking, actor_id=by.id)
    return booking


def _not_expected(booking: Booking) -> str:
    """Why this booking cannot be checked in, one sentence per state."""
    name = booking.candidate.full_name
    if booking.state == "arrived":
        return _("%(name)s has already arrived.", name=name)
    if booking.state == "no_show":
        return _("%(name)s is already marked as a no-show.", name=name)
    if booking.state == "declined":
        return _("%(name)s has declined the invitation.", name=name)
    if booking.state == "waitlisted":
        return _("%(name)s is on the waiting list.", name=name)
    return _("%(name)s's interview was cancelled.", name=name)


def undo_check_in(booking: Booking, by: User) -> Booking:
    """A tap on the wrong name: back to expected, while the interview has not started."""
    _lock(booking)
    if booking.state != "arrived" or booking.seen_at is not None:
        raise InterviewError(_("Only an arrival not yet interviewed can be undone."))
    booking.state = "confirmed" if booking.ever_confirmed else "invited"
    booking.arrived_at = booking.outcome_at = None
    audit.record("booking.check_in_undone", booking, actor_id=by.id)
    return booking


def send_in(booking: Booking, interviewer_id: int, by: User) -> Booking:
    """The receptionist sends a waiting arrival to an interviewer."""
    _lock(booking)
    if booking.state != "arrived" or booking.seen_at is not None:
        raise InterviewError(_("Only a waiting arrival can be sent in."))
    if interviewer_id not in {i.user_id for i in booking.session.interviewers}:
        raise InterviewError(_("That person does not interview today."))
    booking.seen_at = utcnow()
    booking.interviewer_id = interviewer_id
    audit.record("booking.sent_in", booking, actor_id=by.id, interviewer=interviewer_id)
    return booking


@jobs.job("interviews.no_shows", every_seconds=300)
def mark_no_shows(now: datetime | None = None) -> int:
    """Invitations not checked in by the end of their slot plus the grace
    period are no-shows; they feed the show-rate model."""
    now = now or utcnow()
    grace = timedelta(minutes=get_settings().no_show_grace_minutes)
    late = db.session.scalars(
        sa.select(Booking).join(Slot, Booking.slot_id == Slot.id)
        .where(Booking.state.in_(("invited", "confirmed")), Slot.ends_at < now - grace)).unique().all()
    for booking in late:
        booking.state = "no_show"
        booking.outcome_at = booking.slot.starts_at
        cancel_pending(booking, "interview.reminder")
        audit.record("booking.no_show", booking, actor_id=None)
    waitlisted = db.session.scalars(
        sa.select(Booking).join(InterviewSession).where(Booking.state == "waitlisted",
                                                        InterviewSession.ends_at < now)).unique().all()
    for booking in waitlisted:
        booking.state = "cancelled"
        booking.waitlist_position = None
    return len(late)


def record_scorecard(booking: Booking, interviewer: User, *, motivation: int, competence: int, adequacy: int,
                     note: str = "", next_stage: str | None = None) -> Scorecard:
    if booking.state != "arrived":
        raise InterviewError(_("Score only candidates who came."))
    if interviewer.id not in {i.user_id for i in booking.session.interviewers} and \
            not interviewer.has_role("admin"):
        raise InterviewError(_("Only the day's interviewers score it."))
    for value in (motivation, competence, adequacy):
        if not isinstance(value, int) or not 1 <= value <= 5:
            raise InterviewError(_("Scores run from 1 to 5."))
    card = db.session.scalar(sa.select(Scorecard).where(Scorecard.booking_id == booking.id,
                                                        Scorecard.interviewer_id == interviewer.id))
    card = card or Scorecard(booking_id=booking.id, interviewer_id=interviewer.id)
    card.motivation, card.competence, card.adequacy, card.note = motivation, competence, adequacy, note.strip()
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
                 scores=[motivation, competence, adequacy], next_stage=next_stage or "")
    return card


def day_snapshot(session: InterviewSession, now: datetime | None = None) -> dict[str, Any]:
    """What the receptionist's screen shows, as data (the page polls it)."""
    now = now or utcnow()
    bookings = [b for b in bookings_of(session) if b.state in ("invited", "confirmed", "arrived", "no_show")]
    slots = []
    for slot in session.slots:
        rows = [b for b in bookings if b.slot_id == slot.id]
        slots.append({
            "index": slot.index, "starts_at": slot.starts_at.isoformat(),
            "label": format_datetime(slot.starts_at, "HH:mm"), "capacity": slot.capacity,
            "expected": [_booking_row(b, now) for b in rows if b.state in ("invited", "confirmed")],
            "arrived": [_booking_row(b, now) for b in rows if b.state == "arrived"],
            "no_show": [_booking_row(b, now) for b in rows if b.state == "no_show"],
        })
    waiting = sorted((b for b in bookings if b.state == "arrived" and b.seen_at is None),
                     key=lambda b: (b.slot.starts_at if b.slot else b.arrived_at, b.arrived_at))
    interviewers = []
    for item in session.interviewers:
        last = max((b for b in bookings if b.interviewer_id == item.user_id and b.seen_at), default=None,
                   key=lambda b: b.seen_at)
        busy_until = last.seen_at + timedelta(minutes=session.slot_minutes) if last else None
        free_from = max(busy_until or now, item.starts_at)
        interviewers.append({"id": item.user_id, "name": item.user.full_name,
                             "free": free_from <= now < item.ends_at, "done": item.ends_at <= now,
                             "free_at": format_datetime(free_from, "HH:mm"), "free_at_iso": free_from.isoformat(),
                             "with": last.candidate.full_name if last and busy_until and busy_until > now else "",
                             "busy_until": format_datetime(busy_until, "HH:mm") if busy_until else ""})
    interviewers.sort(key=lambda i: i["free_at_iso"])
    return {"session": session.id, "title": session.title, "now": now.isoformat(), "slots": slots,
            "waiting": [_booking_row(b, now) for b in waiting], "interviewers": interviewers,
            "counts": {"expected": sum(len(s["expected"]) for s in slots),
                       "arrived": sum(1 for b in bookings if b.state == "arrived"),
                       "no_show": sum(1 for b in bookings if b.state == "no_show")}}


def _booking_row(booking: Booking, now: datetime) -> dict[str, Any]:
    wait = None
    if booking.state == "arrived" and booking.seen_at is None and booking.arrived_at:
        since = max(booking.arrived_at, booking.slot.starts_at if booking.slot else booking.arrived_at)
        wait = max(0, math.floor((now - since).total_seconds() / 60))
    return {"id": booking.id, "name": booking.candidate.full_name,
            "phone": booking.candidate.phone_norm or booking.candidate.phone,
            "state": booking.state, "confirmed": booking.ever_confirmed, "waiting_minutes": wait,
            "seen": booking.seen_at is not None,
            "interviewer": booking.interviewer.full_name if booking.interviewer else ""}
