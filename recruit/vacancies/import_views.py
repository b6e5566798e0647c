"""The import pages: uploading a candidate file to a vacancy, its preview
and column mapping, the check, the run as a job, its progress and the
refused rows as CSV. Routes on the vacancies blueprint (blueprint.py); the
batch's flow is recruit/vacancies/imports.py."""

from __future__ import annotations

from flask import flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from recruit.auth.permissions import allow, ensure, load
from recruit.exports import csv_download
from recruit.jobs import progress
from recruit.tabular import encodings, reports
from recruit.vacancies import candidate_rows, imports
from recruit.vacancies.blueprint import bp
from recruit.vacancies.forms import ImportRunForm, ImportUploadForm
from recruit.vacancies.messages import file_error, row_reason
from recruit.vacancies.models import ImportBatch, Vacancy
from recruit.web import commit_or_flash


def _batch(batch_id: int) -> ImportBatch:
    batch = load(ImportBatch, batch_id)
    ensure("vacancy.manage_candidates", batch.vacancy)
    return batch


@bp.route("/vacancies/<int:vacancy_id>/import", methods=["GET", "POST"])
@allow("admin", "recruiter")
def import_upload(vacancy_id: int):
    vacancy = load(Vacancy, vacancy_id, "vacancy.manage_candidates")
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
