"""The receptionist's front desk, on the interviews blueprint: the day's
screen, its polled state, and the taps (check-in and its undo, sending in)."""

from __future__ import annotations

from flask import (
    flash,
    get_template_attribute,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

from recruit.auth.permissions import allow, ensure, load
from recruit.extensions import commit_keeping_what_was_read, db
from recruit.interviews import desk as front_desk
from recruit.interviews import sessions as days
from recruit.interviews.blueprint import bp
from recruit.interviews.errors import InterviewerBusyError, InterviewError
from recruit.interviews.models import Booking, InterviewSession
from recruit.organisation.services import local_now
from recruit.web import db_int

# --- the front desk ------------------------------------------------------------------

@bp.route("/reception")
@allow("admin", "recruiter", "receptionist")
def reception():
    today = local_now().date()
    sessions = days.upcoming_sessions(day=today, include_past_days=1)
    if len(sessions) == 1:
        return redirect(url_for("interviews.desk", session_id=sessions[0].id))
    return render_template("interviews/reception.html", sessions=sessions, today=today)


def _desk_urls() -> dict[str, str]:
    """The rows' form actions as patterns (`% booking_id`): url_for once per page, not once per row."""
    return {name: url_for(f"interviews.{name}", booking_id=_PLACEHOLDER).replace(str(_PLACEHOLDER), "%d")
            for name in ("check_in", "undo_check_in", "send_in")}


_PLACEHOLDER = 987654321


def _desk_page(template: str, session: InterviewSession, snapshot: dict, notice: str | None = None,
               question: InterviewerBusyError | None = None) -> str:
    return render_template(template, session=session, snapshot=snapshot, notice=notice, urls=_desk_urls(),
                           csrf=generate_csrf(), question=question)


def _desk_delta(session: InterviewSession, since: int) -> dict:
    """The screen's delta as JSON: each changed row rendered once, and the small regions."""
    return _desk_answer(front_desk.day_changes(session, since), since)


def _desk_answer(changes: dict, since: int) -> dict:
    urls, csrf = _desk_urls(), generate_csrf()
    row = get_template_attribute("interviews/_desk_row.html", "desk_row")
    rows = [{"id": r["id"], "slot": r["slot"], "rank": r["rank"], "html": "" if r["gone"] else str(row(r, urls, csrf))}
            for r in changes["rows"]]
    regions = {name: render_template(f"interviews/_desk_{name}.html", snapshot=changes, urls=urls, csrf=csrf)
               for name in ("counts", "waiting", "interviewers")}
    return {"version": changes["version"], "since": since, "rows": rows, "regions": regions,
            "shown": changes["shown"], "counts": changes["counts"],
            "announce": " ".join(front_desk.announcements(changes["rows"])) if since < changes["version"] else ""}


def _since() -> int | None:
    raw = request.args.get("since") or request.headers.get("X-Desk-Version") or ""
    return int(raw) if raw.isdigit() and len(raw) < 12 else None


@bp.route("/reception/<int:session_id>")
@allow("admin", "recruiter", "receptionist")
def desk(session_id: int):
    """The day's screen; `q` finds an arrival by name or phone, and `send` with
    `to` asks whether to send an arrival to a busy interviewer (where a
    refused send-in brings a screen without its script)."""
    _day = days.day_with_slots(session_id)  # held: `load` finds it in the session
    session = load(InterviewSession, session_id, "interview_session.front_desk")
    snapshot = front_desk.day_snapshot(session, find=request.args.get("q", "")[:100])
    if request.args.get("partial"):
        return _desk_page("interviews/_desk_regions.html", session, snapshot)
    send, to = request.args.get("send", 0, type=db_int), request.args.get("to", 0, type=db_int)
    question = front_desk.send_in_question(session, send, to) if send and to else None
    return _desk_page("interviews/desk.html", session, snapshot, question=question)


@bp.route("/reception/<int:session_id>/state.json")
@allow("admin", "recruiter", "receptionist")
def desk_state(session_id: int):
    """The day as data; with `?since=<version>`, only what changed since (the screen's refresh)."""
    since = _since()
    # held: `load` finds it in the session; the delta needs the day's row alone
    _day = days.day_with_slots(session_id) if since is None else front_desk.desk_day(session_id)
    session = load(InterviewSession, session_id, "interview_session.front_desk")
    if since is not None:
        return jsonify(_desk_delta(session, since))
    return jsonify(front_desk.day_snapshot(session))


def _desk_action(booking_id: int, action, *, moves_application: bool = False):
    _booking = front_desk.desk_booking(booking_id, with_application=moves_application)  # held: `load` finds it
    booking = load(Booking, booking_id)
    session_id, day = booking.session_id, booking.session  # the day as desk_booking read it, kept for the answer
    ensure("interview_session.front_desk", booking.session)
    as_data = request.accept_mimetypes.best == "application/json"
    since = _since()
    notice, changes, question = None, None, None
    try:
        action(booking)
        db.session.flush()
        if as_data:
            # what changed: since the version the screen shows (its script says which), else this change alone;
            # read in the change's own transaction (after the commit it would take a connection again)
            changed_at = booking.desk_version  # the day's version this change was given
            since = changed_at - 1 if since is None else since
            changes = front_desk.day_changes(day, since, version=changed_at)
    except InterviewError as exc:
        db.session.rollback()
        notice = str(exc)
        question = exc if isinstance(exc, InterviewerBusyError) else None
    else:
        commit_keeping_what_was_read()
    if question is not None and not as_data and request.headers.get("X-Requested-With") != "fetch":
        # without the script: the screen asks, on a page of its own address (a reload asks again, sends nothing)
        return redirect(url_for("interviews.desk", session_id=session_id, send=question.booking_id,
                                to=question.interviewer_id, _anchor="desk-question"))
    if as_data:
        if notice:
            day = front_desk.desk_day(session_id)
            since = day.desk_version if since is None else since
            changes = front_desk.day_changes(day, since)
        body = _desk_answer(changes, since)
        if notice:
            body["error"] = {"status": 409, "message": notice}
        if question is not None:  # asked in the page, not shown as a refusal
            body["question"] = render_template("interviews/_desk_question.html", question=question,
                                               urls=_desk_urls(), csrf=generate_csrf(), session=day)
            body["error"]["busy"] = True
        return jsonify(body), 409 if notice else 200
    if request.headers.get("X-Requested-With") == "fetch":  # the screen updates in place, the refusal with it
        session = days.day_with_slots(session_id)
        return _desk_page("interviews/_desk_regions.html", session, front_desk.day_snapshot(session), notice)
    if notice:
        flash(notice, "error")
    return redirect(url_for("interviews.desk", session_id=session_id))


@bp.route("/bookings/<int:booking_id>/check-in", methods=["POST"])
@allow("admin", "recruiter", "receptionist")
def check_in(booking_id: int):
    return _desk_action(booking_id, lambda b: front_desk.check_in(b, current_user), moves_application=True)


@bp.route("/bookings/<int:booking_id>/undo-check-in", methods=["POST"])
@allow("admin", "recruiter", "receptionist")
def undo_check_in(booking_id: int):
    return _desk_action(booking_id, lambda b: front_desk.undo_check_in(b, current_user))


@bp.route("/bookings/<int:booking_id>/send-in", methods=["POST"])
@allow("admin", "recruiter", "receptionist")
def send_in(booking_id: int):
    """Sends an arrival in; to an interviewer still with someone only with
    `ending`, the booking whose interview the receptionist agreed to end."""
    interviewer = request.form.get("interviewer_id", 0, type=db_int)
    ending = request.form.get("ending", 0, type=db_int) or None
    return _desk_action(booking_id, lambda b: front_desk.send_in(b, interviewer, current_user, ending=ending))
