"""Who waits how long at the desk: an arrival early for their slot waits from
the slot's start, not from the moment they came; the screen's refresh (which
reads the slots' times with its rows, not the day's slots) says the same as
the whole screen."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from recruit.extensions import db
from recruit.interviews import desk
from recruit.interviews.models import Booking, InterviewSession, Slot
from tests.worlds import busy_day


def test_an_early_arrival_waits_from_their_slots_start_on_the_screen_and_in_its_refresh(clean_app):
    ids = busy_day.build(clean_app, 8)
    with clean_app.test_request_context("/"):
        day = db.session.get(InterviewSession, ids["session"])
        early = db.session.get(Booking, ids["arrived"][0])  # checked in two days before the day
        slot = db.session.get(Slot, early.slot_id)
        now = slot.starts_at + timedelta(minutes=25)

        whole = desk.day_snapshot(day, now=now)
        refresh = desk.day_changes(desk.desk_day(day.id), since=0, now=now)

        waits = {row["id"]: row["waiting_minutes"] for row in whole["waiting"]}
        assert waits[early.id] == 25
        assert refresh["waiting"] == whole["waiting"]
        assert refresh["interviewers"] == whole["interviewers"]
        assert refresh["counts"] == whole["counts"] and refresh["shown"] == whole["shown"]
        changed = {row["id"]: row for row in refresh["rows"]}
        assert changed[early.id]["waiting_minutes"] == 25 and not changed[early.id]["gone"]

        # moved to a later slot, they wait from that slot's start
        later = db.session.scalar(sa.select(Slot).where(Slot.session_id == day.id, Slot.index == slot.index + 2))
        early.slot_id = later.id
        db.session.flush()
        moved = desk.day_changes(desk.desk_day(day.id), since=0, now=later.starts_at + timedelta(minutes=7))
        assert {row["id"]: row["waiting_minutes"] for row in moved["waiting"]}[early.id] == 7
        db.session.rollback()
