"""name search keys for candidates and users, SQLite trigram search

SQLite's lower() folds ASCII only, so Cyrillic names were not found by a
search typed in another case; the key is folded in Python (casefold, "ё" as
"е") and stored beside the name. On PostgreSQL the trigram index moves from
lower(full_name) to the key. On SQLite an FTS5 trigram table over the keys,
kept by triggers, gives search an index there too (it scanned every row).
A later migration that rebuilds the candidates table in SQLite's batch mode
drops these triggers and must create them again.

Revision ID: 035ecb840f9c
Revises: 107f8c9d638a
Create Date: 2026-11-24 22:01:16.455495

"""
import re

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '035ecb840f9c'
down_revision = '107f8c9d638a'
branch_labels = None
depends_on = None


def _key(text):
    """The fold of recruit.search.search_key as it was when this ran."""
    return re.sub(r"\s+", " ", (text or "").casefold().replace("ё", "е")).strip()


def _backfill(bind, table, width):
    rows = bind.execute(sa.text(f"SELECT id, full_name FROM {table}")).all()  # nosec B608: fixed table names
    update = sa.text(f"UPDATE {table} SET name_norm = :key WHERE id = :id")  # nosec B608
    for start in range(0, len(rows), 1000):
        batch = [{"id": row.id, "key": _key(row.full_name)[:width]} for row in rows[start:start + 1000]]
        if batch:
            bind.execute(update, batch)


SQLITE_SEARCH = [
    "CREATE VIRTUAL TABLE candidates_search USING fts5(name_norm, email_norm, phone_norm, "
    "content='candidates', content_rowid='id', tokenize='trigram')",
    """CREATE TRIGGER candidates_search_insert AFTER INSERT ON candidates BEGIN
         INSERT INTO candidates_search (rowid, name_norm, email_norm, phone_norm)
         VALUES (NEW.id, NEW.name_norm, NEW.email_norm, NEW.phone_norm);
       END""",
    """CREATE TRIGGER candidates_search_delete AFTER DELETE ON candidates BEGIN
         INSERT INTO candidates_search (candidates_search, rowid, name_norm, email_norm, phone_norm)
         VALUES ('delete', OLD.id, OLD.name_norm, OLD.email_norm, OLD.phone_norm);
       END""",
    """CREATE TRIGGER candidates_search_update AFTER UPDATE OF name_norm, email_norm, phone_norm ON candidates BEGIN
         INSERT INTO candidates_search (candidates_search, rowid, name_norm, email_norm, phone_norm)
         VALUES ('delete', OLD.id, OLD.name_norm, OLD.email_norm, OLD.phone_norm);
         INSERT INTO candidates_search (rowid, name_norm, email_norm, phone_norm)
         VALUES (NEW.id, NEW.name_norm, NEW.email_norm, NEW.phone_norm);
       END""",
    "INSERT INTO candidates_search (candidates_search) VALUES ('rebuild')",
]


def _has_pg_trgm(bind):
    return bind.dialect.name == "postgresql" and bind.exec_driver_sql(
        "SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'").first() is not None


def upgrade():
    with op.batch_alter_table('candidates', schema=None) as batch_op:
        batch_op.add_column(sa.Column('name_norm', sa.String(length=160), server_default='', nullable=False))

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('name_norm', sa.String(length=120), server_default='', nullable=False))

    bind = op.get_bind()
    _backfill(bind, "candidates", 160)
    _backfill(bind, "users", 120)
    if _has_pg_trgm(bind):
        op.execute("DROP INDEX IF EXISTS ix_candidates_name_trgm")
        op.execute("CREATE INDEX IF NOT EXISTS ix_candidates_name_trgm ON candidates USING gin (name_norm gin_trgm_ops)")
    if bind.dialect.name == "sqlite":
        _sqlite_search(bind)


def _sqlite_search(bind):
    """FTS5's trigram tokenizer needs SQLite 3.34 built with FTS5; an older
    SQLite keeps working, its search scanning (recruit.vacancies.candidates)."""
    try:
        bind.exec_driver_sql(SQLITE_SEARCH[0])
    except sa.exc.OperationalError as exc:
        print(f"SQLite cannot build the trigram search table ({exc.orig}): candidate search will scan instead")
        return
    for statement in SQLITE_SEARCH[1:]:
        op.execute(statement)


def downgrade():
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        for trigger in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER IF EXISTS candidates_search_{trigger}")
        op.execute("DROP TABLE IF EXISTS candidates_search")
    if _has_pg_trgm(bind):
        op.execute("DROP INDEX IF EXISTS ix_candidates_name_trgm")
        op.execute("CREATE INDEX IF NOT EXISTS ix_candidates_name_trgm ON candidates USING gin "
                   "(lower(full_name) gin_trgm_ops)")

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('name_norm')

    with op.batch_alter_table('candidates', schema=None) as batch_op:
        batch_op.drop_column('name_norm')
