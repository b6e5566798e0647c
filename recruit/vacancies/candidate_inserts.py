"""Writing many candidates at once, for `candidates.add_rows` (an import of
20,000 rows, the API's batch): per chunk of rows, one look-up of the people
already known by e-mail or phone, one of the applications a vacancy already
has, and multi-row inserts that skip the ORM's per-object work. Which row
links to whom is decided in `candidates.add_rows`; this room only reads and
writes."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from recruit.extensions import db
from recruit.search import search_key
from recruit.utc import utcnow
from recruit.vacancies.candidate_rows import CandidateRow
from recruit.vacancies.models import Application, Candidate, Vacancy

# The candidate's columns a row's values fill (`candidates._fill`, `insert_candidates`).
FILLED = ("full_name", "email", "phone", "city", "education", "notes", "experience_years", "email_norm",
          "phone_norm")


def row_keys(row: CandidateRow) -> list[str]:
    """The keys a row is known by: its e-mail ("e:...") and its phone ("p:...")."""
    return [k for k in (row.email_norm and "e:" + row.email_norm, row.phone_norm and "p:" + row.phone_norm) if k]


def known_ids(chunk: list[CandidateRow]) -> dict[str, int]:
    """Key -> lowest id of a stored candidate with that e-mail or phone, for a
    whole chunk in one query."""
    emails = sorted({r.email_norm for r in chunk if r.email_norm})
    phone_keys = sorted({r.phone_norm for r in chunk if r.phone_norm})
    clauses = []
    if emails:
        clauses.append(Candidate.email_norm.in_(emails))
    if phone_keys:
        clauses.append(Candidate.phone_norm.in_(phone_keys))
    found: dict[str, int] = {}
    if not clauses:
        return found
    wanted_emails, wanted_phones = set(emails), set(phone_keys)
    stmt = sa.select(Candidate.id, Candidate.email_norm, Candidate.phone_norm).where(sa.or_(*clauses)) \
        .order_by(Candidate.id)
    for cid, email, phone in db.session.execute(stmt):
        if email in wanted_emails:
            found.setdefault("e:" + email, cid)
        if phone in wanted_phones:
            found.setdefault("p:" + phone, cid)
    return found


def insert_candidates(vacancy: Vacancy, rows: list[CandidateRow], sources: dict[str, str]) -> list[int]:
    """One multi-row INSERT ... RETURNING for the chunk's new people; the ids
    come back in the rows' order. They are matched by e-mail or phone, which
    are unique among a chunk's new people (a second row with the same key
    links the first): asking the database for the rows' order instead
    (sort_by_parameter_order) makes SQLite insert them one by one. The ORM's
    per-object work is skipped, so what the model does on assignment is done
    here: the name's search key, the canonical source, the language default."""
    if not rows:
        return []
    now = utcnow()

    def values(row: CandidateRow) -> dict[str, Any]:
        return {**{name: getattr(row, name) for name in FILLED},
                "name_norm": search_key(row.full_name)[:160], "source": sources.get(row.source or "", ""),
                "language": row.language or vacancy.language, "created_at": now, "updated_at": now}

    table = Candidate.__table__
    if db.session.get_bind().dialect.name == "postgresql":
        # ids from the sequence in one query, then a plain executemany (psycopg
        # pipelines one prepared statement): a multi-row INSERT ... RETURNING of
        # 500 rows is SQL text psycopg would parse anew for every chunk
        ids = list(db.session.scalars(sa.text(
            "SELECT nextval(pg_get_serial_sequence('candidates', 'id')) FROM generate_series(1, :n)"),
            {"n": len(rows)}))
        db.session.execute(sa.insert(table), [{**values(row), "id": cid} for row, cid in zip(rows, ids, strict=True)])
        return ids
    stmt = sa.insert(table).returning(table.c.id, table.c.email_norm, table.c.phone_norm)
    keyed = [row for row in rows if row_keys(row)]
    by_key: dict[str, int] = {}
    if keyed:
        for cid, email, phone in db.session.execute(stmt, [values(row) for row in keyed]):
            by_key["e:" + email if email else "p:" + phone] = cid
    ids = []
    for row in rows:
        keys = row_keys(row)
        ids.append(by_key[keys[0]] if keys else db.session.execute(stmt, values(row)).scalar_one())
    return ids


def in_pipeline(vacancy: Vacancy, candidate_ids: set[int], chunk: int) -> set[int]:
    """Which of these people already have an application to the vacancy
    (asked `chunk` ids at a time)."""
    found: set[int] = set()
    ids = sorted(candidate_ids)
    for i in range(0, len(ids), chunk):
        found.update(db.session.scalars(sa.select(Application.candidate_id).where(
            Application.vacancy_id == vacancy.id, Application.candidate_id.in_(ids[i:i + chunk]))))
    return found


def add_applications(rows: list[dict[str, Any]]) -> None:
    """The applications of a chunk in one Core executemany: the ORM's bulk
    path costs more than the insert itself."""
    if rows:
        db.session.execute(sa.insert(Application.__table__), rows)
