"""calendars that stay true: interviewer_calendars, bookings.ics_uid,
org_settings.contact_phone

An interviewer's calendar entry for a day keeps its UID and SEQUENCE apart
from their hours (which go when they are taken off the day), so every
update and cancellation outranks what their calendar has. A booking keeps
the UID it was first sent with. The entries already sent carry the UIDs the
code wrote so far (`...@recruit`), and the SEQUENCE they were sent with
(1 for a cancelled day's CANCEL), so updates after the upgrade still match
them. `contact_phone` is whom candidates call about their interview.

Revision ID: c16b00000001
Revises: c16000000001
Create Date: 2026-12-03 13:40:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'c16b00000001'
down_revision = 'c16000000001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "interviewer_calendars",
        sa.Column("session_id", sa.Integer(), sa.ForeignKey("interview_sessions.id", ondelete="CASCADE"),
                  primary_key=True),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("uid", sa.String(255), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False, server_default="0"),
        sa.CheckConstraint("sequence >= 0", name="sequence_not_negative"),
    )
    with op.batch_alter_table("bookings") as batch:
        batch.add_column(sa.Column("ics_uid", sa.String(255), nullable=True))
    with op.batch_alter_table("org_settings") as batch:
        batch.add_column(sa.Column("contact_phone", sa.String(20), nullable=False, server_default=""))
    op.execute(sa.text(
        "INSERT INTO interviewer_calendars (session_id, user_id, uid, sequence) "
        "SELECT si.session_id, si.user_id, "
        "'session-' || CAST(si.session_id AS VARCHAR) || '-' || CAST(si.user_id AS VARCHAR) || '@recruit', "
        "CASE WHEN s.cancelled_at IS NULL THEN 0 ELSE 1 END "
        "FROM session_interviewers si JOIN interview_sessions s ON s.id = si.session_id"))
    op.execute(sa.text("UPDATE bookings SET ics_uid = 'booking-' || CAST(id AS VARCHAR) || '@recruit' "
                       "WHERE state <> 'waitlisted' OR ics_sequence > 0"))


def downgrade():
    with op.batch_alter_table("org_settings") as batch:
        batch.drop_column("contact_phone")
    with op.batch_alter_table("bookings") as batch:
        batch.drop_column("ics_uid")
    op.drop_table("interviewer_calendars")
