"""bookings by candidate and by application

The candidate page reads a person's bookings in every state (their
interviews and history), the pipeline each row's next or last interview by
application: both were a scan of every booking, which grows with every
interview day held. (The partial unique index covers live bookings only.)

Revision ID: c16g00000001
Revises: c16e00000001
Create Date: 2026-12-03 14:55:00

"""
from alembic import op

revision = 'c16g00000001'
down_revision = 'c16e00000001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_bookings_candidate', 'bookings', ['candidate_id'], unique=False)
    op.create_index('ix_bookings_application', 'bookings', ['application_id'], unique=False)


def downgrade():
    op.drop_index('ix_bookings_application', table_name='bookings')
    op.drop_index('ix_bookings_candidate', table_name='bookings')
