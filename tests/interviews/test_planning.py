"""The plan: a group sitting overbooked from the learned rate, and a plan from
a stale picture never overfills."""



import pytest

from recruit.interviews import bookings
from recruit.interviews.models import Slot
from tests.worlds.interview_day import stream

pytestmark = pytest.mark.pg


def test_group_sitting_is_overbooked_from_the_learned_rate(world):
    session = stream(world, kind="group", seats=4, slot_minutes=0)
    (slot,) = session.slots
    assert slot.capacity == 4 and slot.invite_cap > 4  # 1 in 5 shows: invite more than the seats


def test_stale_snapshot_plans_never_overfill(world, ctx):
    session = stream(world)
    stale_base = [0, 0, 0, 0]
    first = bookings.book(session, [(world["apps"][n].id, 2) for n in range(5)], stale_base, world["recruiter"])
    second = bookings.book(session, [(world["apps"][n].id, 2) for n in range(5, 10)], stale_base, world["recruiter"])
    ctx.session.commit()
    assert len(first.invited) == 5 and len(second.invited) == 0 and len(second.waitlisted) == 5
    assert ctx.session.get(Slot, session.slots[2].id).booked == 5
