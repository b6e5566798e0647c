"""Interview days end to end in the services: sessions, the plan, bookings
with caps and a waitlist, the signed link, check-in, no-shows, scorecards."""

from datetime import date, time, timedelta

import pytest
import sqlalchemy as sa
from icalendar import Calendar

from recruit.auth import services as accounts
from recruit.interviews import bookings, desk, errors, links, planning, sessions, tasks
from recruit.interviews.models import Booking, Slot
from recruit.mail import OutboxMessage
from recruit.organisation import services as org
from recruit.utc import utcnow
from recruit.vacancies import candidates as cs
from recruit.vacancies import services as vs
from recruit.vacancies.models import Application

pytestmark = pytest.mark.pg


@pytest.fixture
def world(ctx):
    admin = accounts.create_user("admin@x.test", "Admin", ["admin"], password="long-enough-pw")
    recruiter = accounts.create_user("rec@x.test", "Rita", ["recruiter"], password="long-enough-pw")
    anna = accounts.create_user("anna@x.test", "Anna", ["hiring_manager"], password="long-enough-pw")
    boris = accounts.create_user("boris@x.test", "Boris", ["mentor"], password="long-enough-pw")
    org.update_settings(name="X", timezone="Europe/Moscow", working_days=[0, 1, 2, 3, 4],
                        reminder_offsets_hours=[24, 2], retention_days=365, approver_id=admin.id)
    vacancy = vs.request_vacancy(None, {"position": "Client manager", "headcount": 2}, anna)
    for target in ("in_review", "approved", "open"):
        vs.transition(vacancy, target, anna if target == "in_review" else admin)
    apps = [cs.add_candidate(vacancy, {"full_name": f"Cand {n}", "email": f"c{n}@x.test",
                                       "source": "HeadHunter" if n % 2 else "Referral"}).application
            for n in range(30)]
    ctx.session.commit()
    return {"admin": admin, "recruiter": recruiter, "anna": anna, "boris": boris, "vacancy": vacancy, "apps": apps}


def _day(days=3):
    return (org.local_now() + timedelta(days=days)).date()


def _stream(world, **kw):
    args = dict(kind="stream", title="Stream day", vacancy=world["vacancy"], day=_day(), start=time(10),
                end=time(12), slot_minutes=30, place="Office, room 5", directions="Metro Park, exit 2",
                interviewers=[sessions.InterviewerHours(world["anna"].id),
                              sessions.InterviewerHours(world["boris"].id, time(11))],
                created_by=world["recruiter"])
    args.update(kw)
    return sessions.create_session(**args)


def test_stream_day_slots_follow_interviewers_hours(world, ctx):
    session = _stream(world)
    assert [s.capacity for s in session.slots] == [1, 1, 2, 2]
    assert session.slots[0].starts_at.astimezone(org.zone()).time() == time(10)
    mails = ctx.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.kind == "interview.interviewer.request"))
    assert sorted(m.recipient for m in mails) == ["anna@x.test", "boris@x.test"]


@pytest.mark.parametrize("change, message", [
    ({"end": time(9)}, "ends after it starts"),
    ({"interviewers": []}, "at least one interviewer"),
    ({"place": "", "video_link": ""}, "place"),
    ({"video_link": "zoom.us/j/1", "place": ""}, "https://"),
    ({"slot_minutes": 2}, "5 to 240"),
    ({"day": date(2020, 1, 1)}, "from today on"),
])
def test_bad_sessions_are_refused(world, ctx, change, message):
    with pytest.raises(errors.InterviewError, match=message):
        _stream(world, **change)


def test_an_interviewer_is_never_in_two_sessions_at_once(world):
    _stream(world)
    with pytest.raises(errors.InterviewError, match="already interviews"):
        _stream(world, title="Clash", start=time(11, 30), end=time(13),
                interviewers=[sessions.InterviewerHours(world["anna"].id)])
    later = _stream(world, title="Afternoon", start=time(12), end=time(13),
                    interviewers=[sessions.InterviewerHours(world["anna"].id)])
    assert later.id


def test_group_sitting_is_overbooked_from_the_learned_rate(world):
    session = _stream(world, kind="group", seats=4, slot_minutes=0)
    (slot,) = session.slots
    assert slot.capacity == 4 and slot.invite_cap > 4  # 1 in 5 shows: invite more than the seats


def test_plan_and_book_with_caps_and_waitlist(world, ctx):
    session = _stream(world)
    proposal = planning.propose(session, world["apps"])
    planned = [len(s) for s in proposal.slots]
    assert sum(planned) > sum(s.capacity for s in session.slots)  # overbooked from the 1-in-5 prior
    assert planned[2] >= planned[0]  # two interviewers later in the day take more
    assert proposal.metrics.interviews_held > 0
    assignment = [(a.id, i) for i, slot in enumerate(proposal.slots) for a in slot]
    result = bookings.book(session, assignment, proposal.base, world["recruiter"])
    ctx.session.commit()
    assert len(result.invited) == sum(planned) and not result.waitlisted
    assert [s.booked for s in session.slots] == planned
    assert all(a.stage == "invited" for a in ctx.session.scalars(
        sa.select(Application).where(Application.id.in_([a for a, _ in assignment]))))
    # a second plan made from the same (stale) picture finds the seats taken: waitlist, in order
    rest = [a for a in world["apps"] if a.id not in {x for x, _ in assignment}][:3]
    second = bookings.book(session, [(a.id, 0) for a in rest], proposal.base, world["recruiter"])
    ctx.session.commit()
    assert not second.invited and [b.waitlist_position for b in second.waitlisted] == [1, 2, 3]
    assert session.slots[0].booked == planned[0]
    # the same candidate cannot hold two live bookings
    again = bookings.book(session, [(assignment[0][0], 1)], None, world["recruiter"])
    assert again.skipped and "already has an interview" in again.skipped[0]
    # a decline frees a seat, and the first on the waitlist gets it with an invitation
    first = result.invited[0]
    bookings.decline(first)
    ctx.session.commit()
    promoted = ctx.session.get(Booking, second.waitlisted[0].id)
    assert promoted.state == "invited" and promoted.slot_id == first.slot_id
    assert ctx.session.get(Booking, second.waitlisted[1].id).state == "waitlisted"
    assert ctx.session.scalar(sa.select(sa.func.count(OutboxMessage.id)).where(
        OutboxMessage.kind == "interview.invitation", OutboxMessage.related_id == promoted.id)) == 1


def test_the_database_refuses_an_overfull_slot(world, ctx):
    session = _stream(world)
    slot = session.slots[0]
    ctx.session.execute(sa.update(Slot).where(Slot.id == slot.id).values(booked=slot.invite_cap))
    ctx.session.commit()
    with pytest.raises(sa.exc.IntegrityError):
        ctx.session.execute(sa.update(Slot).where(Slot.id == slot.id).values(booked=Slot.booked + 1))
        ctx.session.flush()
    ctx.session.rollback()


def test_invitation_carries_ics_and_reminders(world, ctx):
    session = _stream(world)
    result = bookings.book(session, [(world["apps"][0].id, 1)], None, world["recruiter"])
    ctx.session.commit()
    booking = result.invited[0]
    invitation = ctx.session.scalar(sa.select(OutboxMessage).where(OutboxMessage.kind == "interview.invitation"))
    assert invitation.recipient == "c0@x.test" and "/b/" in invitation.body
    import base64

    calendar = Calendar.from_ical(base64.b64decode(invitation.attachments[0]["data"]))
    assert str(calendar["method"]) == "REQUEST"
    (event,) = calendar.walk("VEVENT")
    assert str(event["uid"]) == f"booking-{booking.id}@recruit" and int(event["sequence"]) == 0
    assert event.decoded("dtstart") == session.slots[1].starts_at
    reminders = ctx.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.kind.startswith(
        "interview.reminder"))).all()
    assert sorted(m.next_attempt_at for m in reminders) == [session.slots[1].starts_at - timedelta(hours=h)
                                                           for h in (24, 2)]
    assert all(m.status == "queued" for m in reminders)  # not due yet
    # rescheduling sends an update with a higher SEQUENCE and moves the reminders
    target = session.slots[3]
    bookings.reschedule(booking, target.id)
    ctx.session.commit()
    update = ctx.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.kind == "interview.invitation")
                                 .order_by(OutboxMessage.id.desc())).first()
    (event,) = Calendar.from_ical(base64.b64decode(update.attachments[0]["data"])).walk("VEVENT")
    assert int(event["sequence"]) == 1 and event.decoded("dtstart") == target.starts_at
    live = ctx.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.kind.startswith("interview.reminder"),
                                                              OutboxMessage.status == "queued")).all()
    assert sorted(m.next_attempt_at for m in live) == [target.starts_at - timedelta(hours=h) for h in (24, 2)]
    assert [s.booked for s in session.slots] == [0, 0, 0, 1]
    bookings.cancel(booking, world["recruiter"], "The position is filled.")
    ctx.session.commit()
    cancel = ctx.session.scalar(sa.select(OutboxMessage).where(OutboxMessage.kind == "interview.cancel"))
    calendar = Calendar.from_ical(base64.b64decode(cancel.attachments[0]["data"]))
    assert str(calendar["method"]) == "CANCEL" and int(calendar.walk("VEVENT")[0]["sequence"]) == 2
    assert not ctx.session.scalars(sa.select(OutboxMessage).where(
        OutboxMessage.kind.startswith("interview.reminder"), OutboxMessage.status == "queued")).all()


def test_signed_links(world, ctx, clean_app, monkeypatch):
    session = _stream(world)
    result = bookings.book(session, [(world["apps"][0].id, 0), (world["apps"][1].id, 0)], None, world["recruiter"])
    ctx.session.commit()
    a, b = result.invited[0], result.invited[1]
    token = links.booking_token(a)
    assert links.booking_from_token(token) is a
    payload, signature = token.rsplit(".", 1)
    tampered = payload + "." + ("B" if signature[0] == "A" else "A") + signature[1:]  # the last character
    assert links.booking_from_token(tampered) is None  # of a signature may carry unused bits: change the first
    forged = links._serializer().loads(links.booking_token(b))
    assert forged["b"] == b.id and links.booking_from_token(token) is not b  # each link names its own booking
    a.token_version += 1
    ctx.session.commit()
    assert links.booking_from_token(token) is None  # replaced by a newer link
    token_b = links.booking_token(b)
    monkeypatch.setattr(links, "LINK_MAX_AGE", -1)
    assert links.booking_from_token(token_b) is None  # past its age
    monkeypatch.undo()
    assert links.booking_from_token(token_b) is b
    session.starts_at, session.ends_at = utcnow() - timedelta(hours=5), utcnow() - timedelta(hours=2)
    ctx.session.commit()
    assert links.booking_from_token(token_b) is None  # the day is over


def test_check_in_no_show_and_the_model_learns(world, ctx):
    session = _stream(world)
    result = bookings.book(session, [(world["apps"][n].id, n % 4) for n in range(8)], [0, 0, 0, 0], world["recruiter"])
    ctx.session.commit()
    assert len(result.invited) == 8 and not result.waitlisted  # the plan raises each slot's cap to two
    came = result.invited[0]
    desk.check_in(came, world["recruiter"])
    assert came.application.stage == "interviewed"
    with pytest.raises(errors.InterviewError):
        desk.check_in(came, world["recruiter"])
    desk.send_in(came, world["anna"].id, world["recruiter"])
    card = desk.record_scorecard(came, world["anna"], motivation=5, competence=4, adequacy=4, note="Strong",
                               next_stage="role_play")
    assert card.id and came.application.stage == "role_play"
    with pytest.raises(errors.InterviewError, match="1 to 5"):
        desk.record_scorecard(came, world["anna"], motivation=6, competence=4, adequacy=4)
    ctx.session.commit()
    before = planning.current_model().overall
    later = session.ends_at + timedelta(hours=2)
    assert tasks.mark_no_shows(now=later) == 7
    ctx.session.commit()
    states = sorted(b.state for b in ctx.session.scalars(sa.select(Booking).where(Booking.session_id == session.id)))
    assert states == ["arrived"] + ["no_show"] * 7
    after = planning.current_model().overall
    assert (before.outcomes, after.outcomes) == (1, 8)  # the check-in counted at once
    assert after.mean < before.mean  # 1 of 8 came: the rate learned drops
    assert planning.calibration() is not None


def test_stale_snapshot_plans_never_overfill(world, ctx):
    session = _stream(world)
    stale_base = [0, 0, 0, 0]
    first = bookings.book(session, [(world["apps"][n].id, 2) for n in range(5)], stale_base, world["recruiter"])
    second = bookings.book(session, [(world["apps"][n].id, 2) for n in range(5, 10)], stale_base, world["recruiter"])
    ctx.session.commit()
    assert len(first.invited) == 5 and len(second.invited) == 0 and len(second.waitlisted) == 5
    assert ctx.session.get(Slot, session.slots[2].id).booked == 5


def test_interviewer_hours_change_slot_capacity(world, ctx):
    session = _stream(world)
    assert [s.capacity for s in session.slots] == [1, 1, 2, 2]
    sessions.set_interviewer_hours(session, world["boris"].id, time(10), time(12), world["recruiter"])
    assert [s.capacity for s in session.slots] == [2, 2, 2, 2]
    sessions.set_interviewer_hours(session, world["anna"].id, None, None, world["recruiter"])
    assert [s.capacity for s in session.slots] == [1, 1, 1, 1]
    with pytest.raises(errors.InterviewError, match="at least one interviewer"):
        sessions.set_interviewer_hours(session, world["boris"].id, None, None, world["recruiter"])
    other = _stream(world, title="Other", start=time(11, 30), end=time(13),
                    interviewers=[sessions.InterviewerHours(world["anna"].id)])  # Anna is free again
    with pytest.raises(errors.InterviewError, match="already interviews"):
        sessions.set_interviewer_hours(other, world["boris"].id, time(11, 30), time(13), world["recruiter"])
    with pytest.raises(errors.InterviewError, match="active staff"):
        sessions.set_interviewer_hours(session, world["recruiter"].id + 999, time(10), time(11), world["recruiter"])
