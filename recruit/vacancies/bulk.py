"""Work on many candidates of a pipeline at once: the ticked rows, everything
matching the filter, or one import batch; moved, rejected with a reason or
written to in one go. Who cannot take the step is left where they are and
named, grouped by the reason, in the same answer; the others move in the
same transaction."""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy import orm

from recruit import audit
from recruit.extensions import db
from recruit.i18n import label
from recruit.mail import queue_mail
from recruit.vacancies import candidates as candidate_services
from recruit.vacancies.candidates import CandidateError, PipelineFilter
from recruit.vacancies.models import Application, Candidate, ImportBatch, Vacancy
from recruit.vacancies.pipeline import CLOSED, stage_moves

MAX_AT_ONCE = 2000
SCOPES = ("ticked", "filter", "batch")


class BulkError(ValueError):
    pass


@dataclass
class Outcome:
    done: int = 0
    skipped: dict[str, list[str]] = field(default_factory=dict)  # reason -> names

    def skip(self, reason: str, name: str) -> None:
        self.skipped.setdefault(reason, []).append(name)


def chosen(vacancy: Vacancy, scope: str, *, ids: list[int], flt: PipelineFilter,
           batch_id: int | None) -> list[Application]:
    """The applications a bulk action is for, with their candidates."""
    stmt = sa.select(Application).join(Application.candidate).where(Application.vacancy_id == vacancy.id)
    if scope == "ticked":
        if not ids:
            raise BulkError(_("Tick the candidates first, or choose everything matching the filter."))
        stmt = stmt.where(Application.id.in_(ids))
    elif scope == "filter":
        stmt = candidate_services.pipeline_query(vacancy, flt).with_only_columns(Application)
    elif scope == "batch":
        if not batch_id:
            raise BulkError(_("Choose the import."))
        stmt = stmt.where(Application.import_batch_id == batch_id)
    else:
        raise BulkError(_("Choose whom the action is for."))
    found = list(db.session.scalars(stmt.options(orm.lazyload(Application.vacancy)).order_by(None)
                                    .order_by(Application.id).limit(MAX_AT_ONCE + 1)).unique())
    if len(found) > MAX_AT_ONCE:
        raise BulkError(_("That is more than %(n)d candidates at once; narrow the filter.", n=MAX_AT_ONCE))
    if not found:
        raise BulkError(_("No candidate matches."))
    return found


def move_many(applications: list[Application], target: str, reason: str = "") -> Outcome:
    if target in CLOSED and not reason.strip():
        raise BulkError(_("Give a reason for closing these applications."))
    outcome = Outcome()
    for application in applications:
        name = application.candidate.full_name
        if application.stage == target:
            outcome.skip(_("Already there"), name)
        elif target not in stage_moves(application.stage):
            outcome.skip(_("Cannot move from %(stage)s", stage=label(application.stage, "application_stage")),
                         name)
        else:
            try:
                candidate_services.move(application, target, reason)
            except CandidateError as exc:
                outcome.skip(str(exc), name)
                continue
            outcome.done += 1
    return outcome


def email_many(applications: list[Application], subject: str, body: str, by) -> Outcome:
    """One e-mail per candidate, through the outbox: each shows in the
    candidate's history with its delivery."""
    subject, body = subject.strip(), body.strip()
    if not subject or not body:
        raise BulkError(_("Write the subject and the text of the e-mail."))
    outcome = Outcome()
    seen: set[str] = set()
    for application in applications:
        person: Candidate = application.candidate
        email = (person.email or "").strip()
        if person.anonymised_at is not None:
            outcome.skip(_("Personal data erased"), person.full_name)
        elif not email:
            outcome.skip(_("No e-mail address"), person.full_name)
        elif email.casefold() in seen:
            outcome.skip(_("Same address as another one chosen"), person.full_name)
        else:
            seen.add(email.casefold())
            queue_mail(email, subject, body, kind="candidate.message", related=application)
            outcome.done += 1
    if outcome.done:
        audit.record("application.bulk_email", application.vacancy if applications else None,
                     actor_id=by.id, subject=subject, count=outcome.done)
    return outcome


def inviting(applications: list[Application]) -> tuple[list[int], Outcome]:
    """Who may go on to the choice of an interview day: those still in the pipeline."""
    outcome = Outcome()
    ids = []
    for application in applications:
        if application.stage in CLOSED or application.stage == "hired":
            outcome.skip(_("No longer in the pipeline"), application.candidate.full_name)
        else:
            ids.append(application.id)
    return ids, outcome


# Built once, the vacancy as a parameter: the pipeline's bulk bar reads it on every page.
_BATCHES = (sa.select(ImportBatch.id, ImportBatch.filename, sa.func.count(Application.id))
            .join(Application, Application.import_batch_id == ImportBatch.id)
            .where(ImportBatch.vacancy_id == sa.bindparam("vacancy_id"),
                   Application.vacancy_id == sa.bindparam("vacancy_id"))
            .group_by(ImportBatch.id, ImportBatch.filename).order_by(ImportBatch.id.desc()).limit(20))


def batches(vacancy: Vacancy) -> list[tuple[int, str, int]]:
    """The vacancy's imports that brought people in: id, file name, how many."""
    return [(r[0], r[1], int(r[2])) for r in db.session.execute(_BATCHES, {"vacancy_id": vacancy.id})]


def batch_application_ids(batch_id: int, vacancy_id: int | None = None) -> list[int]:
    """The applications one import brought in (a day's invitation of the whole
    file), to the vacancy named when there is one."""
    stmt = sa.select(Application.id).where(Application.import_batch_id == batch_id)
    if vacancy_id is not None:
        stmt = stmt.where(Application.vacancy_id == vacancy_id)
    return list(db.session.scalars(stmt.order_by(Application.id).limit(MAX_AT_ONCE)))
