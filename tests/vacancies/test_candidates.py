import io
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from recruit import housekeeping, jobs
from recruit.audit import AuditEntry
from recruit.auth import services as accounts
from recruit.organisation.services import get_settings
from recruit.utc import utcnow
from recruit.vacancies import candidate_search, channels, imports
from recruit.vacancies import candidates as cs
from recruit.vacancies import erasure as er
from recruit.vacancies import services as vs
from recruit.vacancies.models import Application, Candidate, ImportBatch
from recruit.vacancies.resumes import detect_type

pytestmark = pytest.mark.pg
FIXTURES = Path(__file__).parent.parent / "fixtures"


@pytest.fixture
def vacancy(ctx):
    manager = accounts.create_user("m@x.test", "M", ["hiring_manager"], password="long-enough-pw")
    admin = accounts.create_user("a@x.test", "A", ["admin"], password="long-enough-pw")
    vacancy = vs.request_vacancy(None, {"position": "Client manager", "headcount": 2}, manager)
    vs.transition(vacancy, "in_review", manager)
    vs.transition(vacancy, "approved", admin)
    vs.transition(vacancy, "open", admin)
    ctx.session.commit()
    return vacancy


def _second_vacancy(vacancy):
    admin = vacancy.approved_by
    other = vs.request_vacancy(None, {"position": "Key account manager"}, vacancy.requested_by)
    vs.transition(other, "in_review", vacancy.requested_by)
    vs.transition(other, "approved", admin)
    vs.transition(other, "open", admin)
    return other


def test_known_email_or_phone_links_the_existing_candidate(vacancy, ctx):
    get_settings().phone_region = "RU"  # "8 (916) ..." is a Russian number written the national way
    first = cs.add_candidate(vacancy, {"full_name": "Ivan", "email": "Ivan@X.test", "phone": "+7 916 123-45-67"})
    again = cs.add_candidate(vacancy, {"full_name": "Ivan P.", "email": "ivan@x.test"})
    assert first.created and not again.created and again.application is None
    other = _second_vacancy(vacancy)
    by_phone = cs.add_candidate(other, {"full_name": "I. Petrov", "phone": "8 (916) 123 45 67"})
    assert not by_phone.created and by_phone.candidate is first.candidate
    assert ctx.session.scalar(sa.select(sa.func.count(Candidate.id))) == 1
    assert ctx.session.scalar(sa.select(sa.func.count(Application.id))) == 2


def test_invalid_candidates_are_refused_with_the_reason(vacancy, ctx):
    with pytest.raises(cs.CandidateError, match="neither an e-mail nor a phone"):
        cs.add_candidate(vacancy, {"full_name": "Nobody"})
    with pytest.raises(cs.CandidateError, match="negative"):
        cs.add_candidate(vacancy, {"full_name": "N", "email": "n@x.test", "experience_years": "-1"})
    assert ctx.session.scalar(sa.select(sa.func.count(Candidate.id))) == 0


def test_update_cannot_steal_another_candidates_email(vacancy):
    cs.add_candidate(vacancy, {"full_name": "A", "email": "a@x.test"})
    b = cs.add_candidate(vacancy, {"full_name": "B", "email": "b@x.test"}).candidate
    with pytest.raises(cs.CandidateError, match="already has this e-mail"):
        cs.update_candidate(b, {"full_name": "B", "email": "A@x.test"})
    cs.update_candidate(b, {"full_name": "B B", "email": "bb@x.test", "city": "Tula"})
    assert b.email_norm == "bb@x.test" and b.city == "Tula"


def test_moves_need_reasons_and_remember_the_furthest_stage(vacancy):
    app = cs.add_candidate(vacancy, {"full_name": "A", "email": "a@x.test"}).application
    cs.move(app, "screened")
    cs.move(app, "invited")
    with pytest.raises(cs.CandidateError, match="reason"):
        cs.move(app, "rejected")
    cs.move(app, "rejected", "no sales experience")
    with pytest.raises(cs.CandidateError, match="cannot move"):
        cs.move(app, "offer")
    cs.move(app, "reopen")
    assert app.stage == "invited" and app.close_reason == ""
    cs.move(app, "interviewed")
    cs.move(app, "hired")
    with pytest.raises(cs.CandidateError):
        cs.move(app, "rejected", "changed mind")


def test_pipeline_filters_and_search(vacancy, ctx):
    for n in range(12):
        cs.add_candidate(vacancy, {"full_name": f"Person {n}", "email": f"p{n}@x.test",
                                   "phone": f"+7 900 000 00 {n:02d}", "city": "Kazan" if n % 3 == 0 else "Moscow",
                                   "source": "HeadHunter" if n % 2 else "SuperJob"})
    ctx.session.flush()

    def names(**kw):
        return [a.candidate.full_name for a in ctx.session.scalars(
            cs.pipeline_query(vacancy, cs.PipelineFilter(**kw))).unique()]

    assert len(names()) == 12
    assert len(names(city="Kazan")) == 4
    assert len(names(source="SuperJob", city="Kazan")) == 2
    assert names(q="person 11") == ["Person 11"]
    assert names(q="P7@X.TEST") == ["Person 7"]
    assert names(q="p1@") == ["Person 1"]
    searched = cs.pipeline_query(vacancy, cs.PipelineFilter(q="p1@")).compile(ctx.session.get_bind())
    assert "name_norm" not in str(searched).split("WHERE")[1] + repr(searched.params)  # an e-mail's: no name looked at
    named = cs.pipeline_query(vacancy, cs.PipelineFilter(q="person")).compile(ctx.session.get_bind())
    assert "name_norm" in str(named).split("WHERE")[1] + repr(named.params)
    assert names(q="9000000005") == ["Person 5"]
    assert names(stage="hired") == []
    options = candidate_search.filter_options()
    # sources are stored as their canonical channel
    assert options == {"sources": sorted(channels.canonical(s) for s in ("HeadHunter", "SuperJob")),
                       "cities": ["Kazan", "Moscow"]}
    assert candidate_search.filter_options(limit=1) == {"sources": options["sources"][:1], "cities": ["Kazan"]}


def _docx() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    return buf.getvalue()


def _odt() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        z.writestr("content.xml", "<office:document-content/>")
    return buf.getvalue()


def test_resume_type_is_read_from_the_content():
    assert detect_type(b"%PDF-1.7 ...") == "pdf"
    assert detect_type(_docx()) == "docx"
    assert detect_type(_odt()) == "odt"
    assert detect_type(b"MZ\x90\x00 an exe renamed to cv.pdf") is None
    assert detect_type(b"PK\x03\x04 broken zip") is None
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("xl/workbook.xml", "<x/>")
    assert detect_type(buf.getvalue()) is None


def test_resume_upload_rules(vacancy, clean_app):
    person = cs.add_candidate(vacancy, {"full_name": "A", "email": "a@x.test"}).candidate
    with pytest.raises(cs.CandidateError, match="PDF, DOCX or ODT"):
        cs.attach_resume(person, "cv.pdf", b"<html>not a pdf</html>")
    with pytest.raises(cs.CandidateError, match="at most"):
        cs.attach_resume(person, "cv.pdf", b"%PDF-" + b"0" * clean_app.config["RESUME_MAX_BYTES"])
    cs.attach_resume(person, "Иванов CV.docx", _docx())
    first = cs.resume_path(person)
    assert first.exists() and person.resume_name == "Иванов CV.docx"
    assert str(first).startswith(str(clean_app.config["UPLOAD_DIR"]))
    assert not str(first).startswith(str(clean_app.static_folder))
    cs.attach_resume(person, "new.pdf", b"%PDF-1.4 new")
    assert not first.exists() and cs.resume_path(person).read_bytes() == b"%PDF-1.4 new"


def test_anonymise_erases_person_and_keeps_counts(vacancy, ctx):
    app = cs.add_candidate(vacancy, {"full_name": "Anna Secret", "email": "anna@x.test", "phone": "+79001112233",
                                     "city": "Omsk", "source": "HeadHunter", "notes": "private"}).application
    cs.attach_resume(app.candidate, "cv.pdf", b"%PDF-1.4")
    path = cs.resume_path(app.candidate)
    cs.move(app, "rejected", "Anna is too expensive")
    er.anonymise(app.candidate, "candidate's request")
    ctx.session.commit()
    person = ctx.session.get(Candidate, app.candidate_id)
    assert "Anna" not in person.full_name and person.email == "" and person.phone_norm is None
    assert person.notes == "" and person.city == "" and app.close_reason == ""
    assert person.source == channels.canonical("HeadHunter") and not path.exists()
    assert vs.stage_counts(vacancy) == {"rejected": 1}
    assert cs.find_existing("anna@x.test", None) is None


def test_retention_job_anonymises_only_old_closed_candidates(vacancy, ctx):
    old = cs.add_candidate(vacancy, {"full_name": "Old Reject", "email": "old@x.test"}).application
    cs.move(old, "rejected", "no")
    recent = cs.add_candidate(vacancy, {"full_name": "New Reject", "email": "new@x.test"}).application
    cs.move(recent, "rejected", "no")
    active = cs.add_candidate(vacancy, {"full_name": "Old Active", "email": "act@x.test"}).application
    other = _second_vacancy(vacancy)
    mixed = cs.add_candidate(vacancy, {"full_name": "Old Reject Elsewhere Active", "email": "mix@x.test"}).application
    cs.move(mixed, "rejected", "no")
    cs.add_candidate(other, {"full_name": "x", "email": "mix@x.test"})
    long_ago = utcnow() - timedelta(days=400)
    for app in (old, active, mixed):
        app.stage_changed_at = long_ago
    ctx.session.commit()
    assert er.apply_retention() == 1
    ctx.session.commit()
    names = set(ctx.session.scalars(sa.select(Candidate.full_name)))
    assert "Old Reject" not in names
    assert {"New Reject", "Old Active", "Old Reject Elsewhere Active"} <= names
    assert er.apply_retention() == 0


def _upload(vacancy, data=None):
    data = data if data is not None else (FIXTURES / "candidates_jobboard_cp1251.csv").read_bytes()
    return imports.start(vacancy, "export.csv", data, vacancy.requested_by)


def test_import_with_bad_rows_imports_nothing_until_the_user_chooses(vacancy, ctx):
    batch = _upload(vacancy)
    result = imports.check(batch, batch.mapping)
    assert (result.valid, len(result.errors)) == (29, 4)
    assert batch.report["bad_lines"] == [30, 31, 32, 33]
    with pytest.raises(imports.CandidateImportError, match="4 rows have errors"):
        imports.run(batch, skip_bad_rows=False)
    assert ctx.session.scalar(sa.select(sa.func.count(Candidate.id))) == 0
    imports.run(batch, skip_bad_rows=True)  # JOBS_MODE=sync: the job runs now
    ctx.session.commit()
    ctx.session.refresh(batch)
    assert batch.status == "done"
    assert (batch.report["created"], batch.report["skipped"]) == (29, 4)
    assert ctx.session.scalar(sa.select(sa.func.count(Application.id))) == 29
    assert batch.content == b""


def test_the_uploaded_file_name_is_stored_clean(vacancy, ctx):
    """A bidi override or a control character in an upload's name could hide
    its real extension or garble the page and the audit trail: the name is
    stored as a person reads it (and a name with nothing left is "upload.csv")."""
    data = (FIXTURES / "candidates_jobboard_cp1251.csv").read_bytes()
    batch = imports.start(vacancy, "C:\\exports\\hh\u202egpj.csv\x00\x1b[31m.csv", data, vacancy.requested_by)
    ctx.session.commit()
    assert batch.filename == "hh gpj.csv [31m.csv"
    entry = ctx.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "import.upload"))
    assert entry.data["filename"] == batch.filename
    assert imports.start(vacancy, "\u202e\x07", data, vacancy.requested_by).filename == "upload.csv"


def test_clean_file_links_known_candidates(vacancy, ctx):
    cs.add_candidate(vacancy, {"full_name": "Known", "email": "natalya.smirnova0@example.ru"})
    other = _second_vacancy(vacancy)
    cs.add_candidate(other, {"full_name": "Known elsewhere", "phone": "+7 (955) 528-18-40"})
    ctx.session.commit()
    data = (FIXTURES / "candidates_jobboard_cp1251.csv").read_bytes().decode("cp1251").splitlines()
    clean = ("\r\n".join(data[:29]) + "\r\n").encode("cp1251")
    batch = _upload(vacancy, clean)
    result = imports.check(batch, batch.mapping)
    assert result.errors == [] and result.known == 2
    imports.run(batch, skip_bad_rows=False)
    ctx.session.commit()
    ctx.session.refresh(batch)
    assert (batch.report["created"], batch.report["linked"], batch.report["already"]) == (26, 1, 1)


def test_import_fails_whole_when_the_vacancy_closed_meanwhile(vacancy, ctx):
    batch = _upload(vacancy)
    imports.check(batch, batch.mapping)
    batch.status = "queued"
    batch.report = {**batch.report, "skip_bad_rows": True}
    vacancy.state = "on_hold"
    ctx.session.commit()
    imports.execute(batch.id)
    ctx.session.commit()
    batch = ctx.session.get(ImportBatch, batch.id)
    assert batch.status == "failed" and "Only open vacancies" in batch.report["failure"]
    assert ctx.session.scalar(sa.select(sa.func.count(Candidate.id))) == 0


@pytest.mark.parametrize("data, message", [
    (b"", "empty"), (b"\x00\x00", "not a text"), (b"name,email\n", "no candidates"),
])
def test_unusable_uploads_are_refused(vacancy, ctx, data, message):
    with pytest.raises(imports.CandidateImportError, match=message):
        _upload(vacancy, data)
    assert ctx.session.scalar(sa.select(sa.func.count(ImportBatch.id))) == 0


def test_an_import_refreshes_the_planner_statistics_of_the_embedded_database(vacancy, ctx):
    """SQLite plans a search in a large pipeline well only with statistics,
    which it never gathers by itself: an import (how pipelines grow) and a
    periodic job refresh them. PostgreSQL's autovacuum keeps its own."""
    sqlite = ctx.engine.dialect.name == "sqlite"
    if sqlite and ctx.session.scalar(sa.text("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'")):
        ctx.session.execute(sa.text("DELETE FROM sqlite_stat1"))
        ctx.session.commit()
    batch = _upload(vacancy)
    imports.check(batch, batch.mapping)
    imports.run(batch, skip_bad_rows=True)
    ctx.session.commit()
    if sqlite:
        rows = dict(ctx.session.execute(sa.text(
            "SELECT idx, stat FROM sqlite_stat1 WHERE tbl = 'applications'")).all())
        assert rows["ix_applications_vacancy_id_order"].startswith("29 ")  # 29 applications counted
    assert housekeeping.periodic_statistics() is sqlite
    assert "database.statistics" in jobs._PERIODIC
