"""Finding people by name as Russian recruiters type them, on both engines:
any letter case, "е" for "ё", and % or _ taken literally."""

import re

import pytest
import sqlalchemy as sa

from recruit.search import search_key
from recruit.vacancies import candidate_search
from recruit.vacancies import candidates as cs
from recruit.vacancies import erasure as er
from recruit.vacancies.models import Candidate, Vacancy
from tests.conftest import login

pytestmark = pytest.mark.pg


def test_search_key_folds_case_yo_and_spaces():
    assert search_key("  Фёдорова   АННА ") == "федорова анна"
    assert search_key("Straße") == "strasse"
    assert search_key(None) == ""


@pytest.fixture
def people(ctx, make):
    vacancy_id = make.vacancy("open")
    vacancy = ctx.session.get(Vacancy, vacancy_id)
    for name, email in (("Фёдорова Анна", "anna@x.test"), ("Семёнов Пётр", "petr@x.test"),
                        ("Ivan 100% Sure", "ivan@x.test"), ("Olga_K", "olga@x.test")):
        cs.add_candidate(vacancy, {"full_name": name, "email": email})
    ctx.session.flush()
    return vacancy


@pytest.mark.parametrize("typed, found", [
    ("Анна", ["Фёдорова Анна"]), ("анна", ["Фёдорова Анна"]), ("АННА", ["Фёдорова Анна"]),
    ("федорова", ["Фёдорова Анна"]), ("Фёдорова", ["Фёдорова Анна"]), ("семенов петр", ["Семёнов Пётр"]),
    ("100%", ["Ivan 100% Sure"]), ("%", ["Ivan 100% Sure"]), ("a_k", ["Olga_K"]), ("_", ["Olga_K"]),
    ("ан", ["Фёдорова Анна"]), ("petr@x", ["Семёнов Пётр"]),
    # search syntax typed by a user is text, never an error
    ('"анна', []), ('анна" OR "ivan', []), ("ivan OR olga", []), ("NEAR(ivan sure)", []), ("*", []),
])
def test_pipeline_and_candidate_search_find_names_as_typed(people, ctx, typed, found):
    in_pipeline = [a.candidate.full_name for a in ctx.session.scalars(
        cs.pipeline_query(people, cs.PipelineFilter(q=typed))).unique()]
    assert in_pipeline == found
    assert [c.full_name for c in candidate_search.search_candidates(typed)] == found


def test_renaming_and_anonymising_keep_the_key(people, ctx):
    person = candidate_search.search_candidates("анна")[0]
    cs.update_candidate(person, {"full_name": "Фёдорова-Смирнова Анна", "email": person.email})
    ctx.session.flush()
    assert [c.id for c in candidate_search.search_candidates("смирнова")] == [person.id]
    er.anonymise(person, "asked to be forgotten")
    ctx.session.flush()
    assert candidate_search.search_candidates("смирнова") == []


def test_admin_finds_staff_by_name_in_any_case(clean_app, make):
    make.user("admin", email="boss@x.test", name="Анна Админ")
    make.user("mentor", email="m@x.test", name="Пётр Наставник")
    client = clean_app.test_client()
    login(client, "boss@x.test")

    def listed(q):
        page = client.get(f"/admin/users?q={q}").get_data(as_text=True)
        return re.findall(r'<a href="/admin/users/\d+">([^<]+)</a>', page)

    assert listed("петр") == ["Пётр Наставник"]
    assert listed("АННА") == ["Анна Админ"]
    assert listed("%") == []


def test_name_search_uses_the_trigram_index_on_postgresql(people, ctx):
    if ctx.engine.dialect.name != "postgresql":
        pytest.skip("the trigram index is PostgreSQL's; SQLite scans")
    ctx.session.execute(sa.text("SET LOCAL enable_seqscan = off"))
    query = sa.select(Candidate.id).where(candidate_search.matching("анна"))
    plan = "\n".join(ctx.session.execute(sa.text("EXPLAIN " + str(
        query.compile(ctx.engine, compile_kwargs={"literal_binds": True})))).scalars())
    assert "ix_candidates_name_trgm" in plan


def test_name_search_uses_the_trigram_table_on_sqlite(people, ctx):
    if ctx.engine.dialect.name != "sqlite":
        pytest.skip("SQLite's FTS5 table; PostgreSQL has its trigram indexes")
    query = sa.select(Candidate.id).where(candidate_search.matching("анна"))
    compiled = query.compile(ctx.engine, compile_kwargs={"literal_binds": True})
    steps = [row[-1] for row in ctx.session.execute(sa.text("EXPLAIN QUERY PLAN " + str(compiled)))]
    assert any(step.startswith("SCAN candidates_search VIRTUAL TABLE INDEX 0:M") for step in steps)  # M: MATCH
    assert "SCAN candidates" not in steps  # the candidates themselves are read by primary key
