"""call attempts: every call of the day-before round

One row per call to a booked candidate (confirmed by phone, declined, no
answer, call back at a time), with who called and when; `tap` is the
form's one-time mark, unique per booking, so a double tap records once.

Revision ID: c16f00000001
Revises: c16c00000001
Create Date: 2026-12-03 13:20:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'c16f00000001'
down_revision = 'c16c00000001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'call_attempts',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('booking_id', sa.Integer(), nullable=False),
        sa.Column('outcome', sa.String(length=12), nullable=False),
        sa.Column('note', sa.String(length=200), nullable=False),
        sa.Column('call_back_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('called_by_id', sa.Integer(), nullable=True),
        sa.Column('called_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('tap', sa.String(length=32), nullable=False),
        sa.CheckConstraint("outcome IN ('confirmed','declined','no_answer','call_back')",
                           name=op.f('ck_call_attempts_valid_outcome')),
        sa.CheckConstraint("outcome <> 'call_back' OR call_back_at IS NOT NULL",
                           name=op.f('ck_call_attempts_call_back_has_time')),
        sa.ForeignKeyConstraint(['booking_id'], ['bookings.id'], name=op.f('fk_call_attempts_booking_id_bookings'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['called_by_id'], ['users.id'], name=op.f('fk_call_attempts_called_by_id_users'),
                                ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_call_attempts')),
        sa.UniqueConstraint('booking_id', 'tap', name='uq_call_attempts_booking_tap'),
    )
    with op.batch_alter_table('call_attempts', schema=None) as batch_op:
        batch_op.create_index('ix_call_attempts_booking_called', ['booking_id', 'called_at'], unique=False)


def downgrade():
    with op.batch_alter_table('call_attempts', schema=None) as batch_op:
        batch_op.drop_index('ix_call_attempts_booking_called')
    op.drop_table('call_attempts')
