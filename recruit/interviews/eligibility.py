"""Who can be invited to an interview day, and why the others cannot: the
vacancy must be open and the day's, the candidate still in its pipeline,
not booked already, and reachable by e-mail for the invitation."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from recruit.extensions import db
from recruit.interviews.models import LIVE_STATES, Booking, InterviewSession
from recruit.vacancies.pipeline import CLOSED

Planned = Any  # an Application, or the planner's TickedApplication of the same shape


def _why_not(application: Planned, session: InterviewSession, live: set[int]) -> str | None:
    """Why this candidate cannot be invited to the day, as a code; None when they can."""
    if application.vacancy.state != "open":
        return "vacancy_closed"
    if session.vacancy_id and application.vacancy_id != session.vacancy_id:
        return "other_vacancy"
    if application.stage in CLOSED or application.stage == "hired":
        return "left_pipeline"
    if application.candidate_id in live:
        return "booked"
    if not (application.candidate.email or "").strip():
        return "no_email"
    return None


def _live(applications: Sequence[Planned], live: set[int] | None) -> set[int]:
    if live is not None:
        return live
    return set(db.session.scalars(sa.select(Booking.candidate_id).where(
        Booking.candidate_id.in_([a.candidate_id for a in applications]), Booking.state.in_(LIVE_STATES))))


def eligible(applications: Sequence[Planned], session: InterviewSession,
             live: set[int] | None = None) -> tuple[list[Planned], list[str]]:
    """Who can be invited, and why each other one cannot (a sentence per
    person); `live`: the candidates already holding a live booking, when the
    caller read them with the list."""
    live = _live(applications, live)
    ok, problems = [], []
    for application in applications:
        why = _why_not(application, session, live)
        name = application.candidate.full_name
        if why is None:
            ok.append(application)
        elif why == "vacancy_closed":
            problems.append(_("%(name)s: the vacancy is not open.", name=name))
        elif why == "other_vacancy":
            problems.append(_("%(name)s applied for another vacancy.", name=name))
        elif why == "left_pipeline":
            problems.append(_("%(name)s is no longer in the pipeline.", name=name))
        elif why == "booked":
            problems.append(_("%(name)s already has an interview booked.", name=name))
        else:
            problems.append(_("%(name)s has no e-mail for the invitation.", name=name))
    return ok, problems


LEFT_OUT = {"vacancy_closed": _l("The vacancy is not open"), "other_vacancy": _l("Applied for another vacancy"),
            "left_pipeline": _l("No longer in the pipeline"), "booked": _l("Already has an interview booked"),
            "no_email": _l("No e-mail for the invitation")}


def left_out(applications: Sequence[Planned], session: InterviewSession,
             live: set[int] | None = None) -> tuple[list[Planned], dict[str, list[str]]]:
    """Who can be invited, and everyone else by the reason: the planner's
    page names them all, grouped, however many were ticked."""
    live = _live(applications, live)
    ok: list[Planned] = []
    groups: dict[str, list[str]] = {}
    for application in applications:
        why = _why_not(application, session, live)
        if why is None:
            ok.append(application)
        else:
            groups.setdefault(str(LEFT_OUT[why]), []).append(application.candidate.full_name)
    return ok, groups
