"""The shipped content in every language: the two job descriptions, the
four-stage onboarding template and the product-knowledge quiz, each with
the same shape, numbers and codes as the English one, and written in its
own language; the countries' job-board exports read as the importer reads
them."""

from __future__ import annotations

import re

import phonenumbers
import pytest

from recruit import demo
from recruit.quizzes import gift
from recruit.training.plan_templates import DEFAULT_TEMPLATE
from recruit.vacancies import candidate_rows

LANGUAGES = demo.CONTENT_LANGUAGES
OTHERS = [code for code in LANGUAGES if code != "en"]
SCRIPT = {"uk": "Cyrillic", "ru": "Cyrillic", "bg": "Cyrillic", "ka": "Georgian", "ro": "Latin", "bs": "Latin"}
# Words that stay as they are in every language: names of products, systems and markup.
KEPT = {"ErgoLine", "Pro", "Lift", "Basic", "CRM", "B2B", "markdown", "html", "course", "CATEGORY", "GIFT", "1C"}
ENGLISH = re.compile(r"\b(the|and|with|from|which|what|how|clients|chair|desk|delivery|warranty|offers|days|month|"
                     r"within)\b", re.I)
LETTERS = {"Cyrillic": re.compile(r"[А-Яа-яІіЇїЄєҐґЁё]"), "Georgian": re.compile(r"[\u10d0-\u10ff]")}
ROMANIAN = "ăâîșțĂÂÎȘȚ"
BOSNIAN = "čćđšžČĆĐŠŽ"


def _numbers(text: str) -> list[str]:
    return sorted(re.findall(r"\d+", text))


def _texts(language: str) -> list[str]:
    """Every sentence a person reads in the language's content."""
    out = []
    for data in demo.job_descriptions(language).values():
        out += [str(v) for k, v in data.items() if isinstance(v, str)]
    spec = demo.onboarding_spec(language)
    out += [spec["name"], spec["description"]]
    for stage in spec["stages"]:
        out += [stage["name"], stage["description"], *(title for title, *_r in stage["tasks"])]
    quiz = demo.quiz_content(language)
    out += [quiz["title"], quiz["description"], *quiz["demo_answers"].values()]
    out += [v for product in quiz["products"] for v in product.values()]
    for q in gift.parse(demo.gift_path(language).read_text("utf-8")):
        out += [q.name, re.sub(r"<[^>]+>|\*\*", "", q.text), q.category or "", q.feedback or ""]
        out += [c.text for c in q.choices] + [c.feedback for c in q.choices if c.feedback]
        out += [side for pair in q.pairs for side in pair]
        out += [q.true_feedback or "", q.false_feedback or ""]
    return [t for t in out if t]


@pytest.mark.parametrize("language", LANGUAGES)
def test_job_descriptions_are_complete_and_keep_the_norms(language):
    english = demo.job_descriptions("en")
    found = demo.job_descriptions(language)
    assert set(found) == {"client_manager", "key_account_manager"}
    for key, data in found.items():
        assert set(data) == set(english[key])
        for name, value in data.items():
            assert value not in ("", None), (key, name)
        for number_field in ("pay_level", "min_experience_years"):
            assert data[number_field] == english[key][number_field]
        # 30 calls, 50 offers, 20 companies, 4 contracts, the 3rd, 6 months: the norms stay the norms
        for name in ("kpis", "requirements", "duties"):
            assert _numbers(data[name]) == _numbers(english[key][name]), (key, name)
            assert data[name].count("\n") == english[key][name].count("\n"), (key, name)
    assert found["client_manager"]["pay_level"] == 2 and found["key_account_manager"]["pay_level"] == 3


def test_job_description_titles_differ_by_language():
    titles = [data["title"] for code in LANGUAGES for data in demo.job_descriptions(code).values()]
    assert len(titles) == len(set(titles)) == 2 * len(LANGUAGES)  # titles are unique in the table


def test_english_content_is_the_products_own():
    assert demo.CLIENT_MANAGER["title"] == "Client manager" and "30 calls" in demo.CLIENT_MANAGER["kpis"]
    spec = demo.onboarding_spec("en")
    assert spec["name"] == DEFAULT_TEMPLATE["name"] and spec["description"] == DEFAULT_TEMPLATE["description"]
    for said, shipped in zip(spec["stages"], DEFAULT_TEMPLATE["stages"], strict=True):
        assert said["name"] == shipped["name"] and said["description"] == shipped["description"]
        assert said["tasks"] == list(shipped["tasks"])


@pytest.mark.parametrize("language", LANGUAGES)
def test_onboarding_template_keeps_the_stages_tasks_and_criteria(language):
    spec = demo.onboarding_spec(language)
    assert len(spec["stages"]) == 4 and spec["mentor_bonus_days"] == DEFAULT_TEMPLATE["mentor_bonus_days"]
    for stage, shipped in zip(spec["stages"], DEFAULT_TEMPLATE["stages"], strict=True):
        assert stage["criteria"] == shipped["criteria"]  # kinds, metrics, targets, roles, quiz key: the codes
        assert stage["duration_days"] == shipped["duration_days"]
        assert [t[1:] for t in stage["tasks"]] == [t[1:] for t in shipped["tasks"]]  # owner role, offset, duration
        assert all(t[0].strip() for t in stage["tasks"]) and stage["name"].strip() and stage["description"].strip()
    names = [spec["name"], *(s["name"] for s in spec["stages"])]
    if language != "en":
        english = demo.onboarding_spec("en")
        assert spec["name"] != english["name"]  # templates have no language column: the name says it
        assert not set(names) & {english["name"], *(s["name"] for s in english["stages"])}


def _shape(q: gift.Question) -> dict:
    return {"kind": q.kind, "points": q.points, "format": q.text_format, "correct": q.correct,
            "fractions": [c.fraction for c in q.choices], "numbers": [vars(n) for n in q.numbers],
            "pairs": len(q.pairs), "depth": (q.category or "").count("/"),
            "root": (q.category or "").split("/")[0], "case": q.case_sensitive}


@pytest.mark.parametrize("language", LANGUAGES)
def test_quiz_bank_parses_with_the_same_questions_weights_and_tolerances(language):
    english = gift.parse(demo.gift_path("en").read_text("utf-8"))
    source = demo.gift_path(language).read_text("utf-8")
    found = gift.parse(source)
    assert len(found) == len(english) == 13
    assert len({q.category for q in found}) == 3
    for mine, theirs in zip(found, english, strict=True):
        assert _shape(mine) == _shape(theirs), mine.name
    special = found[9]
    assert "10%" in special.text and "1/10 = ?" in special.text  # the escapes \% and \= read back
    assert [c.text for c in special.choices] == ["0.1", "0,1"]
    assert [c.text for c in found[7].choices] == ["Lift", "ErgoLine Lift"]  # the series' name is a name
    assert source.count("\\%") == source.count("\\=") == 1
    assert "**ErgoLine Pro**" in found[1].text and "<b>ErgoLine Pro</b>" in found[10].text
    assert gift.parse(gift.dump(found)) == found  # exports and re-imports as it came


@pytest.mark.parametrize("language", OTHERS)
def test_content_is_written_in_its_language(language):
    english = set(_texts("en"))
    for text in _texts(language):
        assert text not in english or text in KEPT or text in ("Lift", "ErgoLine Lift", "0.1", "0,1", "1", "2", "5",
                                                                "10"), (language, text)
        assert not ENGLISH.search(text), (language, text)
        script = SCRIPT[language]
        if script in LETTERS and re.search(r"[A-Za-z]{3,}", text):
            for word in re.findall(r"[A-Za-z][A-Za-z0-9.]*", text):
                assert word.strip(".") in KEPT or word.endswith(".ua") or word.isupper(), (language, word, text)
    joined = " ".join(_texts(language))
    if SCRIPT[language] in LETTERS:
        assert len(LETTERS[SCRIPT[language]].findall(joined)) > 2000
    if language == "ro":
        assert "ș" in joined and "ț" in joined and "ş" not in joined and "ţ" not in joined  # comma below, not cedilla
    if language == "bs":
        assert all(letter in joined for letter in "čćšž")


@pytest.mark.parametrize("language", LANGUAGES)
def test_quiz_details_and_demo_answers(language):
    content = demo.quiz_content(language)
    assert content["title"] and content["description"] and len(content["products"]) == 3
    assert all(p["name"] and p["description"] for p in content["products"])
    assert set(content["demo_answers"]) == {"essay_submitted", "essay_graded", "short_wrong", "grading_comment"}
    assert "8" in content["demo_answers"]["essay_submitted"] and "12" in content["demo_answers"]["essay_submitted"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_content_loads_into_the_product(ctx, language):
    """The bank imports through the quiz service, the template through the training rules."""
    from recruit.auth import services as accounts
    from recruit.quizzes.bank import import_gift

    admin = accounts.create_user(f"admin-{language}@x.test", "Admin", ["admin"], password="x" * 16)
    bank = import_gift(demo.gift_path(language).read_text("utf-8"), admin)
    assert len(bank) == 13 and len({q.category_id for q in bank}) == 3
    template = demo.onboarding_template(language)
    assert [len(s.tasks) for s in template.stages] == [4, 3, 4, 2]
    assert template.stages[2].criteria[2] == {"kind": "quiz_passed", "quiz": "product-knowledge"}
    assert demo.onboarding_template(language) is template  # made once
    made = demo.load_job_descriptions(language)
    assert {t.language for t in made.values()} == {language}


# What each country's job-board export is: its encoding and headers as the board writes them.
EXPORTS = {"UA": ("cp1251", "ПІБ"), "RU": ("cp1251", "ФИО"), "BG": ("utf-8", "Име и фамилия"),
           "RO": ("utf-8", "Prenume"), "BA": ("cp1250", "Ime"), "GE": ("utf-8", "სახელი")}


@pytest.mark.parametrize("code", demo.DEMO_COUNTRIES)
def test_job_board_export_reads_in_the_countrys_region(code):
    said = demo.profile(code)
    parsed = candidate_rows.parse((demo.DATA / said["candidates_file"]).read_bytes())
    encoding, first_header = EXPORTS[code]
    assert parsed.encoding == encoding and parsed.delimiter == ";" and parsed.headers[0] == first_header
    result = candidate_rows.validate(parsed, candidate_rows.guess_mapping(parsed.headers), region=code)
    assert len(result.valid) == 28 and not result.warnings
    assert sorted(e.code for e in result.errors) == sorted(
        ["no_contact", "bad_email", "duplicate", "negative_years",
         "phone_invalid" if code in ("BG", "RO") else "phone_too_short"])  # the rows a recruiter fixes by hand
    for row in result.valid:
        number = phonenumbers.parse(row.phone, code)
        assert phonenumbers.is_valid_number(number) and phonenumbers.region_code_for_number(number) == code, row.phone
        assert row.city and row.source and row.experience_years is not None
    assert any("☎" in row.notes for row in result.valid)  # a second number in one cell goes to the notes
    names = said["names"]
    female_first, male_first = set(names["female"]), set(names["male"])
    female_last = {f for _m, f in names["surnames"]}
    male_last = {m for m, _f in names["surnames"]}
    for row in result.valid:
        words = row.full_name.split()
        first = next(w for w in words if w in female_first | male_first)
        last = next(w for w in words if w in female_last | male_last)
        assert last in (female_last if first in female_first else male_last), row.full_name  # names agree with gender


def test_the_job_descriptions_in_the_readers_language_come_first(clean_app):
    from recruit import demo
    from recruit.extensions import db
    from recruit.vacancies import services
    from tests.conftest import login

    with clean_app.app_context():
        demo.load(history_weeks=1)
        db.session.commit()
    client = clean_app.test_client()
    login(client, "manager@demo.local", demo.DEMO_PASSWORD)
    for code in ("uk", "ro", "ka"):
        html = client.get(f"/templates?lang={code}").get_data(as_text=True)
        with clean_app.app_context():
            ordered = services.templates(code)
            titles = [(t.language, t.title) for t in ordered]
        assert titles[0][0] == code and titles[1][0] == code
        english = next(title for language, title in titles if language == "en")
        assert html.index(titles[0][1]) < html.index(english)
