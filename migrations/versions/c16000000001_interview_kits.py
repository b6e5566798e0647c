"""interview kits: kit_criteria per vacancy, criterion_scores per scorecard;
applications.import_batch_id (which import brought a candidate in)

A structured interview: each vacancy's kit lists the criteria taken from its
job description (experience, 1C, CRM, telephone manner, negotiation...) with
what a 1 and a 5 look like; a scorecard keeps one score per criterion beside
the three scores every interview gives (motivation, competence, adequacy).

Revision ID: c16000000001
Revises: c14000000007
Create Date: 2026-12-03 13:40:00

"""
import sqlalchemy as sa
from alembic import op

revision = 'c16000000001'
down_revision = 'c14000000007'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'kit_criteria',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('vacancy_id', sa.Integer(), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=120), nullable=False),
        sa.Column('question', sa.Text(), nullable=False),
        sa.Column('low', sa.Text(), nullable=False),
        sa.Column('high', sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(['vacancy_id'], ['vacancies.id'],
                                name=op.f('fk_kit_criteria_vacancy_id_vacancies'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_kit_criteria')),
        sa.UniqueConstraint('vacancy_id', 'name', name='uq_kit_criteria_vacancy_name'),
    )
    op.create_index(op.f('ix_kit_criteria_vacancy_id'), 'kit_criteria', ['vacancy_id'], unique=False)
    op.create_table(
        'criterion_scores',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('scorecard_id', sa.Integer(), nullable=False),
        sa.Column('criterion_id', sa.Integer(), nullable=True),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=120), nullable=False),
        sa.Column('score', sa.Integer(), nullable=False),
        sa.CheckConstraint('score BETWEEN 1 AND 5', name=op.f('ck_criterion_scores_criterion_score_1_to_5')),
        sa.ForeignKeyConstraint(['scorecard_id'], ['scorecards.id'],
                                name=op.f('fk_criterion_scores_scorecard_id_scorecards'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['criterion_id'], ['kit_criteria.id'],
                                name=op.f('fk_criterion_scores_criterion_id_kit_criteria'), ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_criterion_scores')),
        sa.UniqueConstraint('scorecard_id', 'name', name='uq_criterion_scores_card_name'),
    )
    op.create_index(op.f('ix_criterion_scores_scorecard_id'), 'criterion_scores', ['scorecard_id'], unique=False)
    # add_column, not a batch: a rebuild of `applications` on SQLite would cascade to its bookings
    op.add_column('applications', sa.Column('import_batch_id', sa.Integer(), nullable=True))
    op.create_index(op.f('ix_applications_import_batch_id'), 'applications', ['import_batch_id'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_applications_import_batch_id'), table_name='applications')
    op.execute('ALTER TABLE applications DROP COLUMN import_batch_id')  # SQLite >= 3.35 too; no rebuild
    op.drop_index(op.f('ix_criterion_scores_scorecard_id'), table_name='criterion_scores')
    op.drop_table('criterion_scores')
    op.drop_index(op.f('ix_kit_criteria_vacancy_id'), table_name='kit_criteria')
    op.drop_table('kit_criteria')
