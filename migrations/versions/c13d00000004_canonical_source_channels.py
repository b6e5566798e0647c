"""canonical source channels

Revision ID: c13d00000004
Revises: c13c00000003
Create Date: 2026-12-01 22:20:00

"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401


# revision identifiers, used by Alembic.
revision = 'c13d00000004'
down_revision = 'c13c00000003'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
