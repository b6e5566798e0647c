"""Who sees and runs which interview day."""

from __future__ import annotations

from recruit.auth.permissions import policy

PLANNERS = ("admin", "recruiter")


def interviews_in(user, session) -> bool:
    return any(i.user_id == user.id for i in session.interviewers)


@policy("interview_session.view")
def _view(user, session) -> bool:
    return user.has_role(*PLANNERS, "receptionist") or interviews_in(user, session)


@policy("interview_session.plan")
def _plan(user, session) -> bool:
    return user.has_role(*PLANNERS) and session.cancelled_at is None


@policy("interview_session.front_desk")
def _front_desk(user, session) -> bool:
    return user.has_role(*PLANNERS, "receptionist")


@policy("interview_session.call_round")
def _call_round(user, session) -> bool:
    """The day-before calls: those who plan days, as they see candidates' numbers."""
    return user.has_role(*PLANNERS)


@policy("booking.score")
def _score(user, booking) -> bool:
    return user.has_role("admin") or interviews_in(user, booking.session)


@policy("interview_kit.edit")
def _kit_edit(user, vacancy) -> bool:
    """The recruiters and the manager who asked for the vacancy agree on what is judged."""
    if vacancy.state in ("filled", "cancelled"):
        return False
    return user.has_role(*PLANNERS) or vacancy.requested_by_id == user.id


@policy("interview_session.decide")
def _decide(user, session) -> bool:
    return user.has_role(*PLANNERS)
