"""Candidates and the pipeline: adding (with de-duplication), moving between
stages, résumés, and anonymisation on request or after the retention period."""

from __future__ import annotations

import json as json_mod
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from functools import cached_property
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import orm

from recruit import audit, jobs
from recruit.exports import clean_filename
from recruit.extensions import db
from recruit.organisation.services import get_settings
from recruit.search import contains, search_key
from recruit.timeutil import utcnow
from recruit.vacancies import importer, resumes
from recruit.vacancies.messages import field_label, message
from recruit.vacancies.models import Application, Candidate, Vacancy
from recruit.vacancies.pipeline import ALL_STAGES, CLOSED, STAGE_INDEX, STAGES, stage_moves

SOURCES = ("HeadHunter", "SuperJob", "Avito", "Referral", "Walk-in", "Agency", "Company site")


class CandidateError(ValueError):
    pass


def find_existing(email_norm: str | None, phone_norm: str | None) -> Candidate | None:
    clauses = []
    if email_norm:
        clauses.append(Candidate.email_norm == email_norm)
    if phone_norm:
        clauses.append(Candidate.phone_norm == phone_norm)
    if not clauses:
        return None
    return db.session.scalar(sa.select(Candidate).where(sa.or_(*clauses)).order_by(Candidate.id).limit(1))


def _require_open(vacancy: Vacancy) -> None:
    if vacancy.state != "open":
        raise CandidateError(_("Only open vacancies take candidates; this one is %(state)s.", state=vacancy.state))


def _fill(candidate: Candidate, row: importer.CandidateRow) -> None:
    for name in ("full_name", "email", "phone", "city", "education", "source", "notes",
                 "experience_years", "email_norm", "phone_norm"):
        setattr(candidate, name, getattr(row, name))


@dataclass
class AddResult:
    candidate: Candidate
    application: Application | None
    created: bool


def add_candidate(vacancy: Vacancy, values: dict[str, Any], *, line: int = 0) -> AddResult:
    """Add a person to a vacancy's pipeline by hand (audited); a known e-mail
    or phone links the existing candidate instead of making a second one."""
    _require_open(vacancy)
    row, errors = importer.check_candidate(values, line, field_label)
    if row is None:
        raise CandidateError("; ".join(f"{e.column}: {message(e.code, e.params)}" for e in errors))
    result = add_row(vacancy, row)
    audit.record("candidate.add", result.candidate, vacancy_id=vacancy.id, created=result.created)
    return result


def add_row(vacancy: Vacancy, row: importer.CandidateRow) -> AddResult:
    """Add one validated row (see add_candidate)."""
    existing = find_existing(row.email_norm, row.phone_norm)
    created = existing is None
    candidate = existing or Candidate()
    if created:
        _fill(candidate, row)
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


def add_rows(vacancy: Vacancy, rows: list[importer.CandidateRow], progress=None) -> AddCounts:
    """Add many validated rows in the caller's transaction; `progress(done, total)`
    is called now and then for a progress bar."""
    counts = AddCounts()
    total = len(rows)
    for n, row in enumerate(rows, start=1):
        outcome = add_row(vacancy, row)
        if outcome.application is None:
            counts.already += 1
        elif outcome.created:
            counts.created += 1
        else:
            counts.linked += 1
        if progress is not None and (n % 200 == 0 or n == total):
            progress(n, total)
    return counts


def update_candidate(candidate: Candidate, values: dict[str, Any]) -> Candidate:
    if candidate.anonymised_at is not None:
        raise CandidateError(_("This candidate was anonymised."))
    row, errors = importer.check_candidate(values, 0, field_label)
    if row is None:
        raise CandidateError("; ".join(f"{e.column}: {message(e.code, e.params)}" for e in errors))
    other = find_existing(row.email_norm, row.phone_norm)
    if other is not None and other.id != candidate.id:
        raise CandidateError(_("%(name)s already has this e-mail or phone.", name=other.full_name))
    _fill(candidate, row)
    db.session.flush()
    audit.record("candidate.update", candidate)
    return candidate


def move(application: Application, target: str, reason: str = "") -> Application:
    vacancy = application.vacancy
    if vacancy.state not in ("open", "on_hold"):
        raise CandidateError(_("The vacancy is %(state)s; its pipeline is closed.", state=vacancy.state))
    allowed = stage_moves(application.stage)
    if target not in allowed:
        raise CandidateError(_("A candidate at %(stage)s cannot move to %(target)s.",
                               stage=application.stage, target=target))
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


def pipeline_query(vacancy: Vacancy, flt: PipelineFilter) -> sa.Select:
    """One query, candidates joined in: the list page never runs N+1 queries.
    The vacancy (with its template and people) is the same for every row and
    already loaded: it is not joined again per row."""
    stmt = (sa.select(Application).join(Application.candidate)
            .where(Application.vacancy_id == vacancy.id)
            .options(orm.lazyload(Application.vacancy))
            .order_by(Application.id.desc()))
    if flt.stage in ALL_STAGES:
        stmt = stmt.where(Application.stage == flt.stage)
    if flt.source:
        stmt = stmt.where(Candidate.source == flt.source)
    if flt.city:
        stmt = stmt.where(Candidate.city == flt.city)
    if flt.q and flt.q.strip():
        stmt = stmt.where(matching(flt.q))
    return stmt


def pipeline_page(vacancy: Vacancy, flt: PipelineFilter, number: int, per_page: int,
                  stage_counts: dict[str, int]) -> Pagination:
    """One page of the pipeline and its total, without a second pass over a
    large pipeline where the total is known: the stage counts give it for
    the whole list or a stage, and a search that fits on its first page
    counts itself."""
    query = pipeline_query(vacancy, flt)
    page = db.paginate(query, page=number, per_page=per_page, error_out=False, count=False)
    if not has_candidate_filter(flt):
        page.total = stage_counts.get(flt.stage, 0) if flt.stage else sum(stage_counts.values())
    elif page.page == 1 and len(page.items) < per_page:
        page.total = len(page.items)
    else:
        page.total = db.session.scalar(sa.select(sa.func.count()).select_from(query.order_by(None).subquery()))
    return page


def matching(q: str) -> sa.ColumnElement[bool]:
    """A name, e-mail or phone fragment, the phone compared by its digits.
    PostgreSQL answers the substring test from its trigram indexes; SQLite
    from its FTS5 trigram table, which needs three characters to look up."""
    q = q.strip()
    key, email, phone = search_key(q), q.lower(), importer.normalise_phone(q)
    phone = phone if phone and len(phone) >= 4 else None
    if min(len(key), len(email)) >= 3 and _sqlite_search_table():
        terms = [f"name_norm : {_phrase(key)}", f"email_norm : {_phrase(email)}"]
        if phone:
            terms.append(f"phone_norm : {_phrase(phone)}")
        found = sa.select(sa.column("rowid")).select_from(sa.table("candidates_search")).where(
            sa.text("candidates_search MATCH :search_terms").bindparams(search_terms=" OR ".join(terms)))
        return Candidate.id.in_(found)
    clauses = [contains(Candidate.name_norm, key), contains(Candidate.email_norm, email)]
    if phone:
        clauses.append(contains(Candidate.phone_norm, phone))
    return sa.or_(*clauses)


_SEARCH_TABLE: dict[str, bool] = {}


def _sqlite_search_table() -> bool:
    """True on SQLite with the FTS5 trigram table (the migration skips it where
    SQLite is too old to build it; search then scans). Looked up once per database."""
    bind = db.session.get_bind()
    if bind.dialect.name != "sqlite":
        return False
    url = str(bind.url)
    if url not in _SEARCH_TABLE:
        _SEARCH_TABLE[url] = db.session.scalar(sa.text(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'candidates_search'")) == 1
    return _SEARCH_TABLE[url]


def _phrase(text: str) -> str:
    """An FTS5 phrase: the text taken literally, its quotes doubled."""
    return '"' + text.replace('"', '""') + '"'


def filter_options() -> dict[str, list[str]]:
    """Sources and cities known to the organisation, read from their indexes
    (a per-vacancy list would join every application of a large pipeline)."""
    return {"sources": _distinct_values("source"), "cities": _distinct_values("city")}


def _distinct_values(column: str, limit: int = 100) -> list[str]:
    """DISTINCT by skipping through the column's index one value at a time (a
    'loose index scan'): the cost follows the number of values, not of rows."""
    if column not in ("source", "city"):
        raise ValueError(column)
    sql = sa.text(
        f"WITH RECURSIVE v(value) AS ("  # nosec B608: a column name from the fixed pair above
        f" SELECT min({column}) FROM candidates WHERE {column} > ''"
        f" UNION ALL SELECT (SELECT min({column}) FROM candidates WHERE {column} > v.value) FROM v"
        f" WHERE v.value IS NOT NULL) SELECT value FROM v WHERE value IS NOT NULL LIMIT :limit")
    return list(db.session.scalars(sql, {"limit": limit}))


def has_candidate_filter(flt: PipelineFilter) -> bool:
    return bool(flt.source or flt.city or (flt.q and flt.q.strip()))


def board(vacancy: Vacancy, per_column: int = 20) -> dict[str, list[Application]]:
    """The first cards of each stage: one query per column, not per card."""
    columns: dict[str, list[Application]] = {}
    for stage in ALL_STAGES:
        stmt = (sa.select(Application).join(Application.candidate)
                .where(Application.vacancy_id == vacancy.id, Application.stage == stage)
                .options(orm.lazyload(Application.vacancy))
                .order_by(Application.stage_changed_at.desc()).limit(per_column))
        columns[stage] = list(db.session.scalars(stmt).unique())
    return columns


def search_candidates(q: str, limit: int = 50) -> list[Candidate]:
    q = (q or "").strip()
    stmt = sa.select(Candidate).order_by(Candidate.id.desc()).limit(limit)
    if q:
        stmt = stmt.where(matching(q))
    return list(db.session.scalars(stmt).unique())


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


def resume_path(candidate: Candidate) -> Path | None:
    if not candidate.resume_file:
        return None
    path = resume_dir() / candidate.resume_file
    return path if path.is_file() else None


# --- data protection ------------------------------------------------------------
#
# Anonymising a person (on request, and by the retention job: one path) leaves
# nothing behind. The feature that keeps something about candidates and sits
# above this one (interviews, training) takes part through the two hooks
# below, so this module never imports it: a guard may refuse, giving the
# reason; a step erases what that feature holds and says what it did.

Guard = Callable[[Candidate], "str | None"]
Step = Callable[["Erasure"], None]
_GUARDS: list[Guard] = []
_STEPS: list[Step] = []


def erasure_guard(fn: Guard) -> Guard:
    """Register `fn(candidate) -> reason or None`: a reason refuses the anonymisation."""
    _GUARDS.append(fn)
    return fn


def erasure_step(fn: Step) -> Step:
    """Register `fn(erasure)`, run inside the anonymisation before the person's own fields are blanked."""
    _STEPS.append(fn)
    return fn


# the white space allowed inside a phone number or between the words of a
# name (the SQL pre-selection below allows anything there, so it never picks
# fewer rows than scrub changes)
_SPACE = " \t\n\r\f\v\u00a0\u2007\u2009\u202f"
_PHONE_RUN = re.compile(rf"\+?\d[\d{_SPACE}()\-.]{{5,}}\d")
_NAME_GAP = rf"[{_SPACE}]+"
_YO = str.maketrans("ёЁ", "еЕ")


def _fold(text: str) -> str:
    """Lower case, "ё" read as "е": what the SQL pre-selection compares."""
    return text.lower().translate(_YO)


def _name_pattern(word: str) -> str:
    return "".join("[еёЕЁ]" if ch in "еёЕЁ" else re.escape(ch) for ch in word)


def _like(text: str) -> str:
    return text.replace("/", "//").replace("%", "/%").replace("_", "/_")


@dataclass
class Erasure:
    """One anonymisation: what is known about the person (to find it), what
    was done (counts for the audit trail) and what is kept, and why."""

    candidate: Candidate
    by: Any = None
    name: str = ""
    emails: tuple[str, ...] = ()
    phones: tuple[str, ...] = ()
    phone_digits: str | None = None
    employee: bool = False
    objects: list[tuple[str, int]] = field(default_factory=list)  # audit entries about these lose free text
    messages: list[tuple[str, int]] = field(default_factory=list)  # outbox rows related to these are hers
    counts: dict[str, int] = field(default_factory=dict)
    kept: list[str] = field(default_factory=list)

    @property
    def marker(self) -> str:
        return _("[erased]")

    @property
    def searched_names(self) -> list[list[str]]:
        """The words of the whole name (given and family, never a lone word
        that other text is made of), unless the person is also an employee:
        then their name and e-mail stay in the employment records (and are
        not searched for there), only the phone is."""
        if self.employee or len(self.name.split()) < 2 or len(self.name) < 5:
            return []
        return [self.name.split()]

    @property
    def searched_emails(self) -> list[str]:
        return [] if self.employee else sorted({e.lower() for e in self.emails if len(e) >= 3}, key=len, reverse=True)

    @cached_property
    def _pattern(self) -> re.Pattern[str] | None:
        """The name (in any case, "е" for "ё", any white space between its
        words) and the e-mail (in any case), as whole words: "Anna Sekret"
        is not found in "Anna Sekretova"."""
        parts = [r"(?<![\w.+\-])" + re.escape(e) + r"(?![\w\-]|\.\w)" for e in self.searched_emails]
        parts += [r"(?<!\w)" + _NAME_GAP.join(_name_pattern(w) for w in words) + r"(?!\w)"
                  for words in self.searched_names]
        return re.compile("|".join(parts), re.IGNORECASE) if parts else None

    def count(self, what: str, n: int = 1) -> None:
        self.counts[what] = self.counts.get(what, 0) + n

    def scrub(self, text: str) -> str:
        """`text` without the person's name, e-mail or phone (in any spelling of its digits)."""
        if not text:
            return text
        pattern = self._pattern
        if pattern is not None:
            text = pattern.sub(self.marker, text)
        if self.phone_digits:
            text = _PHONE_RUN.sub(
                lambda m: self.marker if self.phone_digits in re.sub(r"\D", "", m.group(0)) else m.group(0), text)
        return text

    def mentions(self, text: str) -> bool:
        return bool(text) and self.scrub(text) != text

    def matches_row(self, cells: list[str]) -> bool:
        """A row of an uploaded file is this person's: their e-mail or phone is in it."""
        for cell in cells:
            value = (cell or "").strip().lower()
            if value and value in self.emails:
                return True
            if self.phone_digits and self.phone_digits in re.sub(r"\D", "", value):
                return True
        return False

    def quoting(self, column: sa.ColumnElement[str], *, json: bool = False) -> sa.ColumnElement[bool] | None:
        """The SQL that picks the rows whose `column` may quote the person:
        never fewer than `scrub` would change (it decides, in Python), and
        on any database: SQLite's lower() and LIKE fold ASCII only, and so
        do PostgreSQL's in the C locale, so the letters of the name and
        e-mail are lowered by replace() as well. A name is looked for as its
        words in order with anything between them, a phone as its digits in
        order. `json`: the column is JSON text, its non-ASCII escaped."""
        clauses = []
        if self.phone_digits:
            clauses.append(column.like("%" + "%".join(self.phone_digits) + "%"))
        needles = ["%".join(_like(_fold(w)) for w in words) for words in self.searched_names]
        needles += [_like(_fold(e)) for e in self.searched_emails]
        if needles:
            forms = [lambda text: text] + ([lambda text: json_mod.dumps(text)[1:-1]] if json else [])
            folded: sa.ColumnElement[str] = sa.func.lower(column)
            for source, target in sorted(_case_pairs("".join(needles))):
                for form in forms:
                    folded = sa.func.replace(folded, form(source), form(target))
            clauses += [folded.like(f"%{form(n)}%", escape="/") for n in needles for form in forms]
        return sa.or_(*clauses) if clauses else None


def _case_pairs(text: str) -> set[tuple[str, str]]:
    """(other case, folded) for the non-ASCII letters of folded `text`
    (lower() folds ASCII itself)."""
    pairs = set()
    for target in set(text):
        variants = {target.upper(), target.title()} | ({"ё", "Ё", "Е"} if target == "е" else set())
        pairs |= {(v, target) for v in variants if len(v) == 1 and v != target and ord(v) > 127}
    return pairs


def _erasure(candidate: Candidate, by) -> Erasure:
    from recruit.auth.models import User

    phone_norm = candidate.phone_norm or importer.normalise_phone(candidate.phone or "")
    emails = tuple(sorted({e for e in ((candidate.email or "").strip().lower(), candidate.email_norm or "") if e}))
    employee = bool(emails) and db.session.scalar(
        sa.select(sa.func.count(User.id)).where(sa.func.lower(User.email).in_(emails))) > 0
    return Erasure(candidate=candidate, by=by, name=(candidate.full_name or "").strip(), emails=emails,
                   phones=tuple(p for p in {(candidate.phone or "").strip(), phone_norm or ""} if p),
                   phone_digits=phone_norm[-10:] if phone_norm and len(phone_norm) >= 7 else None,
                   employee=employee)


def erasure_refusal(candidate: Candidate) -> str | None:
    """Why this person cannot be anonymised now, or None."""
    for guard in _GUARDS:
        reason = guard(candidate)
        if reason:
            return reason
    return None


def anonymise(candidate: Candidate, reason: str, *, by=None) -> Erasure:
    """Erase the person: their fields, résumé, search keys; what other rooms
    hold about them (bookings cancelled, messages dropped or redacted,
    scorecard notes, import files, audit details). The applications stay,
    without the close reasons (stage counts feed the statistics), and so does
    the source channel. A refusal (an onboarding plan still running) raises
    CandidateError with the reason and changes nothing."""
    if candidate.anonymised_at is not None:
        return Erasure(candidate=candidate, by=by)
    refusal = erasure_refusal(candidate)
    if refusal:
        raise CandidateError(refusal)
    erasure = _erasure(candidate, by)
    erasure.objects.append(("candidates", candidate.id))
    erasure.objects += [("applications", a.id) for a in candidate.applications]
    for step in _STEPS:
        step(erasure)
    _erase_messages(erasure)
    path = resume_path(candidate)
    candidate.full_name = _("Anonymised candidate #%(id)d", id=candidate.id)
    candidate.email = candidate.phone = candidate.city = candidate.education = candidate.notes = ""
    candidate.email_norm = candidate.phone_norm = None
    candidate.experience_years = None
    candidate.resume_file = candidate.resume_name = candidate.resume_type = None
    for application in candidate.applications:
        application.close_reason = ""
    candidate.anonymised_at = utcnow()
    db.session.flush()
    erasure.count("free_text_cleaned", _scrub_free_text(erasure))
    erasure.count("audit_entries_redacted",
                  audit.redact(erasure.objects, erasure.quoting, erasure.marker, erasure.scrub))
    _purge_search_index()
    if erasure.employee:
        erasure.kept.append(_("Their employee account is kept, with their name and e-mail: it belongs to the "
                              "employment, not to the application. Deactivate it under Users when they leave."))
    audit.record("candidate.anonymise", candidate, actor_id=getattr(by, "id", None), reason=erasure.scrub(reason),
                 **{k: v for k, v in sorted(erasure.counts.items())}, kept=len(erasure.kept))
    if path is not None:
        path.unlink(missing_ok=True)
    _compact_after_commit()
    return erasure


def _erase_messages(erasure: Erasure) -> None:
    """Messages to the person: for their bookings, or to their e-mail (unless
    it is also an employee's, whose own mail stays)."""
    from recruit import mail

    clauses = [sa.and_(mail.OutboxMessage.related_type == t, mail.OutboxMessage.related_id == i)
               for t, i in erasure.messages]
    if erasure.emails and not erasure.employee:
        clauses.append(sa.func.lower(mail.OutboxMessage.recipient).in_(erasure.emails))
    if clauses:
        dropped, erased = mail.erase_messages(sa.or_(*clauses), erasure.marker, erasure.scrub)
        erasure.count("messages_dropped", dropped)
        erasure.count("messages_redacted", erased)
    erasure.count("messages_scrubbed", mail.scrub_messages(erasure.quoting, erasure.scrub))


def _scrub_free_text(erasure: Erasure) -> int:
    """The safety net: any free-text column of any table (notes, comments,
    reasons, bodies) that quotes the person's name, e-mail or phone keeps its
    text without those values. SQL picks the rows that may quote them, one
    query per column; `erasure.scrub` decides and rewrites, the same as for
    messages, audit details and import files."""
    changed = 0
    for table in db.metadata.sorted_tables:
        keys = list(table.primary_key.columns)
        if not keys:
            continue
        for column in table.columns:
            if not isinstance(column.type, sa.Text) or isinstance(column.type, sa.JSON):
                continue
            where = erasure.quoting(column)
            if where is None:
                return 0
            for row in db.session.execute(sa.select(*keys, column).where(where)).all():
                text = row[-1]
                clean = erasure.scrub(text)
                if clean != text:
                    db.session.execute(table.update().where(*(k == v for k, v in zip(keys, row[:-1], strict=True)))
                                       .values({column.name: clean}))
                    changed += 1
    return changed


def _compact_after_commit() -> None:
    """SQLite keeps a changed row's old bytes in the free space of its pages,
    and old page images in its write-ahead log, until they happen to be
    reused: reading the file would still find the person. Once the
    transaction commits, the database is rebuilt (VACUUM copies only live
    rows) and the log is moved in and truncated. It blocks other writers for
    as long as the rebuild takes (about a second per 100 MB), which is why the
    retention job anonymises everyone due in one transaction, rebuilt once.
    PostgreSQL keeps dead rows unreadable to SQL and reclaims them itself."""
    if db.session.get_bind().dialect.name != "sqlite":
        return
    session = db.session()
    if not session.info.get("compact_after_commit"):
        session.info["compact_after_commit"] = True
        sa.event.listen(session, "after_commit", _compact, once=True)
        sa.event.listen(session, "after_rollback", _forget_compact, once=True)


def _compact(session) -> None:
    if not session.info.pop("compact_after_commit", False):
        return
    try:
        with db.engine.connect() as connection:
            connection.exec_driver_sql("VACUUM")
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    except sa.exc.OperationalError as exc:  # busy past the timeout: the erasure stands, the rebuild waits
        current_app.logger.warning("after an anonymisation the database could not be rebuilt (%s); "
                                   "the next anonymisation tries again, or run VACUUM", exc)


def _forget_compact(session) -> None:
    session.info.pop("compact_after_commit", None)


def _purge_search_index() -> None:
    """SQLite's trigram table marks a changed row's old terms deleted and keeps
    them in its segments until they are merged; merge now, so the old name,
    e-mail and phone leave the index's pages too."""
    if _sqlite_search_table():
        db.session.execute(sa.text("INSERT INTO candidates_search (candidates_search) VALUES ('optimize')"))


def due_for_anonymisation(now=None) -> sa.Select:
    """Candidates all of whose applications closed before the retention period,
    none of them hired or still in progress."""
    now = now or utcnow()
    cutoff = now - timedelta(days=get_settings().retention_days)
    still_needed = sa.select(Application.candidate_id).where(
        sa.or_(Application.stage.not_in(CLOSED), Application.stage_changed_at > cutoff))
    return (sa.select(Candidate.id)
            .where(Candidate.anonymised_at.is_(None), Candidate.id.in_(sa.select(Application.candidate_id)),
                   Candidate.id.not_in(still_needed)))


@jobs.job("candidates.retention", every_seconds=24 * 3600)
def apply_retention() -> int:
    """The retention period: the same anonymisation as on request. A person a
    guard holds back (an onboarding plan running) is skipped, with the reason
    in the audit trail, and the run goes on."""
    ids = db.session.scalars(due_for_anonymisation()).all()
    done = 0
    for candidate_id in ids:
        candidate = db.session.get(Candidate, candidate_id)
        refusal = erasure_refusal(candidate)
        if refusal:
            audit.record("candidate.retention_skipped", candidate, actor_id=None, reason=refusal)
            continue
        anonymise(candidate, reason="retention period")
        done += 1
    if ids:
        audit.record("candidate.retention_run", object_type="system", count=done)
    return done
