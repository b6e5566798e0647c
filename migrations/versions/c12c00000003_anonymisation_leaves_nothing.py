"""anonymisation leaves nothing behind

An outbox message to a person who was anonymised keeps its event (kind,
subject, status, dates) and loses its recipient, body and attachments;
`erased_at` says so, and the admin outbox offers no "send again" for it.

Revision ID: c12c00000003
Revises: c12b00000002
Create Date: 2026-12-01 20:00:00

"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401


# revision identifiers, used by Alembic.
revision = 'c12c00000003'
down_revision = 'c12b00000002'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('erased_at', sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.drop_column('erased_at')
