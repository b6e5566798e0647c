"""The day-before call round's services: the list and its order, every call
kept, "confirmed by phone" and "declined" going through the candidate's own
doors (so the show-rate model and the waiting list see them), a double tap
and a stale form recording nothing twice."""

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from recruit.audit import AuditEntry
from recruit.auth import services as accounts
from recruit.interviews import bookings, calls, desk, planning
from recruit.interviews.errors import InterviewError
from recruit.interviews.models import Booking, CallAttempt
from recruit.interviews.showrate import Segment
from recruit.mail import OutboxMessage
from recruit.utc import utcnow
from recruit.vacancies import erasure as candidate_erasure
from tests.worlds.interview_day import stream

pytestmark = pytest.mark.pg

_taps = iter(range(10**6))


def tap() -> str:
    return f"tap-{next(_taps):012d}-xx"


def booked_day(world, ctx, seats_per_slot=2, waiting=1):
    """A stream day of four slots with `seats_per_slot` invited in each, and
    `waiting` more on the waiting list of the first slot."""
    session = stream(world)
    apps = world["apps"]
    for slot in session.slots:
        slot.invite_cap = seats_per_slot
    ctx.session.flush()
    assignment = [(apps[i * seats_per_slot + k].id, i) for i in range(len(session.slots)) for k in
                  range(seats_per_slot)]
    result = bookings.book(session, assignment, None, world["recruiter"])
    extra = [apps[len(assignment) + n].id for n in range(waiting)]
    # planned from a picture with the first slot still empty: it is full now, so they wait
    result.waitlisted += bookings.book(session, [(a, 0) for a in extra], [0] * len(session.slots),
                                       world["recruiter"]).waitlisted
    assert len(result.waitlisted) == waiting
    ctx.session.commit()
    return session, result


def call(booking, outcome, by, *, seen=None, **kw):
    if seen is None:
        rows = {r.booking.id: r for r in calls.call_list(booking.session)}
        last = rows[booking.id].last if booking.id in rows else None
        seen = last.id if last else 0
    kw.setdefault("tap", tap())
    return calls.record_call(booking, outcome, by, seen=seen, **kw)


def test_the_list_holds_everyone_booked_in_slot_order_with_the_waiting_list_last(world, ctx):
    session, result = booked_day(world, ctx)
    cancelled = result.invited[-1]
    bookings.cancel(cancelled, world["recruiter"], "moved", offer_waitlist=False)
    ctx.session.commit()
    rows = calls.call_list(session)
    ids = [r.booking.id for r in rows]
    assert cancelled.id not in ids  # closed before any call: not on the list
    held = [r.booking for r in rows if r.booking.state != "waitlisted"]
    assert [b.slot.starts_at for b in held] == sorted(b.slot.starts_at for b in held)
    assert rows[-1].booking.state == "waitlisted" and rows[-1].booking.id == result.waitlisted[0].id
    assert {b.state for b in held} == {"invited"}
    assert calls.progress(rows) == calls.CallProgress(total=len(rows), to_call=len(rows))


def test_confirmed_by_phone_confirms_like_the_candidates_own_link(world, ctx):
    session, result = booked_day(world, ctx)
    booking = result.invited[0]
    attempt = call(booking, "confirmed", world["recruiter"], note="  will   come, asks about parking ")
    ctx.session.commit()
    booking = ctx.session.get(Booking, booking.id)
    assert booking.state == "confirmed" and booking.ever_confirmed and booking.responded_at is not None
    assert attempt.note == "will come, asks about parking" and attempt.called_by_id == world["recruiter"].id
    entry = ctx.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "booking.confirm",
                                                          AuditEntry.object_id == booking.id))
    assert entry.actor_id == world["recruiter"].id and entry.data["via"] == "phone"
    row = next(r for r in calls.call_list(session) if r.booking.id == booking.id)
    assert row.last.outcome == "confirmed" and not row.to_call
    # a later call to a confirmed candidate (a reminder call) keeps them confirmed and is kept too
    call(booking, "confirmed", world["admin"])
    ctx.session.commit()
    row = next(r for r in calls.call_list(session) if r.booking.id == booking.id)
    assert [a.called_by_id for a in row.attempts] == [world["admin"].id, world["recruiter"].id]


def test_the_show_rate_model_counts_a_phone_confirmation_as_a_confirmation(world, ctx):
    _session, result = booked_day(world, ctx)
    by_phone, not_reached = result.invited[0], result.invited[1]
    call(by_phone, "confirmed", world["recruiter"])
    call(not_reached, "no_answer", world["recruiter"])
    ctx.session.commit()
    for booking in (by_phone, not_reached):
        desk.check_in(ctx.session.get(Booking, booking.id), world["recruiter"])
    ctx.session.commit()
    outcomes = {o.segment.confirmed: o for o in planning.recorded_outcomes()}
    assert set(outcomes) == {True, False} and all(o.arrived for o in outcomes.values())
    segment = outcomes[True].segment
    assert segment == Segment(by_phone.source, "stream", True, segment.lead)
    model = planning.current_model()
    assert model.rate(segment).outcomes == 1  # the model learnt it under "confirmed"
    assert model.rate(outcomes[False].segment).outcomes == 1


def test_declined_on_the_phone_frees_the_seat_for_the_waiting_list(world, ctx):
    session, result = booked_day(world, ctx)
    booking, waiting = result.invited[0], result.waitlisted[0]
    call(booking, "declined", world["recruiter"], note="took another offer")
    ctx.session.commit()
    booking, waiting = ctx.session.get(Booking, booking.id), ctx.session.get(Booking, waiting.id)
    assert booking.state == "declined"
    assert waiting.state == "invited" and waiting.slot_id == booking.slot_id  # promoted into the freed seat
    assert ctx.session.scalar(sa.select(sa.func.count(OutboxMessage.id)).where(
        OutboxMessage.kind == "interview.invitation", OutboxMessage.related_id == waiting.id)) == 1
    entry = ctx.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "booking.decline",
                                                          AuditEntry.object_id == booking.id))
    assert entry.actor_id == world["recruiter"].id and entry.data["via"] == "phone"
    rows = calls.call_list(session)
    assert booking.id in [r.booking.id for r in rows]  # stays on the list, so the round's count holds
    progress = calls.progress(rows)
    assert progress.declined == 1 and progress.called == 1 and progress.total == len(result.invited) + 1
    with pytest.raises(InterviewError, match="no longer booked"):
        call(booking, "no_answer", world["recruiter"])


def test_every_attempt_is_kept_and_the_progress_counts_the_last(world, ctx):
    session, result = booked_day(world, ctx)
    a, b, c, d = result.invited[:4]
    call(a, "no_answer", world["recruiter"])
    call(a, "no_answer", world["recruiter"])
    call(b, "no_answer", world["recruiter"])
    slot_start = b.slot.starts_at
    call(b, "call_back", world["recruiter"], call_back_at=slot_start - timedelta(hours=20))
    call(c, "confirmed", world["recruiter"])
    call(d, "declined", world["recruiter"])
    ctx.session.commit()
    rows = {r.booking.id: r for r in calls.call_list(session)}
    assert [x.outcome for x in rows[a.id].attempts] == ["no_answer", "no_answer"]
    assert [x.outcome for x in rows[b.id].attempts] == ["call_back", "no_answer"]
    assert rows[b.id].last.call_back_at == slot_start - timedelta(hours=20)
    progress = calls.progress(list(rows.values()))
    assert (progress.called, progress.confirmed, progress.declined, progress.no_answer, progress.call_back) == \
        (4, 1, 1, 1, 1)
    assert progress.to_call == progress.total - 2
    assert ctx.session.scalar(sa.select(sa.func.count(CallAttempt.id))) == 6


def test_call_back_needs_a_time_before_the_interview(world, ctx):
    _session, result = booked_day(world, ctx)
    booking = result.invited[0]
    with pytest.raises(InterviewError, match="when to call back"):
        call(booking, "call_back", world["recruiter"])
    with pytest.raises(InterviewError, match="before the interview"):
        call(booking, "call_back", world["recruiter"], call_back_at=booking.slot.starts_at + timedelta(minutes=1))
    ctx.session.rollback()
    assert ctx.session.scalar(sa.select(sa.func.count(CallAttempt.id))) == 0
    # a time given with another outcome is not kept
    attempt = call(booking, "no_answer", world["recruiter"], call_back_at=utcnow() + timedelta(hours=1))
    assert attempt.call_back_at is None


def test_a_double_tap_records_one_call(world, ctx):
    _session, result = booked_day(world, ctx)
    booking = result.invited[0]
    mark = tap()
    first = calls.record_call(booking, "confirmed", world["recruiter"], tap=mark, seen=0)
    ctx.session.commit()
    again = calls.record_call(booking, "confirmed", world["recruiter"], tap=mark, seen=0)
    ctx.session.commit()
    assert again.id == first.id
    assert ctx.session.scalar(sa.select(sa.func.count(CallAttempt.id))) == 1
    assert ctx.session.scalar(sa.select(sa.func.count(AuditEntry.id)).where(AuditEntry.action == "booking.call")) == 1


def test_a_form_shown_before_someone_elses_call_is_refused_with_their_call(world, ctx):
    _session, result = booked_day(world, ctx)
    booking = result.invited[0]
    other = accounts.create_user("olga@x.test", "Olga Recruiter", ["recruiter"], password="long-enough-pw")
    calls.record_call(booking, "no_answer", other, tap=tap(), seen=0)
    ctx.session.commit()
    with pytest.raises(InterviewError, match="Olga Recruiter has just recorded a call") as refused:
        calls.record_call(booking, "declined", world["recruiter"], tap=tap(), seen=0)
    assert "No answer" in str(refused.value)
    ctx.session.rollback()
    assert ctx.session.get(Booking, booking.id).state == "invited"
    assert ctx.session.scalar(sa.select(sa.func.count(CallAttempt.id))) == 1


def test_what_cannot_be_recorded_is_refused_and_writes_nothing(world, ctx):
    _session, result = booked_day(world, ctx)
    booking, waiting = result.invited[0], result.waitlisted[0]
    with pytest.raises(InterviewError, match="waiting list"):
        call(waiting, "confirmed", world["recruiter"])
    with pytest.raises(InterviewError, match="how the call ended"):
        call(booking, "maybe", world["recruiter"])
    with pytest.raises(InterviewError, match="out of date"):
        call(booking, "no_answer", world["recruiter"], tap="short")
    with pytest.raises(InterviewError, match="out of date"):  # a call this page cannot have shown
        call(booking, "no_answer", world["recruiter"], seen=123456)
    with pytest.raises(InterviewError, match="at most 200"):
        call(booking, "no_answer", world["recruiter"], note="x" * 201)
    bookings.decline(booking)  # the candidate's own link, after the page was shown
    ctx.session.commit()
    with pytest.raises(InterviewError, match="no longer booked"):
        call(booking, "confirmed", world["recruiter"], seen=0)
    ctx.session.rollback()
    assert ctx.session.scalar(sa.select(sa.func.count(CallAttempt.id))) == 0
    assert ctx.session.get(Booking, waiting.id).state == "invited"  # took the declined seat; not confirmed


def test_no_call_is_recorded_once_the_interview_time_has_begun(world, ctx):
    session, result = booked_day(world, ctx)
    booking = result.invited[0]
    booking.slot.starts_at = utcnow() - timedelta(minutes=1)
    ctx.session.flush()
    assert not next(r for r in calls.call_list(session) if r.booking.id == booking.id).open
    with pytest.raises(InterviewError, match="already begun"):
        call(booking, "no_answer", world["recruiter"])


def test_call_back_at_is_the_next_time_the_callers_clock_shows_it():
    kyiv = datetime(2026, 12, 3, 12, 0, tzinfo=UTC).astimezone(ZoneInfo("Europe/Kyiv"))  # 14:00 there
    assert calls.call_back_moment(time(18, 30), kyiv) == kyiv.replace(hour=18, minute=30)
    later = calls.call_back_moment(time(9, 0), kyiv)
    assert later == (kyiv + timedelta(days=1)).replace(hour=9, minute=0) and later.tzinfo == kyiv.tzinfo


def test_anonymising_a_candidate_erases_what_the_callers_wrote(world, ctx):
    _session, result = booked_day(world, ctx)
    booking = result.invited[0]
    call(booking, "no_answer", world["recruiter"], note="his wife said he is at the dentist")
    ctx.session.commit()
    candidate_erasure.anonymise(booking.candidate, "asked", by=world["admin"])
    ctx.session.commit()
    attempt = ctx.session.scalar(sa.select(CallAttempt))
    assert attempt.note == "" and attempt.outcome == "no_answer"
