"""channel costs and scorecard reminders

channel_costs: what a source channel cost in a month, in the currency paid
(the reports' cost per hire). scorecard_reminders: one row per interviewer
reminded of a missing scorecard, unique per booking and interviewer, so a
scorecard is asked for once however many jobs or clicks ask.

Revision ID: c16d00000001
Revises: c16f00000001
Create Date: 2026-12-03 13:20:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'c16d00000001'
down_revision = 'c16f00000001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "channel_costs",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("channel_id", sa.Integer(), sa.ForeignKey("source_channels.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("amount", sa.Numeric(14, 2), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("entered_by_id", sa.Integer(), sa.ForeignKey("users.id", ondelete="SET NULL")),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("channel_id", "month", "currency", name="uq_channel_costs_channel_month_currency"),
        sa.CheckConstraint("amount >= 0", name=op.f("ck_channel_costs_amount_not_negative")),
    )
    op.create_index("ix_channel_costs_month", "channel_costs", ["month"])
    op.create_table(
        "scorecard_reminders",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("booking_id", sa.Integer(), sa.ForeignKey("bookings.id", ondelete="CASCADE"), nullable=False),
        sa.Column("interviewer_id", sa.Integer(), sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("booking_id", "interviewer_id", name="uq_scorecard_reminders_booking_interviewer"),
    )
    op.create_index("ix_scorecard_reminders_interviewer_id", "scorecard_reminders", ["interviewer_id"])


def downgrade():
    op.drop_index("ix_scorecard_reminders_interviewer_id", table_name="scorecard_reminders")
    op.drop_table("scorecard_reminders")
    op.drop_index("ix_channel_costs_month", table_name="channel_costs")
    op.drop_table("channel_costs")
