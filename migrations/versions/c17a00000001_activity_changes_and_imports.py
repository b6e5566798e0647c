"""activity changes and imports

Every number of a day's activity keeps where it came from (the hire, the
mentor, an administrator, a CRM import) and who set it; a CRM export is held
between its preview and its application.

Revision ID: c17a00000001
Revises: c16g00000001
Create Date: 2026-12-05 06:04:21.634048

"""
from alembic import op
import sqlalchemy as sa

revision = 'c17a00000001'
down_revision = 'c16g00000001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('activity_imports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.Column('uploaded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('applied_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['plan_id'], ['onboarding_plans.id'], name=op.f('fk_activity_imports_plan_id_onboarding_plans'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'], name=op.f('fk_activity_imports_uploaded_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_activity_imports'))
    )
    with op.batch_alter_table('activity_imports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_activity_imports_plan_id'), ['plan_id'], unique=False)

    op.create_table('activity_changes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('entry_id', sa.Integer(), nullable=False),
    sa.Column('metric', sa.String(length=20), nullable=False),
    sa.Column('old', sa.Integer(), nullable=True),
    sa.Column('new', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=10), nullable=False),
    sa.Column('changed_by_id', sa.Integer(), nullable=True),
    sa.Column('changed_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("source IN ('hire','mentor','admin','crm')", name=op.f('ck_activity_changes_valid_source')),
    sa.ForeignKeyConstraint(['changed_by_id'], ['users.id'], name=op.f('fk_activity_changes_changed_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['entry_id'], ['activity_entries.id'], name=op.f('fk_activity_changes_entry_id_activity_entries'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_activity_changes'))
    )
    with op.batch_alter_table('activity_changes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_activity_changes_entry_id'), ['entry_id'], unique=False)



def downgrade():
    with op.batch_alter_table('activity_changes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_activity_changes_entry_id'))

    op.drop_table('activity_changes')
    with op.batch_alter_table('activity_imports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_activity_imports_plan_id'))

    op.drop_table('activity_imports')
