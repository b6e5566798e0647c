"""The pages a hiring decision is made on, on the interviews blueprint: the
scorecard with the vacancy's interview kit, the kit itself, and the decision
view of an interview day or a vacancy."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from recruit.auth.permissions import allow, can, load
from recruit.interviews import evidence, kits, scorecards
from recruit.interviews.blueprint import bp
from recruit.interviews.errors import InterviewError
from recruit.interviews.forms import DecisionForm, KitForm, kit_scores, scorecard_form
from recruit.interviews.models import Booking, InterviewSession
from recruit.interviews.policies import interviews_in
from recruit.vacancies.labels import STAGE_MOVE_LABELS as STAGE_LABELS
from recruit.vacancies.models import Vacancy
from recruit.vacancies.pipeline import STAGES
from recruit.web import commit_or_flash, db_int, same_site_path


@bp.route("/bookings/<int:booking_id>/scorecard", methods=["GET", "POST"])
@allow("admin", "recruiter", "hiring_manager", "mentor")
def scorecard(booking_id: int):
    booking = load(Booking, booking_id, "booking.score")
    criteria = kits.kit(booking.application.vacancy_id)
    card = scorecards.own_scorecard(booking, current_user)
    locked = card is not None and scorecards.decided(booking)
    form = scorecard_form(criteria, card)  # the author's card, read back
    form.next_stage.choices = [("", _("Keep the stage"))] + [(s, str(STAGE_LABELS.get(s, s))) for s in STAGES[3:]] + \
        [("rejected", _("Reject"))]
    if scorecards.decided(booking):
        form.next_stage.validate_choice = False  # not offered: a late card moves nobody
    if not locked and form.validate_on_submit() and commit_or_flash(
            lambda: scorecards.record_scorecard(booking, current_user, motivation=form.motivation.data,
                                                competence=form.competence.data, adequacy=form.adequacy.data,
                                                note=form.note.data or "", next_stage=form.next_stage.data or None,
                                                criteria=kit_scores(form, criteria)),
            _("Scorecard saved.")):
        return redirect(url_for("interviews.mine"))
    if locked and request.method == "POST":
        flash(_("The decision is made: this scorecard can no longer be changed."), "error")
    return render_template("interviews/scorecard.html", booking=booking, form=form, criteria=criteria,
                           card=card, locked=locked, decided=scorecards.decided(booking),
                           kit_fields=[(c, getattr(form, f"kit_{c.id}")) for c in criteria],
                           card_scores=evidence.card_scores,
                           is_interviewer=interviews_in(current_user, booking.session))


@bp.route("/vacancies/<int:vacancy_id>/interview-kit", methods=["GET", "POST"])
@allow("admin", "recruiter", "hiring_manager")
def interview_kit(vacancy_id: int):
    vacancy = load(Vacancy, vacancy_id, "interview_kit.edit")
    current = kits.kit(vacancy.id)
    form = KitForm()
    if not form.is_submitted():
        rows = current or kits.suggested(vacancy)
        for row in rows:
            form.criteria.append_entry({"name": row.name, "question": row.question, "low": row.low,
                                        "high": row.high})
        form.criteria.entries = form.criteria.entries[1:]  # the empty row min_entries made
        while len(form.criteria.entries) < len(rows) + 2 and len(form.criteria.entries) < kits.MAX_CRITERIA:
            form.criteria.append_entry()
    if form.validate_on_submit() and commit_or_flash(
            lambda: kits.save(vacancy, [kits.CriterionDraft(e.form.name.data or "", e.form.question.data or "",
                                                            e.form.low.data or "", e.form.high.data or "")
                                        for e in form.criteria.entries], current_user),
            _("Interview kit saved.")):
        return redirect(url_for("interviews.interview_kit", vacancy_id=vacancy.id))
    return render_template("interviews/kit.html", vacancy=vacancy, form=form, suggested=not current)


def _decision_page(rows, form, *, title: str, back: str, vacancy: Vacancy | None, session=None):
    manageable = {r.booking.id for r in rows if can("vacancy.manage_candidates", r.booking.application.vacancy)}
    names: list[str] = []
    for row in rows:
        names += [n for n in row.scores if n not in names]
    if form.validate_on_submit():
        chosen = {i for i in request.form.getlist("booking", type=db_int) if i in manageable}
        moved = commit_or_flash(lambda: evidence.decide(rows, chosen, form.next_step.data, form.reason.data or ""),
                                errors=(InterviewError,))
        if moved:
            step = str(STAGE_LABELS.get(form.next_step.data, form.next_step.data))
            flash(ngettext("%(num)d candidate moved to %(step)s.", "%(num)d candidates moved to %(step)s.",
                           moved.value, step=step), "success")
            return redirect(same_site_path(request.full_path))
    return render_template("interviews/decisions.html", rows=rows, names=names, form=form, title=title,
                           back=back, manageable=manageable, vacancy=vacancy, session=session,
                           card_scores=evidence.card_scores)


@bp.route("/interviews/<int:session_id>/decisions", methods=["GET", "POST"])
@allow("admin", "recruiter")
def day_decisions(session_id: int):
    session = load(InterviewSession, session_id, "interview_session.decide")
    return _decision_page(evidence.decision_rows(session=session), DecisionForm(),
                          title=_("Decisions: %(day)s", day=session.title), session=session,
                          back=url_for("interviews.detail", session_id=session.id), vacancy=None)


@bp.route("/vacancies/<int:vacancy_id>/decisions", methods=["GET", "POST"])
@allow("admin", "recruiter", "hiring_manager")
def vacancy_decisions(vacancy_id: int):
    vacancy = load(Vacancy, vacancy_id, "vacancy.candidates")
    return _decision_page(evidence.decision_rows(vacancy_id=vacancy.id), DecisionForm(),
                          title=_("Decisions: %(vacancy)s", vacancy=vacancy.title), vacancy=vacancy,
                          back=url_for("vacancies.detail", vacancy_id=vacancy.id))
