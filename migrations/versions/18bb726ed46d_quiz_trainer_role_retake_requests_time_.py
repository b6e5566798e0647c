"""quiz trainer role, retake requests, time per question

Revision ID: 18bb726ed46d
Revises: fa86e6218717
Create Date: 2026-11-24 19:01:49.089449

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '18bb726ed46d'
down_revision = 'fa86e6218717'
branch_labels = None
depends_on = None

OLD_ROLES = "role IN ('admin','hiring_manager','recruiter','receptionist','mentor','new_hire')"
NEW_ROLES = "role IN ('admin','hiring_manager','recruiter','receptionist','mentor','trainer','new_hire')"


def upgrade():
    with op.batch_alter_table('user_roles', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_user_roles_valid_role'), type_='check')
        batch_op.create_check_constraint('valid_role', NEW_ROLES)

    with op.batch_alter_table('attempt_answers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('seconds_spent', sa.Double(), nullable=False, server_default='0'))

    with op.batch_alter_table('attempts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('retake_requested_at', sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('attempts', schema=None) as batch_op:
        batch_op.drop_column('retake_requested_at')

    with op.batch_alter_table('attempt_answers', schema=None) as batch_op:
        batch_op.drop_column('seconds_spent')

    op.execute("DELETE FROM user_roles WHERE role = 'trainer'")
    with op.batch_alter_table('user_roles', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_user_roles_valid_role'), type_='check')
        batch_op.create_check_constraint('valid_role', OLD_ROLES)
