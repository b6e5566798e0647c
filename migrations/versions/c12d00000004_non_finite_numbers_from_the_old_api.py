"""non-finite numbers the old API let through

Before, the API accepted `NaN` for a candidate's experience and a vacancy's
minimum experience. PostgreSQL stored it; the API now writes standard JSON
only, so such a value would make the record unreadable there. Experience
becomes unknown (NULL) and a minimum becomes 0. SQLite never stored NaN
(it reads it as NULL), so there is nothing to mend on it.

Revision ID: c12d00000004
Revises: c12c00000003
Create Date: 2026-12-01 21:00:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'c12d00000004'
down_revision = 'c12c00000003'
branch_labels = None
depends_on = None

NON_FINITE = "('NaN'::float8, 'Infinity'::float8, '-Infinity'::float8)"


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(f"UPDATE candidates SET experience_years = NULL WHERE experience_years IN {NON_FINITE}")
    for table in ("vacancies", "job_templates"):
        op.execute(f"UPDATE {table} SET min_experience_years = 0 WHERE min_experience_years IN {NON_FINITE}")


def downgrade():
    pass  # the values were not numbers; there is nothing to put back
