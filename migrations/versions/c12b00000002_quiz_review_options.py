"""quiz review options, per-hire adjustments

Revision ID: c12b00000002
Revises: c12a00000001
Create Date: 2026-12-01 20:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c12b00000002'
down_revision = 'c12a00000001'
branch_labels = None
depends_on = None


REVIEW = "IN ('score','marks','answers')"


def _sqlite():
    return op.get_bind().dialect.name == 'sqlite'


def upgrade():
    # Existing quizzes get the safe defaults: the score while attempts remain,
    # the answers once none is left or the quiz has closed.
    if _sqlite():
        # In place, each column with its check: a batch rebuild would drop the
        # old quizzes table, and with foreign keys on SQLite's implicit DELETE
        # of its rows would cascade to every attempt and answer.
        for column, default in (('review_open', 'score'), ('review_closed', 'answers')):
            op.execute(f"ALTER TABLE quizzes ADD COLUMN {column} VARCHAR(8) DEFAULT '{default}' NOT NULL "
                       f"CONSTRAINT ck_quizzes_valid_{column} CHECK ({column} {REVIEW})")
    else:
        with op.batch_alter_table('quizzes', schema=None) as batch_op:
            batch_op.add_column(sa.Column('review_open', sa.String(length=8), nullable=False,
                                          server_default='score'))
            batch_op.add_column(sa.Column('review_closed', sa.String(length=8), nullable=False,
                                          server_default='answers'))
            batch_op.create_check_constraint('valid_review_open', f"review_open {REVIEW}")
            batch_op.create_check_constraint('valid_review_closed', f"review_closed {REVIEW}")

    with op.batch_alter_table('attempt_answers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('right_order', sa.JSON(), nullable=False, server_default='[]'))

    op.create_table(
        'quiz_adjustments',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('quiz_id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('extra_minutes', sa.Integer(), nullable=False),
        sa.Column('extra_attempts', sa.Integer(), nullable=False),
        sa.Column('reason', sa.Text(), nullable=False),
        sa.Column('granted_by_id', sa.Integer(), nullable=True),
        sa.Column('granted_at', sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint('extra_minutes >= 0 AND extra_attempts >= 0 AND extra_minutes + extra_attempts > 0',
                           name=op.f('ck_quiz_adjustments_something_granted')),
        sa.ForeignKeyConstraint(['granted_by_id'], ['users.id'],
                                name=op.f('fk_quiz_adjustments_granted_by_id_users'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['quiz_id'], ['quizzes.id'], name=op.f('fk_quiz_adjustments_quiz_id_quizzes'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_quiz_adjustments_user_id_users'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_quiz_adjustments')),
    )
    with op.batch_alter_table('quiz_adjustments', schema=None) as batch_op:
        batch_op.create_index('ix_quiz_adjustments_quiz_user', ['quiz_id', 'user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('quiz_adjustments', schema=None) as batch_op:
        batch_op.drop_index('ix_quiz_adjustments_quiz_user')
    op.drop_table('quiz_adjustments')

    if _sqlite():  # in place, for the reason above (ALTER TABLE ... DROP COLUMN: SQLite 3.35 or later)
        op.execute("ALTER TABLE attempt_answers DROP COLUMN right_order")
        op.execute("ALTER TABLE quizzes DROP COLUMN review_closed")
        op.execute("ALTER TABLE quizzes DROP COLUMN review_open")
        return
    with op.batch_alter_table('attempt_answers', schema=None) as batch_op:
        batch_op.drop_column('right_order')

    with op.batch_alter_table('quizzes', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_quizzes_valid_review_closed'), type_='check')
        batch_op.drop_constraint(op.f('ck_quizzes_valid_review_open'), type_='check')
        batch_op.drop_column('review_closed')
        batch_op.drop_column('review_open')
