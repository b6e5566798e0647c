"""Vacancy intake, job-description templates, candidates, the pipeline and
imports. Views parse input, call a service, commit, render."""

from __future__ import annotations

from decimal import Decimal

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    jsonify,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from recruit import audit
from recruit.auth.permissions import ANY_ROLE, allow, ensure
from recruit.exports import content_disposition, csv_download
from recruit.extensions import db
from recruit.i18n import label
from recruit.jobs import progress
from recruit.tabular import encodings, reports
from recruit.vacancies import candidate_rows, erasure, imports
from recruit.vacancies import candidates as candidate_services
from recruit.vacancies import services as vacancy_services
from recruit.vacancies.forms import (
    AnonymiseForm,
    CandidateForm,
    CommentForm,
    ImportRunForm,
    ImportUploadForm,
    MoveForm,
    ResumeForm,
    ReviewForm,
    TemplateForm,
    TransitionForm,
    VacancyForm,
)
from recruit.vacancies.labels import STAGE_MOVE_LABELS
from recruit.vacancies.messages import field_label, file_error, row_reason
from recruit.vacancies.models import Application, Candidate, ImportBatch, JobTemplate, Vacancy
from recruit.vacancies.pipeline import ALL_STAGES, STAGES, VACANCY_STATES, next_stage, stage_moves
from recruit.vacancies.policies import visible_applications, visible_history
from recruit.vacancies.resumes import MIME
from recruit.web import commit_or_flash, db_int, same_site_path

bp = Blueprint("vacancies", __name__)

STAGE_LABELS = STAGE_MOVE_LABELS  # the stages and "reopen" (recruit/vacancies/labels.py)


def _get(model, object_id: int):
    obj = db.session.get(model, object_id)
    if obj is None:
        abort(404)
    return obj


def _form_data(form) -> dict:
    data = {k: v for k, v in form.data.items() if k not in ("csrf_token", "submit")}
    for key, value in list(data.items()):
        if isinstance(value, Decimal):
            data[key] = float(value)
        elif isinstance(value, str):
            data[key] = value.strip()
    return data


class _TranslatedLabels(dict):
    """STAGE_LABELS for templates, translated once per request instead of once
    per row (a pipeline page shows hundreds of them)."""

    def translated(self) -> dict[str, str]:
        """A plain dict for templates that look labels up per row."""
        if "stage_labels" not in g:
            g.stage_labels = {key: str(label) for key, label in STAGE_LABELS.items()}
        return g.stage_labels

    def __getitem__(self, key):
        return self.translated()[key]

    def get(self, key, default=None):
        return self.translated().get(key, default)


@bp.record_once
def _template_globals(state) -> None:
    state.app.jinja_env.globals.update(STAGE_LABELS=_TranslatedLabels(), STAGES=STAGES, ALL_STAGES=ALL_STAGES,
                                       next_stage=next_stage, row_reason=row_reason, field_label=field_label)


# --- templates ---------------------------------------------------------------------

@bp.route("/templates")
@allow("admin", "hiring_manager", "recruiter")
def templates():
    return render_template("vacancies/templates.html", templates=vacancy_services.templates(str(get_locale())))


@bp.route("/templates/<int:template_id>")
@allow("admin", "hiring_manager", "recruiter")
def template_detail(template_id: int):
    return render_template("vacancies/template_detail.html", template=_get(JobTemplate, template_id))


@bp.route("/templates/new", methods=["GET", "POST"])
@bp.route("/templates/<int:template_id>/edit", methods=["GET", "POST"])
@allow("admin")
def template_edit(template_id: int | None = None):
    template = _get(JobTemplate, template_id) if template_id else None
    form = TemplateForm(obj=template)
    if form.validate_on_submit() and (saved := commit_or_flash(
            lambda: vacancy_services.save_template(template, _form_data(form)),
            _("Template saved. Vacancies already requested keep their own copy."))):
        return redirect(url_for("vacancies.template_detail", template_id=saved.value.id))
    return render_template("vacancies/template_edit.html", form=form, template=template)


# --- vacancies ---------------------------------------------------------------------

@bp.route("/vacancies")
@allow("admin", "hiring_manager", "recruiter")
def index():
    state = request.args.get("state") if request.args.get("state") in VACANCY_STATES else None
    vacancies = list(db.session.scalars(vacancy_services.visible_vacancies(current_user, state)))
    counts = {v.id: vacancy_services.stage_counts(v) for v in vacancies}
    return render_template("vacancies/index.html", vacancies=vacancies, state=state, counts=counts,
                           states=VACANCY_STATES)


@bp.route("/vacancies/new", methods=["GET", "POST"])
@allow("admin", "hiring_manager")
def new():
    template_id = request.args.get("template", type=db_int)
    template = db.session.get(JobTemplate, template_id) if template_id else None
    if template is None:
        return render_template("vacancies/choose_template.html",
                               templates=vacancy_services.templates(str(get_locale())))
    form = VacancyForm(data=vacancy_services.defaults_from_template(template) if request.method == "GET" else None)
    if form.validate_on_submit() and (requested := commit_or_flash(
            lambda: vacancy_services.request_vacancy(template, _form_data(form), current_user),
            _("Draft saved. Send it for review when it is ready."))):
        return redirect(url_for("vacancies.detail", vacancy_id=requested.value.id))
    return render_template("vacancies/edit.html", form=form, template=template, vacancy=None)


@bp.route("/vacancies/<int:vacancy_id>")
@allow(ANY_ROLE)
def detail(vacancy_id: int):
    vacancy = _get(Vacancy, vacancy_id)
    ensure("vacancy.view", vacancy)
    funnel = vacancy_services.funnel_for(vacancy) if vacancy.state not in ("draft",) else None
    my_reviews = [r for r in vacancy.reviews if r.reviewer_id == current_user.id and r.decision == "pending"
                  and vacancy.state == "in_review"]
    return render_template(
        "vacancies/detail.html", vacancy=vacancy, funnel=funnel, history=audit.history("vacancies", vacancy.id),
        transitions=vacancy_services.allowed_transitions(vacancy, current_user), my_reviews=my_reviews,
        transition_form=TransitionForm(), review_form=ReviewForm(), comment_form=CommentForm(),
        approver=vacancy_services.approver())


@bp.route("/vacancies/<int:vacancy_id>/edit", methods=["GET", "POST"])
@allow(ANY_ROLE)
def edit(vacancy_id: int):
    vacancy = _get(Vacancy, vacancy_id)
    ensure("vacancy.edit", vacancy)
    form = VacancyForm(obj=vacancy)
    if form.validate_on_submit() and commit_or_flash(lambda: vacancy_services.update_vacancy(vacancy, _form_data(form)),
                                                     _("Vacancy saved.")):
        return redirect(url_for("vacancies.detail", vacancy_id=vacancy.id))
    return render_template("vacancies/edit.html", form=form, template=vacancy.template, vacancy=vacancy)


@bp.route("/vacancies/<int:vacancy_id>/transition", methods=["POST"])
@allow(ANY_ROLE)
def transition(vacancy_id: int):
    vacancy = _get(Vacancy, vacancy_id)
    ensure("vacancy.view", vacancy)
    form = TransitionForm()
    if not form.validate_on_submit():
        flash(_("Choose what to do with the vacancy."), "error")
        return redirect(url_for("vacancies.detail", vacancy_id=vacancy.id))
    commit_or_flash(lambda: vacancy_services.transition(vacancy, form.target.data, current_user,
                                                        form.comment.data or ""),
                    lambda: _("The vacancy is now %(state)s.", state=label(vacancy.state, "vacancy_state")))
    return redirect(url_for("vacancies.detail", vacancy_id=vacancy.id))


@bp.route("/vacancies/<int:vacancy_id>/reviews/<int:review_id>", methods=["POST"])
@allow(ANY_ROLE)
def review(vacancy_id: int, review_id: int):
    vacancy = _get(Vacancy, vacancy_id)
    ensure("vacancy.view", vacancy)
    form = ReviewForm()
    if form.validate_on_submit():
        commit_or_flash(lambda: vacancy_services.review(vacancy, review_id, form.decision.data,
                                                        form.comment.data or "", current_user),
                        _("Your review is recorded."))
    return redirect(url_for("vacancies.detail", vacancy_id=vacancy.id))


@bp.route("/vacancies/<int:vacancy_id>/comments", methods=["POST"])
@allow(ANY_ROLE)
def comment(vacancy_id: int):
    vacancy = _get(Vacancy, vacancy_id)
    ensure("vacancy.comment", vacancy)
    form = CommentForm()
    if form.validate_on_submit():
        vacancy_services.add_comment(vacancy, form.body.data, current_user)
        db.session.commit()
    else:
        flash(_("Write something first."), "error")
    return redirect(url_for("vacancies.detail", vacancy_id=vacancy.id) + "#comments")


# --- pipeline ----------------------------------------------------------------------

@bp.route("/vacancies/<int:vacancy_id>/pipeline")
@allow("admin", "recruiter", "hiring_manager")
def pipeline(vacancy_id: int):
    vacancy = _get(Vacancy, vacancy_id)
    ensure("vacancy.candidates", vacancy)
    flt = candidate_services.PipelineFilter(
        stage=request.args.get("stage") or None, source=request.args.get("source") or None,
        city=request.args.get("city") or None, q=request.args.get("q") or None)
    counts = vacancy_services.stage_counts(vacancy)
    page = candidate_services.pipeline_page(vacancy, flt, request.args.get("page", 1, type=db_int),
                                            current_app.config["PAGE_SIZE"], counts)
    if not page.items and page.page > 1 and page.pages:  # past the end (a bookmark, a list that shrank)
        return redirect(url_for("vacancies.pipeline", vacancy_id=vacancy.id,
                                **{**request.args.to_dict(), "page": page.pages}))
    return render_template("vacancies/pipeline.html", vacancy=vacancy, page=page, flt=flt, counts=counts,
                           options=candidate_services.filter_options(), move_form=MoveForm(),
                           stage_moves=stage_moves)


@bp.route("/vacancies/<int:vacancy_id>/board")
@allow("admin", "recruiter", "hiring_manager")
def board(vacancy_id: int):
    vacancy = _get(Vacancy, vacancy_id)
    ensure("vacancy.candidates", vacancy)
    return render_template("vacancies/board.html", vacancy=vacancy, columns=candidate_services.board(vacancy),
                           counts=vacancy_services.stage_counts(vacancy), move_form=MoveForm(),
                           stage_moves=stage_moves)


@bp.route("/applications/<int:application_id>/move", methods=["POST"])
@allow("admin", "recruiter")
def move(application_id: int):
    application = _get(Application, application_id)
    ensure("vacancy.manage_candidates", application.vacancy)
    target = request.form.get("target", "")
    commit_or_flash(lambda: candidate_services.move(application, target, request.form.get("reason", "")),
                    lambda: _("%(name)s: %(stage)s.", name=application.candidate.full_name,
                              stage=STAGE_LABELS.get(application.stage, application.stage)))
    return redirect(same_site_path(request.form.get("next"),
                                   url_for("vacancies.pipeline", vacancy_id=application.vacancy_id)))


def _source_choices() -> list[tuple[str, str]]:
    """The channels offered in the source field: (stored name, what the reader sees)."""
    from recruit.organisation.services import offered_channels
    from recruit.vacancies.channels import TRANSLATED

    return [(name, _(name) if name in TRANSLATED else name) for name in offered_channels()]


@bp.route("/vacancies/<int:vacancy_id>/candidates/new", methods=["GET", "POST"])
@allow("admin", "recruiter")
def candidate_new(vacancy_id: int):
    vacancy = _get(Vacancy, vacancy_id)
    ensure("vacancy.manage_candidates", vacancy)
    form = CandidateForm()
    if form.validate_on_submit() and (added := commit_or_flash(
            lambda: candidate_services.add_candidate(vacancy, _form_data(form)))):
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
    return render_template("vacancies/candidates.html", q=q, results=candidate_services.search_candidates(q))


@bp.route("/candidates/<int:candidate_id>")
@allow("admin", "recruiter", "hiring_manager")
def candidate(candidate_id: int):
    person = _get(Candidate, candidate_id)
    ensure("candidate.view", person)
    return render_template("vacancies/candidate.html", candidate=person, resume_form=ResumeForm(),
                           anonymise_form=AnonymiseForm(), stage_moves=stage_moves,
                           applications=visible_applications(current_user, person),
                           history=visible_history(current_user, person, audit.history("candidates", person.id)))


@bp.route("/candidates/<int:candidate_id>/edit", methods=["GET", "POST"])
@allow("admin", "recruiter")
def candidate_edit(candidate_id: int):
    person = _get(Candidate, candidate_id)
    ensure("candidate.edit", person)
    form = CandidateForm(obj=person)
    if form.validate_on_submit() and commit_or_flash(
            lambda: candidate_services.update_candidate(person, _form_data(form)), _("Candidate saved.")):
        return redirect(url_for("vacancies.candidate", candidate_id=person.id))
    return render_template("vacancies/candidate_edit.html", form=form, vacancy=None, candidate=person,
                           sources=_source_choices())


@bp.route("/candidates/<int:candidate_id>/resume")
@allow("admin", "recruiter", "hiring_manager")
def resume(candidate_id: int):
    person = _get(Candidate, candidate_id)
    ensure("candidate.view", person)
    path = candidate_services.resume_path(person)
    if path is None:
        abort(404)
    audit.record("candidate.resume_download", person)
    db.session.commit()
    response = send_file(path, mimetype=MIME[person.resume_type])
    response.headers["Content-Disposition"] = content_disposition(person.resume_name or f"resume.{person.resume_type}")
    return response


@bp.route("/candidates/<int:candidate_id>/resume", methods=["POST"])
@allow("admin", "recruiter")
def resume_upload(candidate_id: int):
    person = _get(Candidate, candidate_id)
    ensure("candidate.edit", person)
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
    person = _get(Candidate, candidate_id)
    ensure("candidate.view", person)
    form = AnonymiseForm()
    if not form.validate_on_submit():
        flash(_("Say why the candidate is anonymised."), "error")
        return redirect(url_for("vacancies.candidate", candidate_id=person.id))
    done = commit_or_flash(lambda: erasure.anonymise(person, form.reason.data, by=current_user),
                           _("The candidate's personal data is erased; the statistics keep the counts."))
    for note in done.value.kept if done else []:
        flash(note, "info")
    return redirect(url_for("vacancies.candidate", candidate_id=person.id))


# --- import ------------------------------------------------------------------------

def _batch(batch_id: int) -> ImportBatch:
    batch = _get(ImportBatch, batch_id)
    ensure("vacancy.manage_candidates", batch.vacancy)
    return batch


@bp.route("/vacancies/<int:vacancy_id>/import", methods=["GET", "POST"])
@allow("admin", "recruiter")
def import_upload(vacancy_id: int):
    vacancy = _get(Vacancy, vacancy_id)
    ensure("vacancy.manage_candidates", vacancy)
    form = ImportUploadForm()
    if form.validate_on_submit():
        upload = form.file.data
        if started := commit_or_flash(lambda: imports.start(vacancy, upload.filename, upload.read(), current_user)):
            return redirect(url_for("vacancies.import_detail", batch_id=started.value.id))
    return render_template("vacancies/import_upload.html", vacancy=vacancy, form=form,
                           recent=imports.recent(vacancy))


@bp.route("/imports/<int:batch_id>", methods=["GET", "POST"])
@allow("admin", "recruiter")
def import_detail(batch_id: int):
    batch = _batch(batch_id)
    if request.method == "POST":
        mapping = {}
        for name in candidate_rows.FIELDS:
            raw = request.form.get(f"map_{name}", "")
            mapping[name] = int(raw) if raw.lstrip("-").isdigit() and int(raw) >= 0 else None
        encoding = request.form.get("encoding") if request.form.get("encoding") in encodings.ENCODINGS else None
        delimiter = {"semicolon": ";", "comma": ",", "tab": "\t"}.get(request.form.get("delimiter", ""))
        if request.form.get("action") == "reread" and encoding:
            # the same bytes read again in the chosen encoding: a new preview, the mapping guessed again
            commit_or_flash(lambda: imports.choose_encoding(batch, encoding))
        else:
            commit_or_flash(lambda: imports.check(batch, mapping, encoding=encoding, delimiter=delimiter))
        return redirect(url_for("vacancies.import_detail", batch_id=batch.id))
    headers, rows, notices = [], [], []
    if batch.status in ("uploaded", "checked"):
        try:
            data = imports.parsed(batch)
            headers, rows, notices = data.headers, data.rows[:imports.PREVIEW_ROWS], data.notices
        except reports.FileError as exc:
            flash(file_error(exc), "error")
    return render_template("vacancies/import_detail.html", batch=batch, headers=headers, rows=rows,
                           notices=[n.as_dict() for n in notices], encodings=encodings.ENCODINGS,
                           fields=candidate_rows.FIELDS, run_form=ImportRunForm())


@bp.route("/imports/<int:batch_id>/run", methods=["POST"])
@allow("admin", "recruiter")
def import_run(batch_id: int):
    batch = _batch(batch_id)
    form = ImportRunForm()
    form.validate_on_submit()
    commit_or_flash(lambda: imports.run(batch, skip_bad_rows=bool(form.skip_bad_rows.data)))
    return redirect(url_for("vacancies.import_detail", batch_id=batch.id))


@bp.route("/imports/<int:batch_id>/drop", methods=["POST"])
@allow("admin", "recruiter")
def import_drop(batch_id: int):
    batch = _batch(batch_id)
    if not commit_or_flash(lambda: imports.drop(batch), _("The upload was dropped; nothing was imported."),
                           category="info"):
        return redirect(url_for("vacancies.import_detail", batch_id=batch.id))
    return redirect(url_for("vacancies.import_upload", vacancy_id=batch.vacancy_id))


@bp.route("/imports/<int:batch_id>/progress")
@allow("admin", "recruiter")
def import_progress(batch_id: int):
    batch = _batch(batch_id)
    state = progress(batch.job_id) if batch.job_id else {"status": "unknown", "done": 0, "total": 0}
    return jsonify(batch_status=batch.status, job=state, report={
        k: v for k, v in batch.report.items() if k in ("created", "linked", "already", "skipped", "failure")})


@bp.route("/imports/<int:batch_id>/errors.csv")
@allow("admin", "recruiter")
def import_errors(batch_id: int):
    batch = _batch(batch_id)
    # the refused rows, then the imported ones with a value left out
    entries = [(e, _("error")) for e in batch.report.get("errors", [])] + \
        [(w, _("warning")) for w in batch.report.get("warnings", [])]
    return csv_download(f"import-{batch.id}-errors.csv", [_("Line"), _("Column"), _("Problem"), _("Kind")],
                        ([e["line"], e["column"], row_reason(e), kind] for e, kind in entries))
