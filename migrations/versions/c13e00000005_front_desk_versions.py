"""front desk versions: a day's change counter, the version each booking last
changed at, and the stamp of the show-rate model's outcomes

`interview_sessions.desk_version` is raised, in the same transaction, by
every change of a booking of that day (recruit.interviews.versions), and the
booking keeps the version it changed at (`bookings.desk_version`): the
receptionist's screen asks for the rows changed since the version it shows.
`interview_stamps` holds one row per process-wide cache that the database
invalidates ('show_rate_model': a new value whenever an outcome changes).

Only add_column / create_table: a batch rebuild of `bookings` on SQLite
would cascade-delete its scorecards.

Revision ID: c13e00000005
Revises: c13d00000004
Create Date: 2026-12-02 02:30:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'c13e00000005'
down_revision = 'c13d00000004'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("interview_sessions", sa.Column("desk_version", sa.Integer(), nullable=False, server_default="0"))
    op.add_column("bookings", sa.Column("desk_version", sa.Integer(), nullable=False, server_default="0"))
    op.create_index("ix_bookings_session_desk_version", "bookings", ["session_id", "desk_version"])
    stamps = op.create_table(
        "interview_stamps",
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("value", sa.BigInteger(), nullable=False, server_default="0"),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_interview_stamps")),
    )
    op.bulk_insert(stamps, [{"name": "show_rate_model", "value": 0}])


def downgrade():
    op.drop_table("interview_stamps")
    op.drop_index("ix_bookings_session_desk_version", table_name="bookings")
    op.drop_column("bookings", "desk_version")  # ALTER TABLE ... DROP COLUMN, no rebuild (SQLite 3.35+)
    op.drop_column("interview_sessions", "desk_version")
