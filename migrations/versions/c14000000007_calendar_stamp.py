"""calendar stamp: org_settings.calendar_stamp

A new random value whenever a holiday is added, changed or removed, in the
same transaction (recruit.organisation.services). The settings row is read
with the signed-in user on every request, so each process keeps the
business calendar it built while the stamp stays put, instead of reading
every holiday for every page that counts business days.

Revision ID: c14000000007
Revises: c13f00000006
Create Date: 2026-12-03 10:50:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'c14000000007'
down_revision = 'c13f00000006'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("org_settings") as batch:
        batch.add_column(sa.Column("calendar_stamp", sa.BigInteger(), nullable=False, server_default="0"))


def downgrade():
    with op.batch_alter_table("org_settings") as batch:
        batch.drop_column("calendar_stamp")
