"""planning preference: org_settings.planning_preference; bookings.cancelled_with_day

The planner's two abstract weights (value of an interview held, cost of a
candidate waiting one slot) give way to a preference in words, a step of
recruit.interviews.preferences.STEPS, which sets them. Every organisation
starts on the new default (step 2): the old default weights left about a
third of the interviewers' time idle at a show-up of 1 in 5. Downgrading
writes back the weights of the step chosen.

A booking called off with its whole day is marked so (cancelled_with_day):
its candidate may pick a time on another open day from their link, where
one a recruiter cancelled for that person may not.

Revision ID: c16e00000001
Revises: c16d00000001
Create Date: 2026-12-03 13:40:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'c16e00000001'
down_revision = 'c16d00000001'
branch_labels = None
depends_on = None

# the weights of each step as they were written when this migration was (preferences.STEPS)
_COSTS = {1: 0.04, 2: 0.08, 3: 0.25, 4: 0.5, 5: 2.0}


def upgrade():
    with op.batch_alter_table("org_settings") as batch:
        batch.add_column(sa.Column("planning_preference", sa.Integer(), nullable=False, server_default="2"))
        batch.drop_column("interview_overflow_cost")
        batch.drop_column("interview_reward")
    # add_column / drop_column, not a batch: a batch rebuild of `bookings` on SQLite would lose the WHERE of
    # its partial unique index (one live booking per candidate), as c13e00000005 says
    op.add_column("bookings", sa.Column("cancelled_with_day", sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade():
    op.drop_column("bookings", "cancelled_with_day")  # ALTER TABLE ... DROP COLUMN, no rebuild (SQLite 3.35+)
    with op.batch_alter_table("org_settings") as batch:
        batch.add_column(sa.Column("interview_reward", sa.Double(), server_default="1.0", nullable=False))
        batch.add_column(sa.Column("interview_overflow_cost", sa.Double(), server_default="0.5", nullable=False))
    settings = sa.table("org_settings", sa.column("planning_preference", sa.Integer),
                        sa.column("interview_overflow_cost", sa.Double))
    for step, cost in _COSTS.items():
        op.execute(settings.update().where(settings.c.planning_preference == step)
                   .values(interview_overflow_cost=cost))
    with op.batch_alter_table("org_settings") as batch:
        batch.drop_column("planning_preference")
