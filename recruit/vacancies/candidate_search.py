"""Finding candidates: a fragment of a name, an e-mail or a phone, answered
from PostgreSQL's trigram indexes or SQLite's FTS5 trigram table, and the
sources and cities a pipeline's filter offers. The pipeline's list itself
(`candidates.pipeline_query`) filters with `matching`."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy import orm

from recruit import phones
from recruit.extensions import db
from recruit.organisation.services import phone_region
from recruit.search import contains, search_key
from recruit.vacancies.models import Candidate


def matching(q: str) -> sa.ColumnElement[bool]:
    """A name, e-mail or phone fragment, the phone compared by its digits.
    PostgreSQL answers the substring test from its trigram indexes; SQLite
    from its FTS5 trigram table, which needs three characters to look up."""
    q = q.strip()
    key, email = search_key(q), q.lower()
    # a digits fragment ("45 67") as typed, and a whole number in any spelling
    # ("067 123 45 67", "8 916 ...") as the digits of its E.164 form, which is
    # what phone_norm holds
    numbers = phones.search_forms(q, phone_region())
    # A fragment with an @ is an e-mail's: no name holds one, and in a large
    # pipeline each trigram index looked up costs its posting lists (a
    # one-match search of 100,000 candidates read two indexes for 2 ms each).
    names = "@" not in key
    if min(len(key), len(email)) >= 3 and has_sqlite_search_table():
        terms = [f"name_norm : {_phrase(key)}"] if names else []
        terms += [f"email_norm : {_phrase(email)}"]
        terms += [f"phone_norm : {_phrase(number)}" for number in numbers if len(number) >= 3]
        found = sa.select(sa.column("rowid")).select_from(sa.table("candidates_search")).where(
            sa.text("candidates_search MATCH :search_terms").bindparams(search_terms=" OR ".join(terms)))
        return Candidate.id.in_(found)
    clauses = [contains(Candidate.name_norm, key)] if names else []
    clauses += [contains(Candidate.email_norm, email)]
    clauses += [contains(Candidate.phone_norm, number) for number in numbers]
    return sa.or_(*clauses)


_SEARCH_TABLE: dict[str, bool] = {}


def has_sqlite_search_table() -> bool:
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


def search_candidates(q: str, limit: int = 50) -> list[Candidate]:
    q = (q or "").strip()
    stmt = (sa.select(Candidate).order_by(Candidate.id.desc()).limit(limit)
            .options(orm.selectinload(Candidate.applications)))  # the list shows each one's applications
    if q:
        stmt = stmt.where(matching(q))
    return list(db.session.scalars(stmt).unique())


def filter_options(limit: int = 100) -> dict[str, list[str]]:
    """Sources and cities known to the organisation, read from their indexes
    (a per-vacancy list would join every application of a large pipeline),
    both in one statement. DISTINCT by skipping through each column's index
    one value at a time (a 'loose index scan'): the cost follows the number
    of values, not of rows."""
    found: dict[str, list[str]] = {"sources": [], "cities": []}
    for kind, value in db.session.execute(_FILTER_OPTIONS, {"limit": limit}):
        found[kind].append(value)
    return found


def _first(column: str) -> str:
    return f"SELECT min({column}), 1 FROM candidates WHERE {column} > ''"  # nosec B608: a fixed column name


def _next(column: str, cte: str) -> str:
    return (f"SELECT (SELECT min({column}) FROM candidates WHERE {column} > {cte}.value), {cte}.n + 1"  # nosec B608
            f" FROM {cte} WHERE {cte}.value IS NOT NULL AND {cte}.n < :limit")


# The recursive read inside a plain SELECT: a request whose statements all
# begin with SELECT ends with COMMIT (recruit/read_only.py), which keeps the
# page's prepared statements; a WITH at the front counted as a write.
_FILTER_OPTIONS = sa.text(
    "SELECT kind, value FROM (WITH RECURSIVE"  # nosec B608: the columns are the fixed pair named here
    f" s(value, n) AS ({_first('source')} UNION ALL {_next('source', 's')}),"
    f" c(value, n) AS ({_first('city')} UNION ALL {_next('city', 'c')})"
    " SELECT 'sources' AS kind, value FROM s WHERE value IS NOT NULL"
    " UNION ALL SELECT 'cities', value FROM c WHERE value IS NOT NULL) AS options ORDER BY kind DESC, value")
