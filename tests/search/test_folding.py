"""Names found the way people type them on another keyboard: Romanian
commas and cedillas, Bosnian đ, Ukrainian letters on a Russian layout. The
stored key and the typed text pass through one fold, so each spelling finds
the other, on SQLite (FTS5 trigram table) and PostgreSQL (trigram index)."""

import re

import pytest

from recruit.search import search_key
from recruit.vacancies import candidate_search
from recruit.vacancies import candidates as cs
from recruit.vacancies.models import Vacancy
from tests.conftest import login

pytestmark = pytest.mark.pg


@pytest.mark.parametrize("one, other", [
    ("Ștefan", "Stefan"), ("Ştefan", "Stefan"), ("Ștefan", "Ştefan"), ("ȚUȚUIANU", "tutuianu"),
    ("Ţuţuianu", "Țuțuianu"), ("Đorđe", "Djordje"), ("ĐORĐE", "djordje"), ("Ćosić", "Cosic"),
    ("Čolić", "colic"), ("Žužić", "Zuzic"), ("Šimić", "Simic"), ("Ionuț Bălănescu", "ionut balanescu"),
    ("Îndrăgostit Â", "indragostit a"), ("Ґнатюк", "гнатюк"), ("Їжак", "іжак"), ("Їжак", "Ижак"),
    ("Іван", "Иван"), ("Євген", "Евген"), ("Фёдорова", "Федорова"), ("Yıldız", "yildiz"),
    ("Łukasz", "Lukasz"), ("Мар’яна", "Мар'яна"), ("Марʼяна", "мар'яна"), ("  Ana   Maria ", "ana maria"),
    ("Ｓｔｅｆａｎ", "stefan"), ("Straße", "strasse"),
])
def test_spellings_fold_to_one_key(one, other):
    assert search_key(one) == search_key(other)


@pytest.mark.parametrize("one, other", [
    ("Май", "Маи"),  # й is typed where it belongs: a different name
    ("Ђорђе", "Djordje"),  # Serbian Cyrillic is not transliterated to Latin
    ("Ana", "Ann"),
])
def test_different_names_stay_different(one, other):
    assert search_key(one) != search_key(other)


def test_keys_are_plain_lower_case_text():
    assert search_key("Đorđe  Ćosić") == "djordje cosic"
    assert search_key("Ґнатюк Їжак Йосип") == "гнатюк ижак йосип"
    assert search_key(None) == "" and search_key("   ") == ""


NAMES = ["Ștefan Popescu", "Ştefan Ionescu", "Đorđe Marković", "Djordje Petrović", "Ґнатюк Олена",
         "Іван Франко", "Їжак Ігор", "Фёдорова Анна", "Nikola Tesla"]


@pytest.fixture
def people(ctx, make):
    vacancy = ctx.session.get(Vacancy, make.vacancy("open"))
    for n, name in enumerate(NAMES):
        cs.add_candidate(vacancy, {"full_name": name, "email": f"p{n}@x.test"})
    ctx.session.flush()
    return vacancy


@pytest.mark.parametrize("typed, found", [
    ("Stefan", ["Ștefan Popescu", "Ştefan Ionescu"]),
    ("ștefan", ["Ștefan Popescu", "Ştefan Ionescu"]),
    ("ŞTEFAN ionescu", ["Ştefan Ionescu"]),
    ("Djordje", ["Đorđe Marković", "Djordje Petrović"]),
    ("Đorđe", ["Đorđe Marković", "Djordje Petrović"]),
    ("markovic", ["Đorđe Marković"]),
    ("гнатюк", ["Ґнатюк Олена"]),
    ("Гнатюк", ["Ґнатюк Олена"]),
    ("іван", ["Іван Франко"]),
    ("Иван", ["Іван Франко"]),
    ("ижак", ["Їжак Ігор"]),
    ("Іжак", ["Їжак Ігор"]),
    ("Федорова", ["Фёдорова Анна"]),
    ("фёдорова", ["Фёдорова Анна"]),
    ("Dj", ["Đorđe Marković", "Djordje Petrović"]),  # under three letters: the scan, same fold
])
def test_candidate_search_folds_what_is_typed_and_what_is_stored(people, ctx, typed, found):
    assert sorted(c.full_name for c in candidate_search.search_candidates(typed)) == sorted(found)
    in_pipeline = [a.candidate.full_name for a in ctx.session.scalars(
        cs.pipeline_query(people, cs.PipelineFilter(q=typed))).unique()]
    assert sorted(in_pipeline) == sorted(found)


def test_staff_search_folds_too(clean_app, make):
    make.user("admin", email="boss@x.test", name="Ana Admin")
    make.user("mentor", email="m@x.test", name="Ștefan Mentor")
    make.user("mentor", email="d@x.test", name="Đorđe Mentor")
    client = clean_app.test_client()
    login(client, "boss@x.test")

    def listed(q):
        page = client.get(f"/admin/users?q={q}").get_data(as_text=True)
        return re.findall(r'<a href="/admin/users/\d+">([^<]+)</a>', page)

    assert listed("stefan") == ["Ștefan Mentor"]
    assert listed("djordje") == ["Đorđe Mentor"]
