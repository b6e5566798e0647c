"""An interview day some days ahead, and a stream day of two interviewers
with their own hours, for the interviews' service tests (their `world` is
in tests/interviews/conftest.py)."""

from datetime import time, timedelta

from recruit.interviews import sessions
from recruit.organisation import services as org


def days_ahead(days=3):
    return (org.local_now() + timedelta(days=days)).date()


def stream(world, **kw):
    args = dict(kind="stream", title="Stream day", vacancy=world["vacancy"], day=days_ahead(), start=time(10),
                end=time(12), slot_minutes=30, place="Office, room 5", directions="Metro Park, exit 2",
                interviewers=[sessions.InterviewerHours(world["anna"].id),
                              sessions.InterviewerHours(world["boris"].id, time(11))],
                created_by=world["recruiter"])
    args.update(kw)
    return sessions.create_session(**args)
