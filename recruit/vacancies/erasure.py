"""The right to erasure: anonymising a candidate, on request or after the
retention period, through one path that leaves nothing behind."""

from __future__ import annotations

import json as json_mod
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from functools import cached_property
from typing import Any

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from recruit import audit, mail, phones
from recruit.auth.models import User
from recruit.extensions import db
from recruit.organisation.services import get_settings
from recruit.tabular import values
from recruit.utc import utcnow
from recruit.vacancies.candidate_search import has_sqlite_search_table
from recruit.vacancies.candidates import CandidateError, resume_path
from recruit.vacancies.models import Application, Candidate
from recruit.vacancies.pipeline import CLOSED

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
    phone_norm = candidate.phone_norm or values.normalise_phone(candidate.phone or "")
    emails = tuple(sorted({e for e in ((candidate.email or "").strip().lower(), candidate.email_norm or "") if e}))
    employee = bool(emails) and db.session.scalar(
        sa.select(sa.func.count(User.id)).where(sa.func.lower(User.email).in_(emails))) > 0
    return Erasure(candidate=candidate, by=by, name=(candidate.full_name or "").strip(), emails=emails,
                   phones=tuple(p for p in {(candidate.phone or "").strip(), phone_norm or ""} if p),
                   phone_digits=_national_digits(phone_norm),
                   employee=employee)


def _national_digits(phone_norm: str | None) -> str | None:
    """The digits every spelling of the number holds (+380 67..., 067..., 8 067...)."""
    digits = phones.national_digits(phone_norm) if phone_norm else None
    return digits if digits and len(digits) >= 6 else None


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
    if has_sqlite_search_table():
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
