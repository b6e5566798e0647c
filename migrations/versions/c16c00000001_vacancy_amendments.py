"""vacancy amendments: a change of headcount or pay to an approved vacancy
waits for the same reviews and approval as the vacancy had

`vacancy_amendments` holds each change (before and after of every field it
touches), `vacancy_reviews.amendment_id` ties a review step to the change it
reviews (NULL: a review of the vacancy itself). The batch rebuild of
`vacancy_reviews` on SQLite is safe: no table refers to it.

Revision ID: c16c00000001
Revises: c16b00000001
Create Date: 2026-12-03 13:40:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'c16c00000001'
down_revision = 'c16b00000001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'vacancy_amendments',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('vacancy_id', sa.Integer(), nullable=False),
        sa.Column('requested_by_id', sa.Integer(), nullable=False),
        sa.Column('reason', sa.Text(), nullable=False),
        sa.Column('changes', sa.JSON(), nullable=False),
        sa.Column('state', sa.String(length=16), nullable=False),
        sa.Column('decided_by_id', sa.Integer(), nullable=True),
        sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('decision_comment', sa.Text(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("state IN ('pending','approved','returned','declined','withdrawn')",
                           name=op.f('ck_vacancy_amendments_valid_amendment_state')),
        sa.ForeignKeyConstraint(['vacancy_id'], ['vacancies.id'],
                                name=op.f('fk_vacancy_amendments_vacancy_id_vacancies'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['requested_by_id'], ['users.id'],
                                name=op.f('fk_vacancy_amendments_requested_by_id_users')),
        sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'],
                                name=op.f('fk_vacancy_amendments_decided_by_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_vacancy_amendments')),
    )
    op.create_index(op.f('ix_vacancy_amendments_vacancy_id'), 'vacancy_amendments', ['vacancy_id'], unique=False)
    op.create_index('uq_vacancy_amendments_pending', 'vacancy_amendments', ['vacancy_id'], unique=True,
                    sqlite_where=sa.text("state = 'pending'"), postgresql_where=sa.text("state = 'pending'"))
    with op.batch_alter_table('vacancy_reviews', schema=None) as batch_op:
        batch_op.add_column(sa.Column('amendment_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_vacancy_reviews_amendment_id_vacancy_amendments'),
                                    'vacancy_amendments', ['amendment_id'], ['id'], ondelete='CASCADE')
        batch_op.create_index(batch_op.f('ix_vacancy_reviews_amendment_id'), ['amendment_id'], unique=False)


def downgrade():
    with op.batch_alter_table('vacancy_reviews', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_vacancy_reviews_amendment_id'))
        batch_op.drop_constraint(batch_op.f('fk_vacancy_reviews_amendment_id_vacancy_amendments'), type_='foreignkey')
        batch_op.drop_column('amendment_id')
    op.drop_index('uq_vacancy_amendments_pending', table_name='vacancy_amendments')
    op.drop_index(op.f('ix_vacancy_amendments_vacancy_id'), table_name='vacancy_amendments')
    op.drop_table('vacancy_amendments')
