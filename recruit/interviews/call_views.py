"""The call round before an interview day: the day's call list on a
recruiter's phone and the one-tap record of each call. Routes on the
interviews blueprint (views.py). Views parse input, call a service, render."""

from __future__ import annotations

import secrets
from datetime import datetime, time

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from recruit.auth.permissions import allow, ensure, load
from recruit.dates import at_minute, reader_zone
from recruit.interviews import calls
from recruit.interviews.blueprint import bp
from recruit.interviews.forms import CallForm
from recruit.interviews.models import Booking, InterviewSession
from recruit.interviews.policies import PLANNERS
from recruit.web import commit_or_flash

SHOWN = ("all", "to_call")


def _new_tap() -> str:
    """A form's one-time mark: the same mark twice is the same call."""
    return secrets.token_urlsafe(16)


@bp.route("/interviews/<int:session_id>/calls")
@allow(*PLANNERS)
def call_list(session_id: int):
    session = load(InterviewSession, session_id, "interview_session.call_round")
    rows = calls.call_list(session)
    shown = request.args.get("show", "all")
    shown = shown if shown in SHOWN else "all"
    return render_template("interviews/calls.html", session=session, progress=calls.progress(rows),
                           rows=[r for r in rows if r.to_call] if shown == "to_call" else rows, shown=shown,
                           new_tap=_new_tap)


def _call_back_at(raw: str) -> datetime | None:
    """"18:30" as the next 18:30 on the caller's clock."""
    if not raw:
        return None
    hours, minutes = (int(part) for part in raw.split(":"))
    if not (0 <= hours < 24 and 0 <= minutes < 60):
        raise ValueError(_("Times look like 13:30."))
    return calls.call_back_moment(time(hours, minutes), datetime.now(reader_zone()))


@bp.route("/bookings/<int:booking_id>/calls", methods=["POST"])
@allow(*PLANNERS)
def record_call(booking_id: int):
    booking = load(Booking, booking_id)
    ensure("interview_session.call_round", booking.session)
    shown = request.form.get("show", "all")
    back = url_for("interviews.call_list", session_id=booking.session_id,
                   **({"show": "to_call"} if shown == "to_call" else {})) + f"#call-{booking.id}"
    form = CallForm()
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for message in errors:
                flash(message, "error")
        return redirect(back)
    try:
        call_back_at = _call_back_at(form.call_back.data or "") if form.outcome.data == "call_back" else None
    except ValueError as exc:
        flash(str(exc), "error")
        return redirect(back)
    name = booking.candidate.full_name
    done = {"confirmed": _("%(name)s: confirmed by phone.", name=name),
            "declined": _("%(name)s: declined; the seat goes to the waiting list.", name=name),
            "no_answer": _("%(name)s: no answer.", name=name),
            "call_back": _("%(name)s: call back at %(when)s.", name=name,
                           when=at_minute(call_back_at) if call_back_at else "")}
    commit_or_flash(lambda: calls.record_call(
        booking, form.outcome.data, current_user, tap=form.tap.data or "", seen=form.seen.data or 0,
        note=form.note.data or "", call_back_at=call_back_at), done[form.outcome.data])
    return redirect(back)
