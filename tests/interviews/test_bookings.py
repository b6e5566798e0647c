"""Bookings: caps and the waiting list, and the database's own refusal of an
overfull slot."""

import pytest
import sqlalchemy as sa

from recruit.interviews import bookings, planning
from recruit.interviews.models import Booking, Slot
from recruit.mail import OutboxMessage
from recruit.vacancies.models import Application
from tests.worlds.interview_day import stream

pytestmark = pytest.mark.pg


def test_plan_and_book_with_caps_and_waitlist(world, ctx):
    session = stream(world)
    proposal = planning.propose(session, world["apps"], 4)  # "mostly keep waits short": some stay uninvited
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
    session = stream(world)
    slot = session.slots[0]
    ctx.session.execute(sa.update(Slot).where(Slot.id == slot.id).values(booked=slot.invite_cap))
    ctx.session.commit()
    with pytest.raises(sa.exc.IntegrityError):
        ctx.session.execute(sa.update(Slot).where(Slot.id == slot.id).values(booked=Slot.booked + 1))
        ctx.session.flush()
    ctx.session.rollback()
