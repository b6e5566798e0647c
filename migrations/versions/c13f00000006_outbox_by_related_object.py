"""outbox by related object: an index on (related_type, related_id)

`recruit.mail.cancel_pending` drops the reminders of a booking that is
cancelled, checked in or marked a no-show by its related object; the outbox
holds every invitation and reminder ever sent, so without an index each of
those taps read the whole table.

Revision ID: c13f00000006
Revises: c13e00000005
Create Date: 2026-12-02 19:30:00

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = 'c13f00000006'
down_revision = 'c13e00000005'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_outbox_related", "outbox_messages", ["related_type", "related_id"])


def downgrade():
    op.drop_index("ix_outbox_related", table_name="outbox_messages")
