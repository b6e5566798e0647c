"""The stage counts the pipeline shows are kept by database triggers: they
must match a fresh GROUP BY after every kind of write."""

import pytest
import sqlalchemy as sa

from recruit.vacancies import candidate_search
from recruit.vacancies import candidates as cs
from recruit.vacancies import services as vs
from recruit.vacancies.models import Application, Candidate, Vacancy

pytestmark = pytest.mark.pg


def _truth(session, vacancy_id):
    rows = session.execute(sa.select(Application.stage, sa.func.count(Application.id))
                           .where(Application.vacancy_id == vacancy_id).group_by(Application.stage)).all()
    return dict(rows)


def test_counts_follow_inserts_moves_bulk_writes_and_deletes(ctx, make):
    vacancy_id = make.vacancy("open")
    other_id = make.vacancy("open")
    ids = [make.candidate(vacancy_id) for _ in range(5)]
    vacancy = ctx.session.get(Vacancy, vacancy_id)
    assert vs.stage_counts(vacancy) == {"new": 5} == _truth(ctx.session, vacancy_id)
    cs.move(ctx.session.get(Application, ids[0]), "screened")
    cs.move(ctx.session.get(Application, ids[1]), "rejected", "Not a fit")
    ctx.session.commit()
    assert vs.stage_counts(vacancy) == {"new": 3, "screened": 1, "rejected": 1} == _truth(ctx.session, vacancy_id)

    # a bulk write that bypasses the ORM, and an application moved to another vacancy
    ctx.session.execute(sa.update(Application).where(Application.id.in_(ids[2:4])).values(stage="invited"))
    ctx.session.execute(sa.update(Application).where(Application.id == ids[4]).values(vacancy_id=other_id))
    ctx.session.commit()
    assert vs.stage_counts(vacancy) == _truth(ctx.session, vacancy_id) == {"screened": 1, "rejected": 1, "invited": 2}
    assert vs.stage_counts(ctx.session.get(Vacancy, other_id)) == {"new": 1}

    # a rolled-back change leaves the counts as they were
    cs.move(ctx.session.get(Application, ids[0]), "invited")
    ctx.session.rollback()
    assert vs.stage_counts(vacancy) == _truth(ctx.session, vacancy_id)

    candidate_id = ctx.session.get(Application, ids[2]).candidate_id
    ctx.session.execute(sa.delete(Candidate).where(Candidate.id == candidate_id))
    ctx.session.commit()
    assert vs.stage_counts(vacancy) == _truth(ctx.session, vacancy_id) == {"screened": 1, "rejected": 1, "invited": 1}


def test_distinct_sources_and_cities_for_the_filters(ctx, make):
    vacancy_id = make.vacancy("open")
    for source, city in (("SuperJob", "Kazan"), ("HeadHunter", "Moscow"), ("HeadHunter", ""), ("", "Omsk")):
        make.candidate(vacancy_id, source=source, city=city)
    assert candidate_search.filter_options() == {"sources": ["HeadHunter", "SuperJob"],
                                                 "cities": ["Kazan", "Moscow", "Omsk"]}
