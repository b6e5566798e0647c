"""The invitation carries its calendar file and schedules its reminders."""

from datetime import timedelta

import pytest
import sqlalchemy as sa
from icalendar import Calendar

from recruit.interviews import bookings
from recruit.mail import OutboxMessage
from tests.worlds.interview_day import stream

pytestmark = pytest.mark.pg


def test_invitation_carries_ics_and_reminders(world, ctx):
    session = stream(world)
    result = bookings.book(session, [(world["apps"][0].id, 1)], None, world["recruiter"])
    ctx.session.commit()
    booking = result.invited[0]
    invitation = ctx.session.scalar(sa.select(OutboxMessage).where(OutboxMessage.kind == "interview.invitation"))
    assert invitation.recipient == "c0@x.test" and "/b/" in invitation.body
    import base64

    calendar = Calendar.from_ical(base64.b64decode(invitation.attachments[0]["data"]))
    assert str(calendar["method"]) == "REQUEST"
    (event,) = calendar.walk("VEVENT")
    assert str(event["uid"]) == f"booking-{booking.id}@recruit.test" and int(event["sequence"]) == 0
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
