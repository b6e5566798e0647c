"""country defaults and holidays: a holiday's kind (day off or working day,
for Saturdays worked by decree) and the country-years already imported.

Plain `add_column` with server defaults: no table is rebuilt, so nothing
that references these rows is touched (a SQLite batch rebuild would
cascade-delete children).

Revision ID: c13b00000002
Revises: c13a00000001
Create Date: 2026-12-01 22:20:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'c13b00000002'
down_revision = 'c13a00000001'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("holidays", sa.Column("kind", sa.String(16), nullable=False, server_default="day_off"))
    op.add_column("org_settings", sa.Column("holiday_imports", sa.JSON(), nullable=False, server_default="[]"))


def downgrade():
    op.drop_column("org_settings", "holiday_imports")
    op.drop_column("holidays", "kind")
