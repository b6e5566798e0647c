"""Uploads that cannot exhaust memory or break a download, and exports a
spreadsheet opens as text: every CSV the product hands out neutralises
formulas (OWASP CSV injection)."""

from __future__ import annotations

import csv
import io
import os
import re
import tracemalloc
import zipfile
from datetime import timedelta

import pytest
import sqlalchemy as sa

from tests.conftest import login
from tests.worlds.interviews import book_one
from tests.worlds.training import hired, today

FORMULAS = ["=HYPERLINK(\"http://evil.test\",\"x\")", "+SUM(1+1)", "-2+3", "@SUM(A1)", "\t=1+1", "\r=1+1"]


def _docx_bomb(unpacked_mb: int) -> bytes:
    """A valid-looking DOCX with one member of zeros that deflates ~1000:1."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
        with archive.open("word/media/image1.png", "w") as member:
            chunk = b"\0" * (1024 * 1024)
            for _ in range(unpacked_mb):
                member.write(chunk)
    return buffer.getvalue()


def _odt_bomb() -> bytes:
    """The `mimetype` member itself is the bomb: it used to be read whole."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive, archive.open("mimetype", "w") as member:
        member.write(b"application/vnd.oasis.opendocument.text")
        for _ in range(300):
            member.write(b" " * (1024 * 1024))
    return buffer.getvalue()


def test_an_archive_bomb_is_refused_without_inflating_it():
    from recruit.vacancies import resumes

    bomb = _odt_bomb()
    assert len(bomb) < 1024 * 1024
    tracemalloc.start()
    with pytest.raises(resumes.UnsafeArchiveError):
        resumes.detect_type(bomb)
    _now, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 20 * 1024 * 1024
    with pytest.raises(resumes.UnsafeArchiveError):
        resumes.detect_type(_docx_bomb(250))


def test_real_documents_are_still_recognised():
    from recruit.vacancies import resumes

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<?xml version='1.0'?><Types/>")
        archive.writestr("word/document.xml", "<w:document>" + "Sales manager, 5 years. " * 2000 + "</w:document>")
        archive.writestr("word/media/photo.jpeg", os.urandom(3 * 1024 * 1024))  # photos do not compress
    assert resumes.detect_type(buffer.getvalue()) == "docx"


def test_a_bomb_upload_gets_a_clear_message_and_stores_nothing(clean_app, make):
    vacancy = make.vacancy("open")
    application = make.candidate(vacancy, full_name="Olena Bomb")
    make.user("recruiter", email="r@x.test")
    client = clean_app.test_client()
    login(client, "r@x.test")
    candidate_id = _candidate_of(clean_app, application)
    response = client.post(f"/candidates/{candidate_id}/resume", data={"resume": (io.BytesIO(_odt_bomb()), "cv.odt")},
                           content_type="multipart/form-data", follow_redirects=True)
    assert response.status_code == 200
    assert "would unpack to far more than a résumé holds" in response.get_data(as_text=True)
    resumes_dir = clean_app.config["UPLOAD_DIR"] / "resumes"
    assert not resumes_dir.exists() or list(resumes_dir.iterdir()) == []


def _candidate_of(app, application_id: int) -> int:
    from recruit.extensions import db
    from recruit.vacancies.models import Application

    with app.app_context():
        return db.session.get(Application, application_id).candidate_id


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.mark.parametrize(("uploaded", "shown"), [
    ("cv\x0b\x1bSet-Cookie: x=1.pdf", "cv Set-Cookie_ x=1.pdf"),  # browsers send CR/LF as %0D%0A
    ("résumé\u202egpj.exe.pdf", "résumé gpj.exe.pdf"),
    ("../../etc/Іванна Коваль.pdf", "Іванна Коваль.pdf"),
])
def test_file_names_are_cleaned_and_downloads_follow_rfc_6266(clean_app, make, uploaded, shown):
    vacancy = make.vacancy("open")
    application = make.candidate(vacancy, full_name="Iryna Name")
    make.user("recruiter", email="r@x.test")
    client = clean_app.test_client()
    login(client, "r@x.test")
    candidate_id = _candidate_of(clean_app, application)
    response = client.post(f"/candidates/{candidate_id}/resume", data={"resume": (io.BytesIO(PDF), uploaded)},
                           content_type="multipart/form-data")
    assert response.status_code == 302
    download = client.get(f"/candidates/{candidate_id}/resume")
    assert download.status_code == 200 and download.data == PDF
    header = download.headers["Content-Disposition"]
    assert header.startswith('attachment; filename="') and "\r" not in header and "\n" not in header
    assert "Set-Cookie" not in download.headers
    from urllib.parse import unquote

    star = re.search(r"filename\*=UTF-8''(\S+)", header)
    assert (unquote(star.group(1)) if star else re.search(r'filename="([^"]*)"', header).group(1)) == shown


def test_a_name_stored_before_the_cleaning_still_downloads(clean_app, make):
    """Rows written by earlier releases may hold CR or LF: no 500."""
    from recruit.extensions import db
    from recruit.vacancies.models import Candidate

    vacancy = make.vacancy("open")
    application = make.candidate(vacancy, full_name="Old Row")
    make.user("recruiter", email="r@x.test")
    client = clean_app.test_client()
    login(client, "r@x.test")
    candidate_id = _candidate_of(clean_app, application)
    client.post(f"/candidates/{candidate_id}/resume", data={"resume": (io.BytesIO(PDF), "cv.pdf")},
                content_type="multipart/form-data")
    with clean_app.app_context():
        db.session.execute(sa.update(Candidate).values(resume_name="a\r\nb\x00c.pdf"))
        db.session.commit()
    download = client.get(f"/candidates/{candidate_id}/resume")
    assert download.status_code == 200
    assert download.headers["Content-Disposition"] == 'attachment; filename="a b c.pdf"'


def _cells(response) -> list[str]:
    assert response.status_code == 200 and response.mimetype == "text/csv"
    return [cell for row in csv.reader(io.StringIO(response.get_data().decode("utf-8-sig"))) for cell in row]


def _assert_neutral(cells: list[str], planted: list[str]) -> None:
    for cell in cells:
        assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell
    for value in planted:
        assert "'" + value in cells


def test_interview_report_csv_neutralises_formulas(clean_app, day):
    from recruit.extensions import db
    from recruit.vacancies.models import Application, Candidate

    book_one(clean_app, day, slot=0)
    with clean_app.app_context():
        candidate_id = db.session.get(Application, day["apps"][0]).candidate_id
        db.session.execute(sa.update(Candidate).where(Candidate.id == candidate_id).values(full_name=FORMULAS[0]))
        db.session.commit()
    client = clean_app.test_client()
    login(client, "rec@x.test")
    _assert_neutral(_cells(client.get("/interviews/reports.csv")), [FORMULAS[0]])


def test_plan_and_bonus_csvs_neutralise_formulas(clean_app, make):
    from recruit.extensions import db

    make.user("recruiter", email="hr@x.test")
    mentor = make.user("mentor", email="mentor@x.test", name=FORMULAS[3])
    head = make.user("hiring_manager", email="head@x.test")
    application = hired(clean_app, make)
    client = clean_app.test_client()
    login(client, "hr@x.test")
    form = client.get(f"/plans/new?application={application}").get_data(as_text=True)
    template_id = re.search(r'name="template_id"><option value="(\d+)"', form).group(1)
    start = (today(clean_app) - timedelta(days=3)).isoformat()
    response = client.post("/plans/new", data={
        "application": application, "hire_name": FORMULAS[1], "hire_email": "ivan@x.test", "start": start,
        "template_id": template_id, "mentor_id": mentor, "curator_id": mentor, "head_id": head, "sysadmin_id": 0})
    assert response.status_code == 302
    _assert_neutral(_cells(client.get("/plans?format=csv")), [FORMULAS[1], FORMULAS[3]])
    with clean_app.app_context():
        db.session.commit()
    from recruit.training.models import OnboardingPlan

    with clean_app.app_context():
        plan = db.session.scalar(sa.select(OnboardingPlan))
        plan.state = "ended"
        db.session.commit()
    bonuses = _cells(client.get("/plans/bonuses?format=csv"))
    _assert_neutral(bonuses, [FORMULAS[3]])


def test_import_errors_csv_neutralises_formulas(clean_app, make):
    vacancy = make.vacancy("open")
    make.user("recruiter", email="r@x.test")
    client = clean_app.test_client()
    login(client, "r@x.test")
    data = (b"name;phone;=cmd|' /C calc'!A0\nOlena Petrenko;+380671234567;-5\n"
            b"Ivan Franko;+380671234568;3\n")
    response = client.post(f"/vacancies/{vacancy}/import", data={"file": (io.BytesIO(data), "export.csv")},
                           content_type="multipart/form-data")
    assert response.status_code == 302
    batch_url = response.headers["Location"]
    client.post(batch_url, data={"map_full_name": 0, "map_phone": 1, "map_email": "", "map_city": "",
                                 "map_experience_years": 2, "map_education": "", "map_source": "", "map_notes": "",
                                 "encoding": "utf-8", "delimiter": "semicolon"})
    cells = _cells(client.get(f"{batch_url}/errors.csv"))
    assert any("cannot be negative" in c for c in cells)
    _assert_neutral(cells, ["=cmd|' /C calc'!A0"])


def test_the_csv_writer_keeps_ordinary_values():
    from recruit.exports import csv_bytes

    text = csv_bytes(["name", "score"], [["Ольга", -3], ["O'Neil", 2.5], [*FORMULAS[4:], 0]]).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[1] == ["Ольга", "-3"] and rows[2] == ["O'Neil", "2.5"]
    assert rows[3][:2] == ["'\t=1+1", "'\r=1+1"]


def test_quiz_results_csv_neutralises_formulas(clean_app, make):
    from pathlib import Path

    bank = (Path(__file__).parent.parent / "fixtures" / "product_knowledge.gift").read_bytes()
    make.user("admin", email="admin@x.test")
    hire = make.user("new_hire", email="hire@x.test", name=FORMULAS[0])
    client = clean_app.test_client()
    login(client, "admin@x.test")
    client.post("/quizzes/bank", data={"file": (io.BytesIO(bank), "bank.gift")}, content_type="multipart/form-data")
    form = client.get("/quizzes/new").get_data(as_text=True)
    question = re.search(r'name="questions" value="(\d+)">', form).group(1)
    client.post("/quizzes/new", data={"title": "Product knowledge", "key": "pk", "time_limit_minutes": 20,
                                      "pass_mark": 60, "attempt_limit": 2, "stage_position": "", "assign": [hire],
                                      "questions": [question]})
    client.post("/logout")
    login(client, "hire@x.test")
    quiz_id = re.search(r'action="/quizzes/(\d+)/start"', client.get("/quizzes").get_data(as_text=True)).group(1)
    attempt_url = client.post(f"/quizzes/{quiz_id}/start").headers["Location"]
    assert client.post(f"{attempt_url}/submit", data={}).status_code == 302
    client.post("/logout")
    login(client, "admin@x.test")
    _assert_neutral(_cells(client.get(f"/quizzes/{quiz_id}/statistics?format=csv")), [FORMULAS[0]])
