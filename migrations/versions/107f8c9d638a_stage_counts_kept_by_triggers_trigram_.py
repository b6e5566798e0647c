"""stage counts kept by triggers, trigram search indexes

Revision ID: 107f8c9d638a
Revises: 18bb726ed46d
Create Date: 2026-11-24 19:43:21.999192

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '107f8c9d638a'
down_revision = '18bb726ed46d'
branch_labels = None
depends_on = None


PG_FUNCTION = """
CREATE OR REPLACE FUNCTION recruit_count_applications() RETURNS trigger AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    UPDATE vacancy_stage_counts SET count = count - 1 WHERE vacancy_id = OLD.vacancy_id AND stage = OLD.stage;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    INSERT INTO vacancy_stage_counts (vacancy_id, stage, count) VALUES (NEW.vacancy_id, NEW.stage, 1)
    ON CONFLICT (vacancy_id, stage) DO UPDATE SET count = vacancy_stage_counts.count + 1;
  END IF;
  RETURN NULL;
END
$$ LANGUAGE plpgsql
"""

PG_TRIGGERS = [
    "CREATE TRIGGER applications_counted_insert_delete AFTER INSERT OR DELETE ON applications "
    "FOR EACH ROW EXECUTE FUNCTION recruit_count_applications()",
    "CREATE TRIGGER applications_counted_update AFTER UPDATE OF stage, vacancy_id ON applications FOR EACH ROW "
    "WHEN (OLD.stage IS DISTINCT FROM NEW.stage OR OLD.vacancy_id IS DISTINCT FROM NEW.vacancy_id) "
    "EXECUTE FUNCTION recruit_count_applications()",
]

SQLITE_TRIGGERS = [
    """CREATE TRIGGER applications_counted_insert AFTER INSERT ON applications BEGIN
         INSERT INTO vacancy_stage_counts (vacancy_id, stage, count) VALUES (NEW.vacancy_id, NEW.stage, 1)
         ON CONFLICT (vacancy_id, stage) DO UPDATE SET count = count + 1;
       END""",
    """CREATE TRIGGER applications_counted_delete AFTER DELETE ON applications BEGIN
         UPDATE vacancy_stage_counts SET count = count - 1 WHERE vacancy_id = OLD.vacancy_id AND stage = OLD.stage;
       END""",
    """CREATE TRIGGER applications_counted_update AFTER UPDATE OF stage, vacancy_id ON applications
       WHEN OLD.stage IS NOT NEW.stage OR OLD.vacancy_id IS NOT NEW.vacancy_id BEGIN
         UPDATE vacancy_stage_counts SET count = count - 1 WHERE vacancy_id = OLD.vacancy_id AND stage = OLD.stage;
         INSERT INTO vacancy_stage_counts (vacancy_id, stage, count) VALUES (NEW.vacancy_id, NEW.stage, 1)
         ON CONFLICT (vacancy_id, stage) DO UPDATE SET count = count + 1;
       END""",
]

TRIGRAM_INDEXES = {
    "ix_candidates_name_trgm": "lower(full_name) gin_trgm_ops",
    "ix_candidates_email_trgm": "email_norm gin_trgm_ops",
    "ix_candidates_phone_trgm": "phone_norm gin_trgm_ops",
}


def upgrade():
    op.create_table('vacancy_stage_counts',
    sa.Column('vacancy_id', sa.Integer(), nullable=False),
    sa.Column('stage', sa.String(length=16), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['vacancy_id'], ['vacancies.id'], name=op.f('fk_vacancy_stage_counts_vacancy_id_vacancies'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('vacancy_id', 'stage', name=op.f('pk_vacancy_stage_counts'))
    )
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        op.execute(PG_FUNCTION)
        for statement in PG_TRIGGERS:
            op.execute(statement)
    else:
        for statement in SQLITE_TRIGGERS:
            op.execute(statement)
    op.execute("INSERT INTO vacancy_stage_counts (vacancy_id, stage, count) "
               "SELECT vacancy_id, stage, count(*) FROM applications GROUP BY vacancy_id, stage")
    if bind.dialect.name == "postgresql":
        _trigram_indexes(bind)


def _trigram_indexes(bind):
    """Substring search on names, e-mails and phones through pg_trgm. pg_trgm
    is a trusted extension (PostgreSQL 13+): the database owner may create it.
    Where that is refused, search still works, by scanning."""
    savepoint = bind.begin_nested()
    try:
        bind.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except sa.exc.DBAPIError:
        savepoint.rollback()
        print("pg_trgm is not available: candidate search will scan instead of using an index")
        return
    savepoint.commit()
    for name, expression in TRIGRAM_INDEXES.items():
        op.execute(f"CREATE INDEX IF NOT EXISTS {name} ON candidates USING gin ({expression})")


def downgrade():
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        for name in TRIGRAM_INDEXES:
            op.execute(f"DROP INDEX IF EXISTS {name}")
        op.execute("DROP TRIGGER IF EXISTS applications_counted_insert_delete ON applications")
        op.execute("DROP TRIGGER IF EXISTS applications_counted_update ON applications")
        op.execute("DROP FUNCTION IF EXISTS recruit_count_applications()")
    else:
        for name in ("applications_counted_insert", "applications_counted_delete", "applications_counted_update"):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.drop_table('vacancy_stage_counts')
