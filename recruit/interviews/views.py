"""Interview days: planning and sending invitations, the candidate's signed
link, the receptionist's screen, the interviewer's list and scorecard, the
show-rate model and reports. The day-before call round is call_views.py."""

from __future__ import annotations

from datetime import time, timedelta

from flask import (
    abort,
    flash,
    g,
    get_template_attribute,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext, refresh
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

from recruit.auth.permissions import allow, can, ensure, load, public
from recruit.exports import csv_download
from recruit.extensions import commit_keeping_what_was_read, db
from recruit.i18n import asked_in_url
from recruit.interviews import (
    bookings,
    call_views,  # noqa: F401  (the call round's routes)
    calls,
    formats,
    hiring_report,
    links,
    notifications,
    picker,
    planning,
    preferences,
    proposals,
    report_tables,
    reports,
    scorecard_reminders,
)
from recruit.interviews import desk as front_desk
from recruit.interviews import sessions as days
from recruit.interviews.blueprint import bp
from recruit.interviews.errors import InterviewerBusyError, InterviewError
from recruit.interviews.forms import ReportFilterForm, SessionForm
from recruit.interviews.labels import PLANNING_PREFERENCE
from recruit.interviews.models import Booking, InterviewSession
from recruit.interviews.pace import PACE_WINDOW_WEEKS, SCORECARD_TARGET
from recruit.organisation.services import local_now
from recruit.vacancies import bulk, channels
from recruit.vacancies.models import Vacancy
from recruit.web import commit_or_flash, db_int

STAFF_ROLES = ("admin", "recruiter", "receptionist", "hiring_manager", "mentor")


@bp.context_processor
def _formats() -> dict:
    """The feature's own ways of writing figures, for its pages."""
    return {"percent": formats.percent, "years_of_experience": formats.years_of_experience}


@bp.route("/interviews")
@allow(*STAFF_ROLES)
def index():
    everything = current_user.has_role("admin", "recruiter", "receptionist")
    sessions = days.upcoming_sessions(interviewer=None if everything else current_user)
    return render_template("interviews/index.html", sessions=sessions,
                           tomorrow=local_now().date() + timedelta(days=1))


def _session_form() -> SessionForm:
    form = SessionForm()
    form.vacancy_id.choices = [(0, _("Any open vacancy"))] + [(v.id, v.title) for v in days.open_vacancies()]
    form.interviewers.choices = [(u.id, u.full_name) for u in days.possible_interviewers()]
    form.receptionist_id.choices = [(0, _("None"))] + [(u.id, u.full_name) for u in days.possible_receptionists()]
    return form


@bp.route("/interviews/new", methods=["GET", "POST"])
@allow("admin", "recruiter")
def new():
    form = _session_form()
    if request.method == "GET":
        form.vacancy_id.data = request.args.get("vacancy", 0, type=db_int)
        form.day.data = local_now().date()
    if form.validate_on_submit() and (planned := commit_or_flash(
            lambda: days.create_session(
                kind=form.kind.data, title=form.title.data or "",
                vacancy=days.chosen_vacancy(form.vacancy_id.data),
                day=form.day.data, start=form.start.data, end=form.end.data,
                slot_minutes=form.slot_minutes.data or 30, seats=form.seats.data or 0, place=form.place.data or "",
                directions=form.directions.data or "", video_link=form.video_link.data or "",
                receptionist_id=form.receptionist_id.data or None,
                interviewers=[days.InterviewerHours(uid) for uid in form.interviewers.data], created_by=current_user),
            _("The interview day is planned; the interviewers have their calendar invitations."))):
        return redirect(url_for("interviews.detail", session_id=planned.value.id))
    return render_template("interviews/new.html", form=form)


@bp.route("/interviews/<int:session_id>")
@allow(*STAFF_ROLES)
def detail(session_id: int):
    session = load(InterviewSession, session_id, "interview_session.view")
    bookings = days.bookings_of(session)
    plans = can("interview_session.plan", session)
    calling = can("interview_session.call_round", session) and session.cancelled_at is None
    return render_template("interviews/detail.html", session=session, by_slot=days.bookings_by_slot(bookings),
                           picker=picker.picker(session, picker.PickerFilter(
                               request.args.get("vacancy", 0, type=db_int) or None,
                               request.args.get("stage") or None,
                               request.args.get("batch", 0, type=db_int) or None)) if plans else None,
                           staff=days.possible_interviewers() if plans else [], counts=days.state_counts(bookings),
                           call_round=calls.progress(calls.call_list(session)) if calling else None,
                           eve=session.day == local_now().date() + timedelta(days=1))


@bp.route("/interviews/<int:session_id>/plan")
@allow("admin", "recruiter")
def plan(session_id: int):
    _day = days.day_to_plan(session_id)  # held: `load` finds it in the session
    session = load(InterviewSession, session_id, "interview_session.plan")
    ids = request.args.getlist("a", type=db_int)
    if batch := request.args.get("batch", 0, type=db_int):  # a whole import, by its id (too many for a link)
        ids = bulk.batch_application_ids(batch, session.vacancy_id)
    if not ids:
        flash(_("Select the candidates to invite first."), "info")
        return redirect(url_for("interviews.detail", session_id=session.id))
    applications, live = planning.ticked_with_bookings(ids)
    ok, problems = planning.eligible(applications, session, live)
    for problem in problems[:10]:
        flash(problem, "info")
    if not ok:
        return redirect(url_for("interviews.detail", session_id=session.id))
    try:
        proposal = planning.propose(session, ok, preferences.valid(request.args.get("preference")))
    except InterviewError as exc:
        flash(str(exc), "error")
        return redirect(url_for("interviews.detail", session_id=session.id))
    picture = planning.sign(session, proposal.base, proposal.planned)
    return _plan_page(session, ok, proposal.assignment, {}, proposal.probabilities, proposal.metrics, picture,
                      proposal.preference, proposal.held, proposal.future, beyond={}, edited=False, waitlist=())


def _plan_page(session, applications, assignment, choices, probabilities, metrics, picture, preference, held,
               future, *, beyond, edited, waitlist):
    """The planner's page: the day slot by slot, the sentence, the figures and the script's data."""
    views, rest = proposals.slot_views(session, future, held, assignment, applications, probabilities)
    return render_template("interviews/plan.html", session=session, views=views, rest=rest, choices=choices,
                           assignment=assignment, probabilities=probabilities, metrics=metrics, picture=picture,
                           preference=preference, preference_labels=PLANNING_PREFERENCE,
                           explanation=proposals.explanation(views, probabilities, len(rest)),
                           data=proposals.page_data(session, views, held, probabilities, preference),
                           rest_choices=proposals.rest_choices(rest, choices, set(waitlist)),
                           capacity_labels=proposals.capacity_labels(session, views),
                           ids=[a.id for a in applications], beyond=beyond, edited=edited)


def _hand_plan(session, applications) -> tuple[dict[int, int], list[int], dict[int, str]]:
    """The plan as the form sends it: application id -> slot index, the ids
    put on the waiting list, and each row's choice as sent. A form with tick
    boxes (`ticks`) invites only the ticked rows; a form without them (an
    older page) is read by its slot choices alone."""
    slot_count = len(session.slots)
    ticked = set(request.form.getlist("invite", type=db_int)) if request.form.get("ticks") else None
    assignment: dict[int, int] = {}
    waitlist: list[int] = []
    choices: dict[int, str] = {}
    for application in applications:
        raw = request.form.get(f"slot_{application.id}", "")
        choices[application.id] = raw[:4]
        if ticked is not None and application.id not in ticked:
            continue
        if raw == proposals.WAITLIST:
            waitlist.append(application.id)
        elif raw.lstrip("-").isdigit() and 0 <= int(raw) < slot_count:
            assignment[application.id] = int(raw)
    return assignment, waitlist, choices


@bp.route("/interviews/<int:session_id>/book", methods=["POST"])
@allow("admin", "recruiter")
def book(session_id: int):
    session = load(InterviewSession, session_id, "interview_session.plan")
    ids = request.form.getlist("application", type=db_int)
    applications = planning.selected_applications(ids)
    assignment, waitlist, choices = _hand_plan(session, applications)
    preference = planning.chosen_preference(request.form.get("preference"))
    try:
        picture, token = planning.picture_for(session, request.form.get("picture", ""), applications, preference)
        beyond = planning.beyond_plan(picture, assignment)
        if request.form.get("action") == "evaluate" or not (assignment or waitlist):
            if not (assignment or waitlist):
                flash(_("Nobody is assigned to a slot."), "error")
            hand_plan = planning.evaluate_hand_plan(session, applications, assignment, preference)
            return _plan_page(session, applications, assignment, choices, hand_plan.probabilities,
                              hand_plan.metrics, token, preference, planning.held_seats(session),
                              planning.slots_to_come(session), beyond=beyond, edited=True, waitlist=waitlist)
    except InterviewError as exc:
        flash(str(exc), "error")
        return redirect(url_for("interviews.detail", session_id=session.id))
    booked = commit_or_flash(
        lambda: bookings.book(session, sorted(assignment.items(), key=lambda item: item[1]), picture.base, current_user,
                              planned=picture.planned, override_reason=request.form.get("override_reason", "")[:500],
                              waitlist=waitlist))
    if not booked:
        return redirect(url_for("interviews.detail", session_id=session.id))
    result = booked.value
    flash(_("%(invited)s, %(waiting)s.",
            invited=ngettext("%(num)d invited", "%(num)d invited", len(result.invited)),
            waiting=ngettext("%(num)d on the waiting list", "%(num)d on the waiting list", len(result.waitlisted))),
          "success")
    for problem in result.skipped[:10]:
        flash(problem, "info")
    return redirect(url_for("interviews.detail", session_id=session.id))


@bp.route("/interviews/schedule")
@allow("admin", "recruiter")
def schedule():
    """From the pipeline: the selected candidates, and a choice of day."""
    ids = request.args.getlist("a", type=db_int)
    vacancy = load(Vacancy, request.args.get("vacancy", 0, type=db_int), "vacancy.manage_candidates")
    batch = request.args.get("batch", 0, type=db_int)
    if batch:
        ids = bulk.batch_application_ids(batch, vacancy.id)
    if not ids:
        flash(_("Tick the candidates to invite first."), "info")
        return redirect(url_for("vacancies.pipeline", vacancy_id=vacancy.id))
    return render_template("interviews/schedule.html", vacancy=vacancy, ids=ids, batch=batch,
                           sessions=days.days_ahead(vacancy))


@bp.route("/interviews/<int:session_id>/interviewers", methods=["POST"])
@allow("admin", "recruiter")
def interviewer_hours(session_id: int):
    session = load(InterviewSession, session_id, "interview_session.plan")
    remove = request.form.get("action") == "remove"

    def change():
        start = None if remove else _parse_time(request.form.get("start", ""))
        end = None if remove else _parse_time(request.form.get("end", ""))
        days.set_interviewer_hours(session, request.form.get("user_id", 0, type=db_int), start, end, current_user,
                                   remove=remove)

    commit_or_flash(change, _("Interviewers updated; slot capacities follow."))
    return redirect(url_for("interviews.detail", session_id=session.id) + "#interviewers")


def _parse_time(raw: str):
    raw = raw.strip()
    if not raw:
        return None
    try:
        return time.fromisoformat(raw)
    except ValueError as exc:
        raise ValueError(_("Times look like 13:30.")) from exc


@bp.route("/interviews/<int:session_id>/cancel", methods=["POST"])
@allow("admin", "recruiter")
def cancel_session(session_id: int):
    session = load(InterviewSession, session_id, "interview_session.plan")
    bookings.cancel_session(session, current_user, request.form.get("reason", "").strip())
    db.session.commit()
    flash(_("The day is cancelled; candidates and interviewers are told."), "info")
    return redirect(url_for("interviews.index"))


@bp.route("/bookings/<int:booking_id>/cancel", methods=["POST"])
@allow("admin", "recruiter")
def cancel_booking(booking_id: int):
    booking = load(Booking, booking_id)
    ensure("interview_session.plan", booking.session)
    commit_or_flash(lambda: bookings.cancel(booking, current_user, request.form.get("reason", "").strip()),
                    _("Cancelled; the candidate is told and the seat offered to the waiting list."), category="info")
    return redirect(url_for("interviews.detail", session_id=booking.session_id))


# --- the candidate's link ------------------------------------------------------------------

def _speak(code: str) -> None:
    """Render the rest of this request in `code` (the candidate's language)."""
    g.locale = code
    refresh()  # anything looked up before this request knew whose page it is
    g.pop("_translations", None)


@bp.route("/b/<token>", methods=["GET", "POST"])
@public
def respond(token: str):
    """The candidate's own page, in the candidate's language; `?lang=xx` on
    the link changes it, and it is kept for what is sent to them next."""
    booking = links.booking_from_token(token)
    if booking is None:
        known = None if asked_in_url() else links.language_of_token(token)
        if known:  # a link we signed, for a known candidate; otherwise the visitor's language as on any page
            _speak(known)
        return render_template("interviews/link_expired.html"), 410
    asked = asked_in_url()
    if asked and request.method == "GET" and notifications.set_candidate_language(booking, asked):
        db.session.commit()
    _speak(asked or links.candidate_language_of(booking))
    if request.method == "POST":
        action = request.form.get("action")
        if action == "confirm":
            commit_or_flash(lambda: bookings.confirm(booking), _("Thank you: we expect you."))
        elif action == "decline":
            commit_or_flash(lambda: bookings.decline(booking),
                            _("Thank you for telling us. Your place goes to someone else."))
        elif action == "reschedule":
            commit_or_flash(lambda: bookings.reschedule(booking, request.form.get("slot_id", 0, type=db_int)),
                            _("Moved. A new calendar invitation is on its way."))
        elif action == "another_day":
            commit_or_flash(lambda: bookings.choose_another_day(booking, request.form.get("slot_id", 0, type=db_int)),
                            _("You are invited on the day you chose. A calendar invitation is on its way."))
        else:
            abort(400)
        return redirect(url_for("interviews.respond", token=token))
    movable = booking.state in ("invited", "confirmed") or bookings.may_choose_another_day(booking)
    return render_template("interviews/respond.html", booking=booking, token=token,
                           facts=notifications.candidate_facts(booking),
                           free=bookings.free_slots(booking) if movable else [])


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


# --- interviewers ------------------------------------------------------------------------

@bp.route("/my-interviews")
@allow("admin", "recruiter", "hiring_manager", "mentor")
def mine():
    sessions = days.upcoming_sessions(interviewer=current_user, include_past_days=1)
    bookings = {s.id: [b for b in days.bookings_of(s) if b.state in ("invited", "confirmed", "arrived")]
                for s in sessions}
    return render_template("interviews/mine.html", sessions=sessions, bookings=bookings)


# --- the model and reports -----------------------------------------------------------------

@bp.route("/interviews/show-rates")
@allow("admin", "recruiter")
def show_rates():
    return render_template("interviews/show_rates.html", data=reports.show_rate_page(planning.current_model()),
                           brier=planning.calibration())


def _report_filters() -> ReportFilterForm:
    """The reports' filter form read from the GET parameters, its choices filled."""
    form = ReportFilterForm(request.args)
    choices = hiring_report.filter_choices()
    form.vacancy.choices = [("", _("All vacancies")), *choices.vacancies]
    form.interviewer.choices = [("", _("All interviewers")), *choices.interviewers]
    form.channel.choices = [("", _("All channels"))] + [(name, channels.label(name)) for name in choices.channels]
    if request.args:
        form.validate()
    return form


@bp.route("/interviews/reports")
@allow("admin", "recruiter")
def report():
    form = _report_filters()
    hiring = hiring_report.hiring_report(form.filters())
    return render_template("interviews/reports.html", data=reports.summary(), form=form, hiring=hiring,
                           target=SCORECARD_TARGET, window=PACE_WINDOW_WEEKS)


@bp.route("/interviews/reports/<any(funnel, pace, scorecards):table>.csv")
@allow("admin", "recruiter")
def report_table(table: str):
    """One table of the hiring report, with the page's filters, as CSV or XLSX."""
    filename, build = report_tables.TABLES[table]
    header, rows = build(hiring_report.hiring_report(_report_filters().filters()))
    return csv_download(filename, header, rows)


@bp.route("/interviews/reports/scorecard-reminders", methods=["POST"])
@allow("admin", "recruiter")
def send_scorecard_reminders():
    done = commit_or_flash(scorecard_reminders.send_now)
    if done:
        sent = done.value
        flash(ngettext("%(num)d interviewer was reminded", "%(num)d interviewers were reminded", sent.interviewers)
              + " " + ngettext("of %(num)d missing scorecard.", "of %(num)d missing scorecards.", sent.scorecards)
              if sent.interviewers else _("No interviewer is owed a reminder: every scorecard missing from the "
                                          "days that have ended was asked for already, or none is missing."),
              "success")
    return redirect(url_for("interviews.report", **request.args))


@bp.route("/interviews/reports.csv")
@allow("admin", "recruiter")
def report_csv():
    return csv_download("interviews.csv", reports.booking_header(),
                        reports.booking_rows(_report_filters().filters()))

