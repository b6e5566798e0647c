"""languages and countries

The organisation has a country that sets its defaults (time zone, holidays,
currency, phone region, job boards, the separator of exported CSV files);
each default stays editable. A user has a display language of their own and
a candidate the language everything sent to them is written in; a vacancy
and a job-description template have a language, which a new candidate or
vacancy takes when nothing else says.

Columns are added in place (ALTER TABLE ... ADD COLUMN) so SQLite does not
rebuild the tables, which would cascade-delete their children.

Revision ID: c13a00000001
Revises: c12d00000004
Create Date: 2026-12-01 22:20:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c13a00000001'
down_revision = 'c12d00000004'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('org_settings', sa.Column('country', sa.String(length=2), nullable=True))
    op.add_column('org_settings', sa.Column('currency', sa.String(length=3), nullable=False,
                                            server_default='EUR'))
    op.add_column('org_settings', sa.Column('phone_region', sa.String(length=2), nullable=False,
                                            server_default='UA'))
    op.add_column('org_settings', sa.Column('csv_separator', sa.String(length=1), nullable=False,
                                            server_default=','))
    op.add_column('users', sa.Column('locale', sa.String(length=16), nullable=True))
    op.add_column('candidates', sa.Column('language', sa.String(length=16), nullable=True))
    op.add_column('vacancies', sa.Column('language', sa.String(length=16), nullable=True))
    op.add_column('job_templates', sa.Column('language', sa.String(length=16), nullable=True))


def downgrade():
    with op.batch_alter_table('job_templates') as batch_op:
        batch_op.drop_column('language')
    with op.batch_alter_table('vacancies') as batch_op:
        batch_op.drop_column('language')
    with op.batch_alter_table('candidates') as batch_op:
        batch_op.drop_column('language')
    with op.batch_alter_table('users') as batch_op:
        batch_op.drop_column('locale')
    with op.batch_alter_table('org_settings') as batch_op:
        batch_op.drop_column('csv_separator')
        batch_op.drop_column('phone_region')
        batch_op.drop_column('currency')
        batch_op.drop_column('country')
