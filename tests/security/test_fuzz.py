"""Hypothesis against the importers and the forms: whatever arrives, a clear
refusal or a result, never a crash, and never half of a change written."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from recruit.quizzes import gift
from recruit.tabular import reports
from recruit.vacancies import candidate_rows

DATA = Path(__file__).resolve().parents[2] / "tests" / "fixtures"
JOB_BOARD = (Path(__file__).resolve().parents[3] / "shared" / "data" / "candidates_jobboard_cp1251.csv")
BANK = (DATA / "product_knowledge.gift").read_text(encoding="utf-8")
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck), database=None)

cells = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=30)
rows = st.lists(st.lists(cells, min_size=1, max_size=9), min_size=1, max_size=12)


def _mutate(text: str, data) -> str:
    """Real input, damaged: cut, duplicated or replaced characters."""
    for _ in range(data.draw(st.integers(1, 6))):
        if not text:
            break
        at = data.draw(st.integers(0, len(text) - 1))
        action = data.draw(st.sampled_from(("cut", "dup", "swap")))
        if action == "cut":
            text = text[:at] + text[at + data.draw(st.integers(1, 40)):]
        elif action == "dup":
            text = text[:at] + text[at:at + 30] + text[at:]
        else:
            text = text[:at] + data.draw(st.sampled_from("{}=~#:;\n\\%[]->")) + text[at + 1:]
    return text


def _import_csv(data: bytes) -> None:
    try:
        parsed = candidate_rows.parse(data)
        result = candidate_rows.validate(parsed, candidate_rows.guess_mapping(parsed.headers))
    except reports.FileError as exc:
        assert exc.args  # a coded reason the page can show
        return
    for error in result.errors:
        assert error.line >= 1 and error.reason


@FUZZ
@given(st.binary(max_size=2000))
def test_csv_importer_takes_any_bytes(data):
    _import_csv(data)


@FUZZ
@given(rows, st.sampled_from([";", ",", "\t"]), st.sampled_from(["utf-8", "cp1251"]))
def test_csv_importer_takes_any_table(table, delimiter, encoding):
    header = delimiter.join(["ФИО", "Email", "Телефон", "Город"]) + "\n"
    body = "\n".join(delimiter.join(cell.replace(delimiter, " ") for cell in row) for row in table)
    _import_csv((header + body).encode(encoding, errors="replace"))


@FUZZ
@given(st.data())
def test_csv_importer_takes_a_damaged_job_board_export(data):
    raw = JOB_BOARD.read_bytes() if JOB_BOARD.exists() else (DATA / "candidates_jobboard_cp1251.csv").read_bytes()
    text = raw.decode("cp1251")
    _import_csv(_mutate(text, data).encode("cp1251", errors="replace"))


@FUZZ
@given(st.text(max_size=600))
def test_gift_parser_takes_any_text(source):
    try:
        gift.parse(source)
    except gift.GiftError as exc:
        assert "Line" in str(exc) or "line" in str(exc)


@FUZZ
@given(st.data())
def test_gift_parser_takes_a_damaged_bank(data):
    try:
        questions = gift.parse(_mutate(BANK, data))
    except gift.GiftError as exc:
        assert "ine" in str(exc)  # names the line
    else:
        assert all(q.text is not None for q in questions)


@pytest.mark.pg
def test_gift_import_writes_all_or_nothing(ctx):
    from recruit.auth import services as accounts
    from recruit.quizzes.bank import import_gift
    from recruit.quizzes.models import BankQuestion, QuestionVersion

    admin = accounts.create_user("gift@fuzz.test", "Admin", ["admin"], password="long-enough-pw")
    ctx.session.commit()

    def written() -> tuple[int, int]:
        return (ctx.session.scalar(sa.select(sa.func.count(BankQuestion.id))),
                ctx.session.scalar(sa.select(sa.func.count(QuestionVersion.id))))

    @FUZZ
    @given(st.data())
    def check(data):
        source = _mutate(BANK, data)
        before = written()
        try:
            expected = len(gift.parse(source))
        except gift.GiftError:
            expected = 0
        try:
            imported = len(import_gift(source, admin))
            ctx.session.commit()
        except ValueError:
            ctx.session.rollback()
            imported = 0
        # every question of a good file is in the bank (added, or updated as a re-import); a bad one writes nothing
        assert imported == expected
        if not expected:
            assert written() == before

    check()


FORMS = {
    "/vacancies/new?template={template}": ["position", "department", "city", "headcount", "pay_level", "salary_min",
                                           "salary_max", "min_experience_years", "kpis", "target_start"],
    "/vacancies/{vacancy}/candidates/new": ["full_name", "email", "phone", "city", "experience_years", "source"],
    "/interviews/new": ["kind", "vacancy_id", "title", "day", "start", "end", "slot_minutes", "seats", "place",
                        "interviewers", "receptionist_id"],
    "/admin/users/new": ["email", "full_name", "roles", "password"],
}
values = st.one_of(st.text(max_size=40), st.integers(-10**12, 10**12).map(str),
                   st.sampled_from(["", "0", "-1", "2027-02-30", "25:61", "10:00", "2026-12-01", "1e9", "NaN",
                                    "9" * 30, "recruiter", "stream", "<script>", "'; DROP TABLE users; --"]))


def test_forms_refuse_junk_cleanly_and_write_nothing(clean_app, make):
    """Each form, as an admin: a redirect after a whole save, or the page again
    with the reasons; never a 5xx, and no rows left behind by a refused post."""
    from recruit.extensions import db
    from tests.conftest import login

    make.user("admin", email="admin@fuzz.test")
    ids = {"template": make.template(), "vacancy": make.vacancy("open")}
    client = clean_app.test_client()
    login(client, "admin@fuzz.test")
    tables = ("vacancies", "candidates", "applications", "interview_sessions", "slots", "users", "audit_entries")

    def counts():
        with clean_app.app_context():
            result = {t: db.session.scalar(sa.text(f"SELECT count(*) FROM {t}")) for t in tables}
            db.session.remove()
            return result

    for url, fields in FORMS.items():
        _fuzz_form(client, url.format(**ids), fields, counts)


def _fuzz_form(client, url: str, fields: list[str], counts) -> None:
    @settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(st.fixed_dictionaries({}, optional={field: values for field in fields}))
    def check(form):
        before = counts()
        response = client.post(url, data=form)
        assert response.status_code < 500, (url, form)
        if response.status_code != 302:  # refused: the form again, with its reasons
            assert counts() == before, (url, form)

    check()
