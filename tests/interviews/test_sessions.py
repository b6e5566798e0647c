"""Creating interview days: slots follow the interviewers' hours, bad days are
refused, an interviewer is never in two days at once."""

from datetime import date, time

import pytest
import sqlalchemy as sa

from recruit.interviews import errors, sessions
from recruit.mail import OutboxMessage
from recruit.organisation import services as org
from tests.worlds.interview_day import stream

pytestmark = pytest.mark.pg


def test_stream_day_slots_follow_interviewers_hours(world, ctx):
    session = stream(world)
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
        stream(world, **change)


def test_an_interviewer_is_never_in_two_sessions_at_once(world):
    stream(world)
    with pytest.raises(errors.InterviewError, match="already interviews"):
        stream(world, title="Clash", start=time(11, 30), end=time(13),
                interviewers=[sessions.InterviewerHours(world["anna"].id)])
    later = stream(world, title="Afternoon", start=time(12), end=time(13),
                    interviewers=[sessions.InterviewerHours(world["anna"].id)])
    assert later.id


def test_interviewer_hours_change_slot_capacity(world, ctx):
    session = stream(world)
    assert [s.capacity for s in session.slots] == [1, 1, 2, 2]
    sessions.set_interviewer_hours(session, world["boris"].id, time(10), time(12), world["recruiter"])
    assert [s.capacity for s in session.slots] == [2, 2, 2, 2]
    sessions.set_interviewer_hours(session, world["anna"].id, None, None, world["recruiter"], remove=True)
    assert [s.capacity for s in session.slots] == [1, 1, 1, 1]
    with pytest.raises(errors.InterviewError, match="at least one interviewer"):
        sessions.set_interviewer_hours(session, world["boris"].id, None, None, world["recruiter"], remove=True)
    other = stream(world, title="Other", start=time(11, 30), end=time(13),
                    interviewers=[sessions.InterviewerHours(world["anna"].id)])  # Anna is free again
    with pytest.raises(errors.InterviewError, match="already interviews"):
        sessions.set_interviewer_hours(other, world["boris"].id, time(11, 30), time(13), world["recruiter"])
    with pytest.raises(errors.InterviewError, match="active staff"):
        sessions.set_interviewer_hours(session, world["recruiter"].id + 999, time(10), time(11), world["recruiter"])
