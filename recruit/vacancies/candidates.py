"""Candidates in a vacancy's pipeline: adding one or many (a known e-mail or
phone links the person already stored), editing, moving between stages, the
pipeline's list and board, résumés. Finding people by a fragment is
candidate_search.py, the SQL of a batch is candidate_inserts.py,
anonymisation is erasure.py."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from flask_sqlalchemy.pagination import Pagination, SelectPagination
from sqlalchemy import orm

from recruit import audit
from recruit.exports import clean_filename
from recruit.extensions import db
from recruit.i18n import label
from recruit.organisation.services import phone_region
from recruit.utc import utcnow
from recruit.vacancies import candidate_inserts, candidate_rows, channels, pipeline_hooks, resumes
from recruit.vacancies.candidate_search import matching
from recruit.vacancies.messages import field_label, message
from recruit.vacancies.models import Application, Candidate, Vacancy, VacancyStageCount
from recruit.vacancies.pipeline import ALL_STAGES, CLOSED, STAGE_INDEX, STAGES, stage_moves


class CandidateError(ValueError):
    pass


CHUNK = 500  # rows per batched insert and per bulk look-up of known people


def check_values(values: dict[str, Any], line: int = 0, column_name=field_label):
    """`candidate_rows.check_candidate` with the organisation's phone region (the
    API and the forms call this, so every path reads numbers alike)."""
    return candidate_rows.check_candidate(values, line, column_name, region=phone_region())


def find_existing(email_norm: str | None, phone_norm: str | None) -> Candidate | None:
    clauses = []
    if email_norm:
        clauses.append(Candidate.email_norm == email_norm)
    if phone_norm:
        clauses.append(Candidate.phone_norm == phone_norm)
    if not clauses:
        return None
    return db.session.scalar(sa.select(Candidate).where(sa.or_(*clauses)).order_by(Candidate.id).limit(1))


def require_open(vacancy: Vacancy) -> None:
    if vacancy.state != "open":
        raise CandidateError(_("Only open vacancies take candidates; this one is %(state)s.",
                               state=label(vacancy.state, "vacancy_state")))


def _fill(candidate: Candidate, row: candidate_rows.CandidateRow, *, language: str | None = None) -> None:
    """The row's values on the candidate; the source as its canonical channel
    (an alias such as "Рекомендация" is stored as "Referral", so the show-rate
    model and the reports count it with its channel)."""
    for name in candidate_inserts.FILLED:
        setattr(candidate, name, getattr(row, name))
    candidate.source = channels.canonical(row.source)
    if language is not None:
        candidate.language = language


@dataclass
class AddResult:
    candidate: Candidate
    application: Application | None
    created: bool


def add_candidate(vacancy: Vacancy, values: dict[str, Any], *, line: int = 0) -> AddResult:
    """Add a person to a vacancy's pipeline by hand (audited); a known e-mail
    or phone links the existing candidate instead of making a second one."""
    require_open(vacancy)
    row, errors = check_values(values, line)
    if row is None:
        raise CandidateError("; ".join(f"{e.column}: {message(e.code, e.params)}" for e in errors))
    result = add_row(vacancy, row)
    if not result.created and row.language and result.candidate.language != row.language:
        # a person already known keeps their language unless the form chose one
        result.candidate.language = row.language
        db.session.flush()
    audit.record("candidate.add", result.candidate, vacancy_id=vacancy.id, created=result.created)
    return result


def add_row(vacancy: Vacancy, row: candidate_rows.CandidateRow) -> AddResult:
    """Add one validated row (see add_candidate)."""
    existing = find_existing(row.email_norm, row.phone_norm)
    created = existing is None
    candidate = existing or Candidate()
    if created:
        # the candidate's language: the file's column, else the vacancy's; none
        # leaves the organisation's default to apply when something is sent
        _fill(candidate, row, language=row.language or vacancy.language)
        db.session.add(candidate)
        db.session.flush()
    application = db.session.scalar(sa.select(Application).where(
        Application.vacancy_id == vacancy.id, Application.candidate_id == candidate.id))
    if application is not None:
        return AddResult(candidate, None, created)
    application = Application(vacancy_id=vacancy.id, candidate_id=candidate.id, stage="new", furthest_stage=0)
    db.session.add(application)
    db.session.flush()
    return AddResult(candidate, application, created)


@dataclass
class AddCounts:
    created: int = 0
    linked: int = 0
    already: int = 0


def add_rows(vacancy: Vacancy, rows: list[candidate_rows.CandidateRow], progress=None, *,
             batch_id: int | None = None) -> AddCounts:
    """Add many validated rows in the caller's transaction, with the same
    outcome as `add_row` one by one (a known e-mail or phone links the
    person with the lowest id; a row matching one added earlier in the list
    links that one; a person already in the pipeline is counted, not added
    twice), but in chunks: one look-up of known people and of applications
    per chunk, and executemany inserts, so 20,000 rows take seconds, not
    minutes. `progress(done, total)` is called after each chunk; `batch_id`
    marks the applications with the import that brought them in."""
    counts = AddCounts()
    total = len(rows)
    sources = channels.canonical_many(r.source for r in rows)
    in_pipeline: set[int] = set()
    for start in range(0, total, CHUNK):
        chunk = rows[start:start + CHUNK]
        known = candidate_inserts.known_ids(chunk)
        targets: list[int | candidate_rows.CandidateRow] = []
        fresh: list[candidate_rows.CandidateRow] = []
        pending: dict[str, candidate_rows.CandidateRow] = {}  # keys of rows created in this chunk
        fresh_order: dict[int, int] = {}
        for row in chunk:
            keys = candidate_inserts.row_keys(row)
            found = [known[k] for k in keys if k in known]  # stored earlier, chunks before this one included
            if found:
                targets.append(min(found))
                continue
            twins = [pending[k] for k in keys if k in pending]
            if twins:  # the first created of them has the lowest id
                targets.append(min(twins, key=lambda r: fresh_order[id(r)]))
                continue
            fresh_order[id(row)] = len(fresh)
            fresh.append(row)
            targets.append(row)
            for key in keys:
                pending.setdefault(key, row)
        ids = candidate_inserts.insert_candidates(vacancy, fresh, sources)
        new_ids = {id(row): cid for row, cid in zip(fresh, ids, strict=True)}
        resolved = [t if isinstance(t, int) else new_ids[id(t)] for t in targets]
        created_now = set(new_ids.values())
        in_pipeline |= candidate_inserts.in_pipeline(
            vacancy, {cid for cid in resolved if cid not in created_now} - in_pipeline, CHUNK)
        applications = []
        for cid in resolved:
            if cid in in_pipeline:
                counts.already += 1
                continue
            in_pipeline.add(cid)
            applications.append({"vacancy_id": vacancy.id, "candidate_id": cid, "stage": "new", "furthest_stage": 0,
                                 "import_batch_id": batch_id})
            if cid in created_now:
                counts.created += 1
                created_now.discard(cid)
            else:
                counts.linked += 1
        candidate_inserts.add_applications(applications)
        if progress is not None:
            progress(min(start + CHUNK, total), total)
    return counts


def update_candidate(candidate: Candidate, values: dict[str, Any]) -> Candidate:
    if candidate.anonymised_at is not None:
        raise CandidateError(_("This candidate was anonymised."))
    row, errors = check_values(values)
    if row is None:
        raise CandidateError("; ".join(f"{e.column}: {message(e.code, e.params)}" for e in errors))
    other = find_existing(row.email_norm, row.phone_norm)
    if other is not None and other.id != candidate.id:
        raise CandidateError(_("%(name)s already has this e-mail or phone.", name=other.full_name))
    # the language only when the form has it: an edit without it keeps the person's
    _fill(candidate, row, language=row.language if "language" in values else None)
    if "language" in values and row.language is None:
        candidate.language = None
    db.session.flush()
    audit.record("candidate.update", candidate)
    return candidate


def move(application: Application, target: str, reason: str = "") -> Application:
    vacancy = application.vacancy
    if vacancy.state not in ("open", "on_hold"):
        raise CandidateError(_("The vacancy is %(state)s; its pipeline is closed.",
                               state=label(vacancy.state, "vacancy_state")))
    allowed = stage_moves(application.stage)
    if target not in allowed:
        raise CandidateError(_("A candidate at %(stage)s cannot move to %(target)s.",
                               stage=label(application.stage, "application_stage"),
                               target=label(target, "stage_move")))
    source = application.stage
    if target == "reopen":
        target = STAGES[application.furthest_stage]
        application.close_reason = ""
    elif target in CLOSED:
        if not reason.strip():
            raise CandidateError(_("Give a reason for closing this application."))
        application.close_reason = reason.strip()[:2000]
    if target == "hired" and vacancy.state != "open":
        raise CandidateError(_("Hire only into an open vacancy."))
    application.stage = target
    if target in STAGE_INDEX:
        application.furthest_stage = max(application.furthest_stage, STAGE_INDEX[target])
    application.stage_changed_at = utcnow()
    db.session.flush()
    audit.record("application.move", application, **{"from": source, "to": target, "reason": reason.strip()})
    return application


@dataclass
class PipelineFilter:
    stage: str | None = None
    source: str | None = None
    city: str | None = None
    q: str | None = None
    interview: str | None = None  # a registered row filter (pipeline_hooks), e.g. "confirmed_tomorrow"


# Built once, the vacancy's id as a parameter (built per call, SQLAlchemy works out its cache key and the
# ORM its options again on every page).
_PIPELINE_VACANCY = (
    sa.select(Vacancy, VacancyStageCount.stage, VacancyStageCount.count)
    .outerjoin(VacancyStageCount, sa.and_(VacancyStageCount.vacancy_id == Vacancy.id, VacancyStageCount.count > 0))
    .where(Vacancy.id == sa.bindparam("vacancy_id")).options(orm.lazyload("*")))


def pipeline_vacancy(vacancy_id: int) -> tuple[Vacancy | None, dict[str, int]]:
    """The vacancy as its pipeline pages need it (its own columns, not its
    people and template) and its stage counts, in one statement. Held by the
    caller, the vacancy is what a view's `load` then finds without another."""
    rows = db.session.execute(_PIPELINE_VACANCY, {"vacancy_id": vacancy_id}).all()
    return (rows[0][0] if rows else None), {stage: count for _v, stage, count in rows if stage is not None}


def _filtered(stmt: sa.Select, vacancy: Vacancy, flt: PipelineFilter) -> sa.Select:
    stmt = stmt.where(Application.vacancy_id == vacancy.id).order_by(Application.id.desc())
    if flt.stage in ALL_STAGES:
        stmt = stmt.where(Application.stage == flt.stage)
    if flt.source:
        stmt = stmt.where(Candidate.source == flt.source)
    if flt.city:
        stmt = stmt.where(Candidate.city == flt.city)
    if flt.q and flt.q.strip():
        stmt = stmt.where(matching(flt.q))
    if (extra := pipeline_hooks.filter_named(flt.interview)) is not None:
        stmt = stmt.where(Application.id.in_(extra.application_ids()))
    return stmt


def pipeline_query(vacancy: Vacancy, flt: PipelineFilter, *, with_applications: bool = False) -> sa.Select:
    """One query, candidates joined in: the list page never runs N+1 queries.
    The vacancy (with its template and people) is the same for every row and
    already loaded: it is not joined again per row. `with_applications` also
    reads each candidate's applications to every vacancy, in one more query
    for the whole page (the API lists them)."""
    stmt = (sa.select(Application).join(Application.candidate)
            .options(orm.lazyload(Application.vacancy)))
    if with_applications:  # each with its vacancy's state and manager, not the vacancy's people and template
        stmt = stmt.options(orm.joinedload(Application.candidate).selectinload(Candidate.applications).options(
            orm.joinedload(Application.vacancy).lazyload("*"), orm.lazyload(Application.candidate)))
    return _filtered(stmt, vacancy, flt)


# What a pipeline row shows: read as plain rows, the list page builds no
# objects for 50 applications and their candidates it only writes out.
PIPELINE_ROW = (Application.id, Application.stage, Application.close_reason, Application.stage_changed_at,
                Candidate.id.label("candidate_id"), Candidate.full_name, Candidate.email, Candidate.phone,
                Candidate.phone_norm, Candidate.city, Candidate.source, Candidate.experience_years)


class _RowsPage(SelectPagination):
    def _query_items(self) -> list[Any]:
        stmt = self._query_args["select"].limit(self.per_page).offset(self._query_offset)
        return list(self._query_args["session"].execute(stmt).all())


class _KeptRowsPage(Pagination):
    """A page of rows from a statement built once per shape, its values and the page's window as parameters."""

    def _query_items(self) -> list[Any]:
        params = {**self._query_args["params"], "limit": self.per_page, "offset": self._query_offset}
        return list(db.session.execute(self._query_args["select"], params).all())

    def _query_count(self) -> int:  # the caller sets the total (count=False)
        raise NotImplementedError


_KEPT_ROWS: dict[tuple[bool, bool, bool], sa.Select] = {}


def _kept_rows(stage: bool, source: bool, city: bool) -> sa.Select:
    """The list's statement for a page narrowed by stage, source and city (or not),
    built once per shape with its values as parameters: built per request,
    SQLAlchemy works out its cache key again on every page."""
    shape = (stage, source, city)
    if shape not in _KEPT_ROWS:
        stmt = (sa.select(*PIPELINE_ROW).join(Application.candidate)
                .where(Application.vacancy_id == sa.bindparam("vacancy_id")).order_by(Application.id.desc()))
        if stage:
            stmt = stmt.where(Application.stage == sa.bindparam("stage"))
        if source:
            stmt = stmt.where(Candidate.source == sa.bindparam("source"))
        if city:
            stmt = stmt.where(Candidate.city == sa.bindparam("city"))
        _KEPT_ROWS[shape] = stmt.limit(sa.bindparam("limit", type_=sa.Integer)).offset(
            sa.bindparam("offset", type_=sa.Integer))
    return _KEPT_ROWS[shape]


def pipeline_page(vacancy: Vacancy, flt: PipelineFilter, number: int, per_page: int,
                  stage_counts: dict[str, int], *, with_applications: bool = False,
                  rows: bool = False) -> Pagination:
    """One page of the pipeline and its total, without a second pass over a
    large pipeline where the total is known: the stage counts give it for
    the whole list or a stage, and a search that fits on its first page
    counts itself. `rows` gives `PIPELINE_ROW`s instead of applications."""
    page: Pagination
    if rows and not (flt.q and flt.q.strip()) and pipeline_hooks.filter_named(flt.interview) is None:
        stage = flt.stage if flt.stage in ALL_STAGES else None
        page = _KeptRowsPage(select=_kept_rows(stage is not None, bool(flt.source), bool(flt.city)),
                             params={"vacancy_id": vacancy.id, "stage": stage, "source": flt.source,
                                     "city": flt.city},
                             page=number, per_page=per_page, error_out=False, count=False)
    elif rows:
        page = _RowsPage(select=_filtered(sa.select(*PIPELINE_ROW).join(Application.candidate), vacancy, flt),
                         session=db.session, page=number, per_page=per_page, error_out=False, count=False)
    else:
        page = db.paginate(pipeline_query(vacancy, flt, with_applications=with_applications), page=number,
                           per_page=per_page, error_out=False, count=False)
    if not has_candidate_filter(flt):
        page.total = stage_counts.get(flt.stage, 0) if flt.stage else sum(stage_counts.values())
    elif page.page == 1 and len(page.items) < per_page:
        page.total = len(page.items)
    else:
        matching_ids = _filtered(sa.select(Application.id).join(Application.candidate), vacancy, flt)
        page.total = db.session.scalar(sa.select(sa.func.count()).select_from(matching_ids.order_by(None).subquery()))
    return page


def has_candidate_filter(flt: PipelineFilter) -> bool:
    return bool(flt.source or flt.city or (flt.q and flt.q.strip()) or pipeline_hooks.filter_named(flt.interview))


def board(vacancy: Vacancy, per_column: int = 20) -> dict[str, list[Application]]:
    """The first cards of each stage, in one statement: each column's ids
    through its own index probe (vacancy, stage, changed), the columns joined
    by UNION ALL, then the cards with their candidates."""
    firsts = [sa.select(sa.select(Application.id)
                        .where(Application.vacancy_id == vacancy.id, Application.stage == stage)
                        .order_by(Application.stage_changed_at.desc()).limit(per_column).subquery())
              for stage in ALL_STAGES]
    stmt = (sa.select(Application).join(Application.candidate)
            .where(Application.id.in_(sa.union_all(*firsts)))
            .options(orm.lazyload(Application.vacancy)))
    columns: dict[str, list[Application]] = {stage: [] for stage in ALL_STAGES}
    for application in sorted(db.session.scalars(stmt).unique(), key=lambda a: (a.stage_changed_at, a.id),
                              reverse=True):
        columns[application.stage].append(application)
    return columns


# --- résumés ---------------------------------------------------------------------

def resume_dir() -> Path:
    path = Path(current_app.config["UPLOAD_DIR"]) / "resumes"
    path.mkdir(parents=True, exist_ok=True)
    return path


def attach_resume(candidate: Candidate, filename: str, data: bytes) -> None:
    if candidate.anonymised_at is not None:
        raise CandidateError(_("This candidate was anonymised."))
    if not data:
        raise CandidateError(_("The file is empty."))
    if len(data) > current_app.config["RESUME_MAX_BYTES"]:
        raise CandidateError(_("A résumé may be at most %(mb)d MB.",
                               mb=current_app.config["RESUME_MAX_BYTES"] // (1024 * 1024)))
    try:
        kind = resumes.detect_type(data)
    except resumes.UnsafeArchiveError:
        raise CandidateError(_("This file is an archive that would unpack to far more than a résumé holds; "
                               "it was not stored. Save the résumé again as PDF and upload that.")) from None
    if kind is None:
        raise CandidateError(_("Upload a PDF, DOCX or ODT file; this file is none of them."))
    stored = f"{uuid.uuid4().hex}.{kind}"
    (resume_dir() / stored).write_bytes(data)
    old = candidate.resume_file
    candidate.resume_file, candidate.resume_type = stored, kind
    candidate.resume_name = clean_filename(Path(clean_filename(filename, "resume")).stem, "resume") + f".{kind}"
    db.session.flush()
    audit.record("candidate.resume_upload", candidate, type=kind, size=len(data))
    if old:
        (resume_dir() / old).unlink(missing_ok=True)


def resume_download(candidate: Candidate) -> Path | None:
    """The stored résumé about to be handed out, its download audited; None when there is none."""
    path = resume_path(candidate)
    if path is not None:
        audit.record("candidate.resume_download", candidate)
    return path


def resume_path(candidate: Candidate) -> Path | None:
    if not candidate.resume_file:
        return None
    path = resume_dir() / candidate.resume_file
    return path if path.is_file() else None
