"""The import through its services and pages: encodings shown and changed,
warnings in the report, people told apart by their number in E.164, the
batched path giving what adding one by one gives, the language and the
canonical source of each person, search by phone, the E.164 migration."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask_migrate import downgrade, upgrade
from sqlalchemy import event

from recruit.auth import services as accounts
from recruit.extensions import db
from recruit.organisation.services import get_settings
from recruit.vacancies import candidate_rows, candidate_search, channels, imports
from recruit.vacancies import candidates as cs
from recruit.vacancies import services as vs
from recruit.vacancies.models import Application, Candidate, ImportBatch
from tests.conftest import login

pytestmark = pytest.mark.pg

BALKAN = ("Nume;Prenume;Telefon;Email;Oraş;Experienţă;Sursa;Limba\r\n"
          "Dumitrescu;Ştefan;0722 123 456;stefan@example.ro;Cluj;peste 5 ani;Recomandare;ro\r\n"
          "Kovačević;Đorđe;+387 61 123 456;djordje@example.ba;Sarajevo;3 godine;Preporuka;Bosanski\r\n"
          "Hodžić;Šejla;+387 62 765 432;sejla@example.ba;Tuzla;dugo;Referral;\r\n")


@pytest.fixture
def vacancy(ctx):
    manager = accounts.create_user("m@x.test", "M", ["hiring_manager"], password="long-enough-pw")
    admin = accounts.create_user("a@x.test", "A", ["admin"], password="long-enough-pw")
    vacancy = vs.request_vacancy(None, {"position": "Client manager", "headcount": 2}, manager)
    for target in ("in_review", "approved", "open"):
        vs.transition(vacancy, target, manager if target == "in_review" else admin)
    ctx.session.commit()
    return vacancy


def _region(code: str) -> None:
    get_settings().phone_region = code


# --- pages -------------------------------------------------------------------------

def test_a_windows_1250_file_through_the_pages(clean_app, make):
    vacancy = make.vacancy("open")
    make.user("recruiter", email="r@x.test")
    with clean_app.app_context():
        _region("RO")  # an eJobs export: "0722 ..." is a Romanian mobile
        _db().session.commit()
    client = clean_app.test_client()
    login(client, "r@x.test")
    response = client.post(f"/vacancies/{vacancy}/import",
                           data={"file": (io.BytesIO(BALKAN.encode("cp1250")), "ejobs.csv")},
                           content_type="multipart/form-data")
    batch_url = response.headers["Location"]
    preview = client.get(batch_url).get_data(as_text=True)
    assert "Read as Windows-1250" in preview and "Ştefan" in preview and "Kovačević" in preview
    assert 'value="cp1250" selected' in preview and "garbled" not in preview

    # read again as Windows-1251: a warning, the names garbled; back to Windows-1250: clean
    client.post(batch_url, data={"action": "reread", "encoding": "cp1251"})
    wrong = client.get(batch_url).get_data(as_text=True)
    assert "look garbled" in wrong and "Kovaиeviж" in wrong
    client.post(batch_url, data={"action": "reread", "encoding": "cp1250"})
    again = client.get(batch_url).get_data(as_text=True)
    assert "garbled" not in again and "Kovačević" in again

    with clean_app.app_context():
        batch = _db().session.get(ImportBatch, int(batch_url.rsplit("/", 1)[1]))
        mapping = {f"map_{k}": ("" if v is None else v) for k, v in batch.mapping.items()}
    client.post(batch_url, data={**mapping, "encoding": "cp1250", "delimiter": "semicolon"})
    report = client.get(batch_url).get_data(as_text=True)
    assert "3 valid rows" in report and "1 warning" in report
    assert "“dugo” was not understood as years of experience; the field is left empty" in report
    client.post(f"{batch_url}/run", data={})
    done = client.get(batch_url).get_data(as_text=True)
    assert "3 new candidates" in done and "“dugo” was not understood" in done
    with clean_app.app_context():
        people = {c.full_name: c for c in _db().session.scalars(sa.select(Candidate))}
        assert set(people) == {"Ştefan Dumitrescu", "Đorđe Kovačević", "Šejla Hodžić"}
        assert people["Šejla Hodžić"].experience_years is None
        assert people["Ştefan Dumitrescu"].phone_norm == "+40722123456"
        assert people["Ştefan Dumitrescu"].language == "ro" and people["Đorđe Kovačević"].language == "bs"
        assert people["Šejla Hodžić"].source == channels.canonical("Referral")
        assert people["Ştefan Dumitrescu"].source == channels.canonical("Recomandare")


def _db():
    return db


def test_the_job_board_file_still_imports_through_the_pages(clean_app, make):
    data = (Path(__file__).resolve().parents[1] / "fixtures" / "candidates_jobboard_cp1251.csv").read_bytes()
    vacancy = make.vacancy("open")
    make.user("recruiter", email="r@x.test")
    client = clean_app.test_client()
    login(client, "r@x.test")
    batch_url = client.post(f"/vacancies/{vacancy}/import", data={"file": (io.BytesIO(data), "hh.csv")},
                            content_type="multipart/form-data").headers["Location"]
    assert "Read as Windows-1251" in client.get(batch_url).get_data(as_text=True)
    with clean_app.app_context():
        batch = _db().session.get(ImportBatch, int(batch_url.rsplit("/", 1)[1]))
        mapping = {f"map_{k}": ("" if v is None else v) for k, v in batch.mapping.items()}
    client.post(batch_url, data={**mapping, "encoding": "cp1251", "delimiter": "semicolon"})
    assert "29 valid rows" in client.get(batch_url).get_data(as_text=True)
    client.post(f"{batch_url}/run", data={"skip_bad_rows": "y"})
    assert "29 new candidates" in client.get(batch_url).get_data(as_text=True)
    progress = client.get(f"{batch_url}/progress").get_json()
    assert progress["job"] == {"status": "finished", "done": 29, "total": 29}


def test_the_phone_filter_shows_the_national_format(clean_app):
    with clean_app.app_context(), clean_app.test_request_context():
        render = clean_app.jinja_env.from_string("{{ p|phone }}").render
        assert render(p="+380671234567") == "067 123 4567"
        assert render(p="+79161234567") == "+7 916 123-45-67"
        assert render(p="") == ""


# --- services ----------------------------------------------------------------------

def test_two_spellings_of_one_number_are_one_person(vacancy, ctx):
    first = cs.add_candidate(vacancy, {"full_name": "Olena", "phone": "067 123 45 67"})
    again = cs.add_candidate(vacancy, {"full_name": "Olena K.", "phone": "+380 67 123 45 67"})
    assert first.created and not again.created and again.candidate is first.candidate
    assert first.candidate.phone_norm == "+380671234567"
    with pytest.raises(cs.CandidateError, match="too short for a phone number"):
        cs.add_candidate(vacancy, {"full_name": "Short", "phone": "067 123"})


def test_search_by_phone_fragment_and_national_spelling(vacancy, ctx):
    cs.add_candidate(vacancy, {"full_name": "Olena", "phone": "+380 67 123 45 67"})
    cs.add_candidate(vacancy, {"full_name": "Ivan", "phone": "+7 916 765-43-21"})
    ctx.session.flush()

    def found(q):
        return [c.full_name for c in candidate_search.search_candidates(q)]

    assert found("123 45") == ["Olena"]
    assert found("067 123 45 67") == ["Olena"]
    assert found("(067) 123-45-67") == ["Olena"]
    assert found("+380671234567") == ["Olena"]
    assert found("765-43") == ["Ivan"]
    _region("RU")
    assert found("8 916 765 43 21") == ["Ivan"]  # a Russian number written the national way


def test_language_from_the_file_else_the_vacancy(vacancy, ctx):
    vacancy.language = "uk"
    text = "ПІБ;Телефон;Мова\nКоваленко Ірина;067 123 45 67;рус\nШевченко Петро;050 765 43 21;\n"
    batch = imports.start(vacancy, "work.csv", text.encode("cp1251"), vacancy.requested_by)
    imports.check(batch, batch.mapping)
    imports.run(batch, skip_bad_rows=False)
    ctx.session.commit()
    languages = dict(ctx.session.execute(sa.select(Candidate.full_name, Candidate.language)).all())
    assert languages == {"Коваленко Ірина": "ru", "Шевченко Петро": "uk"}
    vacancy.language = None
    alone = cs.add_candidate(vacancy, {"full_name": "Nobody Said", "email": "n@x.test"})
    assert alone.candidate.language is None  # the organisation's default applies when something is sent
    cs.update_candidate(alone.candidate, {"full_name": "Nobody Said", "email": "n@x.test", "language": "Română"})
    assert alone.candidate.language == "ro"
    cs.update_candidate(alone.candidate, {"full_name": "Nobody Said", "email": "n@x.test"})
    assert alone.candidate.language == "ro"  # a form without the field keeps it


def test_source_aliases_are_stored_as_their_channel(vacancy, ctx):
    single = cs.add_candidate(vacancy, {"full_name": "A", "email": "a@x.test", "source": "Рекомендация"})
    rows = [candidate_rows.CandidateRow(line=n, full_name=f"B{n}", email=f"b{n}@x.test", email_norm=f"b{n}@x.test",
                                  source=source) for n, source in enumerate(("Рекомендація", "Referral", ""))]
    cs.add_rows(vacancy, rows)
    ctx.session.flush()
    sources = set(ctx.session.scalars(sa.select(Candidate.source)))
    assert single.candidate.source == channels.canonical("Referral")
    assert sources == {channels.canonical("Referral"), ""}


def _rows(spec):
    return [candidate_rows.CandidateRow(line=n, full_name=f"Row {n}", email=e or "", email_norm=e, phone=p or "",
                                  phone_norm=p) for n, (e, p) in enumerate(spec, start=2)]


# people known before, by e-mail and by phone; rows matching them, each other
# (across chunk borders) and both at once
_KNOWN = [("old1@x.test", "+380671111111"), ("old2@x.test", None), (None, "+380672222222")]
_SPEC = [("old1@x.test", None), ("new1@x.test", "+380673333333"), ("new2@x.test", None),
         (None, "+380672222222"), ("new1@x.test", None), ("new3@x.test", "+380673333333"),
         ("old2@x.test", "+380671111111"), ("new4@x.test", "+380674444444"), (None, "+380674444444"),
         ("new2@x.test", "+380675555555"), ("new5@x.test", None), ("old1@x.test", "+380675555555")]


def _world(vacancy, ctx):
    known = [cs.add_row(vacancy if n == 0 else _other(vacancy), r).candidate for n, r in enumerate(_rows(_KNOWN))]
    ctx.session.flush()
    return known


_OTHERS: dict[int, object] = {}


def _other(vacancy):
    if vacancy.id not in _OTHERS:
        other = vs.request_vacancy(None, {"position": "Key account manager"}, vacancy.requested_by)
        for target in ("in_review", "approved", "open"):
            vs.transition(other, target, vacancy.requested_by if target == "in_review" else vacancy.approved_by)
        _OTHERS[vacancy.id] = other
    return _OTHERS[vacancy.id]


def _state(ctx, vacancy):
    people = sorted(ctx.session.execute(sa.select(Candidate.full_name, Candidate.email_norm, Candidate.phone_norm,
                                                  Candidate.name_norm)).all(), key=str)
    pipeline = sorted(ctx.session.scalars(sa.select(Candidate.full_name).join(Application).where(
        Application.vacancy_id == vacancy.id)))
    return people, pipeline


@pytest.mark.parametrize("chunk", [3, 500])
def test_batches_give_what_one_by_one_gives(vacancy, ctx, monkeypatch, chunk):
    _OTHERS.clear()
    _world(vacancy, ctx)
    expected = cs.AddCounts()
    for row in _rows(_SPEC):
        outcome = cs.add_row(vacancy, row)
        if outcome.application is None:
            expected.already += 1
        elif outcome.created:
            expected.created += 1
        else:
            expected.linked += 1
    one_by_one = _state(ctx, vacancy)
    ctx.session.rollback()

    _OTHERS.clear()
    _world(vacancy, ctx)
    monkeypatch.setattr(cs, "CHUNK", chunk)
    seen = []
    counts = cs.add_rows(vacancy, _rows(_SPEC), progress=lambda done, total: seen.append((done, total)))
    assert counts == expected and (counts.created, counts.linked, counts.already) == (4, 1, 7)
    assert _state(ctx, vacancy) == one_by_one
    assert seen[-1] == (12, 12) and len(seen) == (4 if chunk == 3 else 1)


def test_bulk_lookups_do_not_grow_with_the_rows(vacancy, ctx, monkeypatch):
    """A chunk costs a fixed number of statements, however many rows it has."""
    monkeypatch.setattr(cs, "CHUNK", 1000)
    engine = ctx.session.get_bind()
    statements = []

    def count(*_args):
        statements.append(1)

    def run(n, offset):
        rows = [candidate_rows.CandidateRow(line=i, full_name=f"P{i}", email=f"p{i}@x.test", email_norm=f"p{i}@x.test",
                                      phone_norm=f"+38067{i:07d}") for i in range(offset, offset + n)]
        statements.clear()
        event.listen(engine, "before_cursor_execute", count)
        try:
            cs.add_rows(vacancy, rows)
        finally:
            event.remove(engine, "before_cursor_execute", count)
        return len(statements)

    small, large = run(10, 0), run(400, 100)
    assert large <= small + 2


# --- the migration -----------------------------------------------------------------

def test_the_migration_recomputes_phone_keys_in_e164(clean_app, make):
    db = _db()
    vacancy = make.vacancy("open")
    ids = {name: make.candidate(vacancy, full_name=name, phone=phone) for name, phone in (
        ("Olena", "067 123 45 67"), ("Ivan", "+7 (916) 123-45-67"), ("Two", "050 765 43 21, 067 000 00 00"))}
    with clean_app.app_context():
        db.session.execute(sa.text("UPDATE org_settings SET phone_region = 'UA'"))
        db.session.commit()
        downgrade(revision="c13b00000002")
        keys = dict(db.session.execute(sa.text("SELECT full_name, phone_norm FROM candidates")).all())
        assert keys["Olena"] == "0671234567" and keys["Ivan"] == "79161234567"  # the old digits
        # rows the old code wrote: an unreadable one keeps its key
        db.session.execute(sa.text(
            "INSERT INTO candidates (full_name, name_norm, email, phone, phone_norm, city, source, education, notes, "
            "created_at, updated_at) VALUES ('Odd', 'odd', '', 'ext. 12', '12', '', '', '', '', CURRENT_TIMESTAMP, "
            "CURRENT_TIMESTAMP)"))
        db.session.commit()
        upgrade()
        keys = dict(db.session.execute(sa.text("SELECT full_name, phone_norm FROM candidates")).all())
        db.session.remove()
    assert keys == {"Olena": "+380671234567", "Ivan": "+79161234567", "Two": "+380507654321", "Odd": "12"}
    assert ids


def test_a_known_person_keeps_their_language_unless_the_form_chooses_one(vacancy, ctx):
    _OTHERS.clear()
    first = cs.add_candidate(vacancy, {"full_name": "Olena", "email": "o@x.test", "language": "uk"}).candidate
    cs.add_candidate(_other(vacancy), {"full_name": "Olena", "email": "o@x.test"})
    assert first.language == "uk"
    cs.add_candidate(_other(vacancy), {"full_name": "Olena", "email": "o@x.test", "language": "ru"})
    assert first.language == "ru"
