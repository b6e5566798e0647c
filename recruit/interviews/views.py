"""Interview days: planning and sending invitations, the candidate's signed
link, the receptionist's screen, the interviewer's list and scorecard, the
show-rate model and reports. The day-before call round is call_views.py."""

from __future__ import annotations

from datetime import time, timedelta

from flask import (
    abort,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext, refresh
from flask_login import current_user

from recruit.auth.permissions import allow, can, ensure, load, public
from recruit.extensions import db
from recruit.i18n import asked_in_url
from recruit.interviews import (
    bookings,
    call_views,  # noqa: F401  (the call round's routes)
    calls,
    desk_views,  # noqa: F401  (the front desk's routes)
    eligibility,
    formats,
    links,
    notifications,
    picker,
    planning,
    preferences,
    proposals,
    report_views,  # noqa: F401  (the model's and the reports' routes)
    )
from recruit.interviews import sessions as days
from recruit.interviews.blueprint import bp
from recruit.interviews.errors import InterviewError
from recruit.interviews.forms import SessionForm
from recruit.interviews.labels import PLANNING_PREFERENCE
from recruit.interviews.models import Booking, InterviewSession
from recruit.organisation.services import local_now
from recruit.vacancies import bulk
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
    ok, groups = eligibility.left_out(applications, session, live)
    for reason, names in groups.items():  # every one named, grouped by why
        flash(ngettext("%(reason)s (%(num)d): %(names)s", "%(reason)s (%(num)d): %(names)s", len(names),
                       reason=reason, names=", ".join(names)), "info")
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
    groups = proposals.lines(views, rest, proposals.rest_choices(rest, choices, set(waitlist)), probabilities)
    return render_template("interviews/plan.html", session=session, views=views, rest=rest, groups=groups,
                           metrics=metrics, picture=picture,
                           preference=preference, preference_labels=PLANNING_PREFERENCE,
                           explanation=proposals.explanation(views, probabilities, len(rest)),
                           data=proposals.page_data(session, views, held, probabilities, preference),
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


# --- interviewers ------------------------------------------------------------------------

@bp.route("/my-interviews")
@allow("admin", "recruiter", "hiring_manager", "mentor")
def mine():
    sessions = days.upcoming_sessions(interviewer=current_user, include_past_days=1)
    bookings = {s.id: [b for b in days.bookings_of(s) if b.state in ("invited", "confirmed", "arrived")]
                for s in sessions}
    return render_template("interviews/mine.html", sessions=sessions, bookings=bookings)
