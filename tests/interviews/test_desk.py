"""The front desk: check-in, no-shows, and the model learning from arrivals."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from recruit.interviews import bookings, desk, errors, planning, scorecards, tasks
from recruit.interviews.models import Booking
from tests.worlds.interview_day import stream

pytestmark = pytest.mark.pg


def test_check_in_no_show_and_the_model_learns(world, ctx):
    session = stream(world)
    result = bookings.book(session, [(world["apps"][n].id, n % 4) for n in range(8)], [0, 0, 0, 0], world["recruiter"])
    ctx.session.commit()
    assert len(result.invited) == 8 and not result.waitlisted  # the plan raises each slot's cap to two
    came = result.invited[0]
    desk.check_in(came, world["recruiter"])
    assert came.application.stage == "interviewed"
    with pytest.raises(errors.InterviewError):
        desk.check_in(came, world["recruiter"])
    desk.send_in(came, world["anna"].id, world["recruiter"])
    card = scorecards.record_scorecard(came, world["anna"], motivation=5, competence=4, adequacy=4, note="Strong",
                               next_stage="role_play")
    assert card.id and came.application.stage == "role_play"
    with pytest.raises(errors.InterviewError, match="1 to 5"):
        scorecards.record_scorecard(came, world["anna"], motivation=6, competence=4, adequacy=4)
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
