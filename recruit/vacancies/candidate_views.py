"""The candidate pages: a vacancy's pipeline (list and board) and moving
people along it, adding and editing a candidate, the search across all
candidates, résumés and anonymisation. Routes on the vacancies blueprint
(blueprint.py). Views parse input, call a service, commit, render."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from werkzeug.exceptions import NotFound

from recruit.auth.permissions import allow, can, ensure, load
from recruit.exports import content_disposition
from recruit.extensions import db
from recruit.organisation.services import offered_channels
from recruit.vacancies import bulk, candidate_page, candidate_search, erasure, pipeline_hooks
from recruit.vacancies import candidates as candidate_services
from recruit.vacancies.blueprint import STAGE_LABELS, bp, form_data
from recruit.vacancies.channels import TRANSLATED
from recruit.vacancies.forms import AnonymiseForm, BulkForm, CandidateForm, ResumeForm
from recruit.vacancies.models import Application, Candidate, Vacancy
from recruit.vacancies.policies import visible_applications
from recruit.vacancies.resumes import MIME
from recruit.web import commit_or_flash, db_int, same_site_path

# --- pipeline ----------------------------------------------------------------------

MAX_INVITE_LIST = 150  # ids carried in the link to the day's choice; a whole import goes by its id

@bp.route("/vacancies/<int:vacancy_id>/pipeline")
@allow("admin", "recruiter", "hiring_manager")
def pipeline(vacancy_id: int):
    _held, counts = candidate_services.pipeline_vacancy(vacancy_id)  # held: `load` finds it
    vacancy = load(Vacancy, vacancy_id, "vacancy.candidates")
    flt = _pipeline_filter(request.args)
    page = candidate_services.pipeline_page(vacancy, flt, request.args.get("page", 1, type=db_int),
                                            current_app.config["PAGE_SIZE"], counts, rows=True)
    if not page.items and page.page > 1 and page.pages:  # past the end (a bookmark, a list that shrank)
        return redirect(url_for("vacancies.pipeline", vacancy_id=vacancy.id,
                                **{**request.args.to_dict(), "page": page.pages}))
    return render_template("vacancies/pipeline.html", vacancy=vacancy, page=page, flt=flt, counts=counts,
                           options=candidate_search.filter_options(), row_filters=pipeline_hooks.filters(),
                           notes=pipeline_hooks.notes_for([a.id for a in page.items]),
                           bulk_form=BulkForm(), imports=bulk.batches(vacancy)
                           if page.items and can("vacancy.manage_candidates", vacancy) else [])


@bp.route("/vacancies/<int:vacancy_id>/board")
@allow("admin", "recruiter", "hiring_manager")
def board(vacancy_id: int):
    _held, counts = candidate_services.pipeline_vacancy(vacancy_id)  # held: `load` finds it
    vacancy = load(Vacancy, vacancy_id, "vacancy.candidates")
    columns = candidate_services.board(vacancy)
    return render_template("vacancies/board.html", vacancy=vacancy, columns=columns, counts=counts,
                           notes=pipeline_hooks.notes_for([a.id for cards in columns.values() for a in cards]))


@bp.route("/applications/<int:application_id>/move", methods=["POST"])
@allow("admin", "recruiter")
def move(application_id: int):
    application = load(Application, application_id)
    ensure("vacancy.manage_candidates", application.vacancy)
    target = request.form.get("target", "")
    commit_or_flash(lambda: candidate_services.move(application, target, request.form.get("reason", "")),
                    lambda: _("%(name)s: %(stage)s.", name=application.candidate.full_name,
                              stage=STAGE_LABELS.get(application.stage, application.stage)))
    return redirect(same_site_path(request.form.get("next"),
                                   url_for("vacancies.pipeline", vacancy_id=application.vacancy_id)))


def _pipeline_filter(values) -> candidate_services.PipelineFilter:
    return candidate_services.PipelineFilter(
        stage=values.get("stage") or None, source=values.get("source") or None, city=values.get("city") or None,
        q=values.get("q") or None, interview=values.get("interview") or None)


def _flash_outcome(outcome: bulk.Outcome, done: str) -> None:
    if outcome.done:
        flash(done, "success")
    for reason, names in outcome.skipped.items():  # every one named, grouped by why
        flash(ngettext("%(reason)s (%(num)d): %(names)s", "%(reason)s (%(num)d): %(names)s", len(names),
                       reason=reason, names=", ".join(names)), "info")


@bp.route("/vacancies/<int:vacancy_id>/bulk", methods=["POST"])
@allow("admin", "recruiter")
def bulk_action(vacancy_id: int):
    vacancy = load(Vacancy, vacancy_id, "vacancy.manage_candidates")
    form = BulkForm()
    back = url_for("vacancies.pipeline", vacancy_id=vacancy.id, **{
        k: v for k, v in request.form.items() if k in ("q", "stage", "source", "city", "interview") and v})
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for error in errors:
                flash(error, "error")
        return redirect(back)
    ids = request.form.getlist("a", type=db_int)  # what is not an id is dropped, not a 500

    def act():
        chosen = bulk.chosen(vacancy, form.scope.data, ids=ids, flt=_pipeline_filter(request.form),
                             batch_id=form.batch.data or None)
        if form.action.data == "move":
            if form.target.data not in STAGE_LABELS or form.target.data == "reopen":
                raise bulk.BulkError(_("Choose the stage."))
            return bulk.move_many(chosen, form.target.data)
        if form.action.data == "reject":
            return bulk.move_many(chosen, "rejected", form.reason.data or "")
        if form.action.data == "email":
            return bulk.email_many(chosen, form.subject.data or "", form.body.data or "", current_user)
        return bulk.inviting(chosen)

    result = commit_or_flash(act, errors=(bulk.BulkError,))
    if result is None:
        return redirect(back)
    if form.action.data == "invite":
        invite_ids, outcome = result.value
        _flash_outcome(outcome, "")
        if not invite_ids:
            return redirect(back)
        if form.scope.data == "batch":
            return redirect(url_for("interviews.schedule", vacancy=vacancy.id, batch=form.batch.data))
        if len(invite_ids) > MAX_INVITE_LIST:
            flash(_("Choose at most %(n)d candidates to invite at once, or invite one import.", n=MAX_INVITE_LIST),
                  "error")
            return redirect(back)
        return redirect(url_for("interviews.schedule", vacancy=vacancy.id, a=invite_ids))
    outcome = result.value
    step = STAGE_LABELS.get("rejected" if form.action.data == "reject" else form.target.data, "")
    _flash_outcome(outcome, ngettext("%(num)d e-mail queued.", "%(num)d e-mails queued.", outcome.done)
                   if form.action.data == "email" else
                   ngettext("%(num)d candidate moved to %(stage)s.", "%(num)d candidates moved to %(stage)s.",
                            outcome.done, stage=step))
    return redirect(back)


# --- candidates --------------------------------------------------------------------

def _source_choices() -> list[tuple[str, str]]:
    """The channels offered in the source field: (stored name, what the reader sees)."""
    return [(name, _(name) if name in TRANSLATED else name) for name in offered_channels()]


@bp.route("/vacancies/<int:vacancy_id>/candidates/new", methods=["GET", "POST"])
@allow("admin", "recruiter")
def candidate_new(vacancy_id: int):
    vacancy = load(Vacancy, vacancy_id, "vacancy.manage_candidates")
    form = CandidateForm()
    if form.validate_on_submit() and (added := commit_or_flash(
            lambda: candidate_services.add_candidate(vacancy, form_data(form)))):
        result = added.value
        if not result.created and result.application is None:
            flash(_("%(name)s is already in this pipeline.", name=result.candidate.full_name), "info")
        elif not result.created:
            flash(_("%(name)s was already known (same e-mail or phone) and is now linked to this vacancy.",
                    name=result.candidate.full_name), "info")
        else:
            flash(_("Candidate added."), "success")
        return redirect(url_for("vacancies.candidate", candidate_id=result.candidate.id))
    return render_template("vacancies/candidate_edit.html", form=form, vacancy=vacancy, candidate=None,
                           sources=_source_choices())


@bp.route("/candidates")
@allow("admin", "recruiter")
def candidates():
    q = request.args.get("q", "")
    return render_template("vacancies/candidates.html", q=q, results=candidate_search.search_candidates(q))


@bp.route("/candidates/<int:candidate_id>")
@allow("admin", "recruiter", "hiring_manager")
def candidate(candidate_id: int):
    person = load(Candidate, candidate_id, "candidate.view", options=candidate_page.PERSON)
    applications = visible_applications(current_user, person)
    viewing = candidate_page.Viewing(current_user, person, {a.vacancy_id for a in applications})
    return render_template("vacancies/candidate.html", candidate=person, resume_form=ResumeForm(),
                           anonymise_form=AnonymiseForm(), applications=applications,
                           sections=candidate_page.sections(viewing), timeline=candidate_page.timeline(viewing))


@bp.route("/candidates/<int:candidate_id>/edit", methods=["GET", "POST"])
@allow("admin", "recruiter")
def candidate_edit(candidate_id: int):
    person = load(Candidate, candidate_id, "candidate.edit")
    form = CandidateForm(obj=person)
    if form.validate_on_submit() and commit_or_flash(
            lambda: candidate_services.update_candidate(person, form_data(form)), _("Candidate saved.")):
        return redirect(url_for("vacancies.candidate", candidate_id=person.id))
    return render_template("vacancies/candidate_edit.html", form=form, vacancy=None, candidate=person,
                           sources=_source_choices())


@bp.route("/candidates/<int:candidate_id>/resume")
@allow("admin", "recruiter", "hiring_manager")
def resume(candidate_id: int):
    person = load(Candidate, candidate_id, "candidate.view")
    path = candidate_services.resume_download(person)
    if path is None:  # the candidate exists, their résumé does not
        raise NotFound()
    db.session.commit()
    response = send_file(path, mimetype=MIME[person.resume_type])
    response.headers["Content-Disposition"] = content_disposition(person.resume_name or f"resume.{person.resume_type}")
    return response


@bp.route("/candidates/<int:candidate_id>/resume", methods=["POST"])
@allow("admin", "recruiter")
def resume_upload(candidate_id: int):
    person = load(Candidate, candidate_id, "candidate.edit")
    form = ResumeForm()
    if not form.validate_on_submit():
        flash(_("Choose a file to upload."), "error")
    else:
        upload = form.resume.data
        commit_or_flash(lambda: candidate_services.attach_resume(
            person, upload.filename, upload.read(current_app.config["RESUME_MAX_BYTES"] + 1)), _("Résumé uploaded."))
    return redirect(url_for("vacancies.candidate", candidate_id=person.id))


@bp.route("/candidates/<int:candidate_id>/anonymise", methods=["POST"])
@allow("admin", "recruiter")
def anonymise(candidate_id: int):
    person = load(Candidate, candidate_id, "candidate.view")
    form = AnonymiseForm()
    if not form.validate_on_submit():
        flash(_("Say why the candidate is anonymised."), "error")
        return redirect(url_for("vacancies.candidate", candidate_id=person.id))
    done = commit_or_flash(lambda: erasure.anonymise(person, form.reason.data, by=current_user),
                           _("The candidate's personal data is erased; the statistics keep the counts."))
    for note in done.value.kept if done else []:
        flash(note, "info")
    return redirect(url_for("vacancies.candidate", candidate_id=person.id))
