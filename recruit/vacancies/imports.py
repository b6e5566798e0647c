"""Candidate imports: upload -> preview and column mapping -> check (per-row
error report) -> import as a job, all rows in one transaction, so a file is
imported whole or not at all."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import ngettext

from recruit import audit, jobs
from recruit.exports import clean_filename
from recruit.extensions import db
from recruit.housekeeping import refresh_planner_statistics
from recruit.organisation.services import phone_region
from recruit.tabular import encodings, reader, reports
from recruit.utc import utcnow
from recruit.vacancies import candidate_rows
from recruit.vacancies.candidates import CandidateError, add_rows, require_open
from recruit.vacancies.erasure import Erasure, erasure_step
from recruit.vacancies.messages import file_error
from recruit.vacancies.models import Candidate, ImportBatch, Vacancy

PREVIEW_ROWS = 8
MAX_REPORTED_ERRORS = 1000


class CandidateImportError(ValueError):
    pass


def start(vacancy: Vacancy, filename: str, data: bytes, user) -> ImportBatch:
    try:
        require_open(vacancy)
    except CandidateError as exc:
        raise CandidateImportError(str(exc)) from exc
    try:
        parsed = candidate_rows.parse(data)
    except reports.FileError as exc:
        raise CandidateImportError(file_error(exc)) from exc
    if not parsed.rows:
        raise CandidateImportError(_("The file has a header but no candidates."))
    # a name as a person reads it: no control or bidi characters to hide an extension or garble the page
    batch = ImportBatch(vacancy_id=vacancy.id, created_by_id=user.id, filename=clean_filename(filename, "upload.csv"),
                        content=data, encoding=parsed.encoding, delimiter=parsed.delimiter,
                        mapping={k: v for k, v in candidate_rows.guess_mapping(parsed.headers).items()},
                        status="uploaded", report={"rows": len(parsed.rows)})
    db.session.add(batch)
    db.session.flush()
    audit.record("import.upload", batch, filename=batch.filename, rows=len(parsed.rows))
    return batch


def parsed(batch: ImportBatch) -> reader.ParsedFile:
    return candidate_rows.parse(batch.content, encoding=batch.encoding, delimiter=batch.delimiter)


def preview(batch: ImportBatch) -> tuple[list[str], list[tuple[int, list[str]]]]:
    data = parsed(batch)
    return data.headers, data.rows[:PREVIEW_ROWS]


def choose_encoding(batch: ImportBatch, encoding: str) -> None:
    """Read the stored file again in the encoding the user chose on the
    preview page; the mapping is guessed again from the headers as they now
    read, and an earlier check no longer holds."""
    if encoding not in encodings.ENCODINGS:
        raise CandidateImportError(_("Choose one of the listed encodings."))
    if batch.status not in ("uploaded", "checked"):
        raise CandidateImportError(_("This import was already run or dropped."))
    if encoding == batch.encoding:
        return
    batch.encoding = encoding
    try:
        data = parsed(batch)
    except reports.FileError as exc:
        raise CandidateImportError(file_error(exc)) from exc
    batch.mapping = candidate_rows.guess_mapping(data.headers)
    batch.status = "uploaded"
    batch.report = {"rows": len(data.rows)}
    db.session.flush()


def _existing_keys(rows: list[candidate_rows.CandidateRow]) -> tuple[set[str], set[str]]:
    emails = {r.email_norm for r in rows if r.email_norm}
    phones = {r.phone_norm for r in rows if r.phone_norm}
    found_emails: set[str] = set()
    found_phones: set[str] = set()
    email_list, phone_list = sorted(emails), sorted(phones)
    for i in range(0, len(email_list), 500):
        found_emails.update(db.session.scalars(
            sa.select(Candidate.email_norm).where(Candidate.email_norm.in_(email_list[i:i + 500]))))
    for i in range(0, len(phone_list), 500):
        found_phones.update(db.session.scalars(
            sa.select(Candidate.phone_norm).where(Candidate.phone_norm.in_(phone_list[i:i + 500]))))
    return found_emails, found_phones


@dataclass
class CheckResult:
    valid: int
    known: int
    errors: list[dict[str, Any]]


def check(batch: ImportBatch, mapping: dict[str, int | None], *, encoding: str | None = None,
          delimiter: str | None = None) -> CheckResult:
    """Validate every row with the chosen mapping; nothing is written but the report."""
    if batch.status not in ("uploaded", "checked"):
        raise CandidateImportError(_("This import was already run or dropped."))
    if encoding:
        batch.encoding = encoding
    if delimiter:
        batch.delimiter = delimiter
    try:
        data = parsed(batch)
        headers = len(data.headers)
        clean = {f: (i if i is not None and 0 <= i < headers else None) for f, i in mapping.items()
                 if f in candidate_rows.FIELDS}
        result = candidate_rows.validate(data, clean, region=phone_region())
    except reports.FileError as exc:
        raise CandidateImportError(file_error(exc)) from exc
    emails, phones = _existing_keys(result.valid)
    known = sum(1 for r in result.valid if (r.email_norm in emails) or (r.phone_norm in phones))
    errors = [e.as_dict() for e in result.errors]
    warnings = [w.as_dict() for w in result.warnings]
    batch.mapping = clean
    batch.status = "checked"
    batch.report = {"rows": len(data.rows), "valid": len(result.valid), "known": known,
                    "bad_lines": result.bad_lines[:MAX_REPORTED_ERRORS],
                    "errors": errors[:MAX_REPORTED_ERRORS], "error_count": len(errors),
                    # imported all the same, a value left out: shown beside the errors
                    "warnings": warnings[:MAX_REPORTED_ERRORS], "warning_count": len(warnings),
                    "notices": [n.as_dict() for n in data.notices]}
    db.session.flush()
    return CheckResult(len(result.valid), known, errors)


def run(batch: ImportBatch, *, skip_bad_rows: bool) -> str:
    """Queue the import. A file with bad rows needs the user's explicit choice
    to import only the good rows."""
    if batch.status != "checked":
        raise CandidateImportError(_("Check the file before importing it."))
    if batch.report.get("error_count") and not skip_bad_rows:
        raise CandidateImportError(ngettext(
            "%(num)d row has errors. Fix the file and upload it again, or choose to import only the valid rows.",
            "%(num)d rows have errors. Fix the file and upload it again, or choose to import only the valid rows.",
            batch.report["error_count"]))
    if not batch.report.get("valid"):
        raise CandidateImportError(_("No row is valid; nothing to import."))
    batch.status = "queued"
    batch.report = {**batch.report, "skip_bad_rows": skip_bad_rows}
    db.session.flush()
    batch.job_id = jobs.enqueue("candidates.import", batch.id)
    audit.record("import.run", batch, skip_bad_rows=skip_bad_rows)
    return batch.job_id


def drop(batch: ImportBatch) -> None:
    if batch.status in ("queued", "importing", "done"):
        raise CandidateImportError(_("This import already ran."))
    batch.status = "dropped"
    batch.content = b""
    audit.record("import.drop", batch)


def execute(batch_id: int) -> None:
    batch = db.session.get(ImportBatch, batch_id)
    if batch is None or batch.status != "queued":
        return
    try:
        vacancy = batch.vacancy
        require_open(vacancy)
        data = parsed(batch)
        result = candidate_rows.validate(data, batch.mapping, region=phone_region())
        if result.errors and not batch.report.get("skip_bad_rows"):
            raise CandidateImportError(_("The file has rows with errors."))
        counts = add_rows(vacancy, result.valid, progress=jobs.report_progress, batch_id=batch.id)
        created, linked, already = counts.created, counts.linked, counts.already
        batch.status = "done"
        batch.finished_at = utcnow()
        batch.report = {**batch.report, "created": created, "linked": linked, "already": already,
                        "skipped": len(result.bad_lines)}
        batch.content = b""
        audit.record("import.done", batch, created=created, linked=linked, already=already)
        refresh_planner_statistics()
    except Exception as exc:
        db.session.rollback()
        batch = db.session.get(ImportBatch, batch_id)
        batch.status = "failed"
        batch.finished_at = utcnow()
        batch.report = {**batch.report, "failure": str(exc)[:500]}
        audit.record("import.failed", batch, reason=str(exc)[:500])


def requeue_lost() -> int:
    """An import whose job was lost (queue down, process restarted) is queued again."""
    lost = [b for b in db.session.scalars(sa.select(ImportBatch).where(ImportBatch.status == "queued"))
            if not b.job_id or jobs.progress(b.job_id)["status"] in ("unknown", "failed")]
    for batch in lost:
        batch.job_id = jobs.enqueue("candidates.import", batch.id)
    return len(lost)


def recent(vacancy: Vacancy) -> list[ImportBatch]:
    return list(db.session.scalars(sa.select(ImportBatch).where(ImportBatch.vacancy_id == vacancy.id)
                                   .order_by(ImportBatch.id.desc()).limit(10)))


# --- anonymisation ---------------------------------------------------------------

def _scrubbed(value: Any, erasure: Erasure) -> Any:
    if isinstance(value, str):
        return erasure.scrub(value)
    if isinstance(value, dict):
        return {k: _scrubbed(v, erasure) for k, v in value.items()}
    if isinstance(value, list):
        return [_scrubbed(v, erasure) for v in value]
    return value


def _without_person(batch: ImportBatch, erasure: Erasure) -> int | None:
    """The stored file without the person's rows (found by e-mail or phone);
    None when it has none. The header and everyone else stay, in the file's
    own encoding and delimiter."""
    data = parsed(batch)
    keep = [cells for _line, cells in data.rows if not erasure.matches_row(cells)]
    removed = len(data.rows) - len(keep)
    if not removed:
        return None
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=batch.delimiter or ",", lineterminator="\r\n")
    writer.writerow(data.headers)
    writer.writerows(keep)
    batch.content = out.getvalue().encode(batch.encoding or "utf-8", errors="replace")
    return len(keep)


@erasure_step
def erase_from_imports(erasure: Erasure) -> None:
    """Stored upload files lose the person's rows; a checked file is checked
    again before it can run (its error report numbered the old lines), and
    reports and file names lose the person's values."""
    for batch in db.session.scalars(sa.select(ImportBatch).order_by(ImportBatch.id)):
        changed = False
        if batch.content:
            try:
                rows = _without_person(batch, erasure)
            except reports.FileError:
                rows = None
                if erasure.mentions(batch.content.decode(batch.encoding or "utf-8", errors="ignore")):
                    batch.content = b""
                    if batch.status not in ("done", "dropped"):
                        batch.status = "dropped"
                    changed = True
            if rows is not None:
                changed = True
                if batch.status == "checked":
                    batch.status = "uploaded"
                    batch.report = {"rows": rows}
                else:
                    batch.report = {**(batch.report or {}), "rows": rows}
        report = _scrubbed(batch.report or {}, erasure)
        if report != (batch.report or {}):
            batch.report, changed = report, True
        filename = erasure.scrub(batch.filename)
        if filename != batch.filename:
            batch.filename, changed = filename, True
        if changed:
            erasure.count("import_batches_cleaned")
    db.session.flush()
