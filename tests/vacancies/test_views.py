"""The vacancy, pipeline and import pages as each role clicks through them."""

import io
import re
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy import event

from recruit.extensions import db
from recruit.interviews import preferences
from recruit.interviews.overbooking import plan_invites
from recruit.organisation import services as org
from recruit.vacancies.models import Application, ImportBatch
from tests.conftest import login

FIXTURES = Path(__file__).parent.parent / "fixtures"


def _db(app):
    return db


def test_vacancy_request_review_and_opening_in_the_browser(clean_app, make):
    make.user("hiring_manager", email="boss@x.test")
    hr = make.user("recruiter", email="hr@x.test")
    ceo = make.user("admin", email="ceo@x.test")
    template = make.template(title="Client manager")
    db = _db(clean_app)
    with clean_app.app_context():
        org.update_settings(name="X", timezone="Europe/Moscow", working_days=[0, 1, 2, 3, 4],
                            reminder_offsets_hours=[24], retention_days=365, approver_id=ceo)
        org.add_review_step("HR", hr)
        db.session.commit()
    client = clean_app.test_client()
    login(client, "boss@x.test")
    form = client.get(f"/vacancies/new?template={template}").get_data(as_text=True)
    assert "30 calls a day" in form  # the template's KPIs are prefilled
    bad = client.post(f"/vacancies/new?template={template}", data={"position": "Client manager", "headcount": 1,
                                                                    "pay_level": 2, "salary_min": 90, "salary_max": 10})
    assert "must not be below" in bad.get_data(as_text=True)
    response = client.post(f"/vacancies/new?template={template}", data={
        "position": "Client manager", "department": "Sales", "city": "Perm", "headcount": 2, "pay_level": 2,
        "salary_min": 60000, "salary_max": 80000, "kpis": "30 calls a day", "target_start": "2027-02-01"})
    assert response.status_code == 302
    vacancy_url = response.headers["Location"]
    client.post(f"{vacancy_url}/transition", data={"target": "in_review", "comment": "Please review"})
    page = client.get(vacancy_url).get_data(as_text=True)
    assert "in review" in page and "Please review" in page
    client.post("/logout")

    login(client, "hr@x.test")
    page = client.get("/").get_data(as_text=True)
    assert "Waiting for you" in page
    review_id = __import__("re").search(r"/reviews/(\d+)", client.get(vacancy_url).get_data(as_text=True)).group(1)
    client.post(f"{vacancy_url}/reviews/{review_id}", data={"decision": "approved", "comment": "Budget fine"})
    assert client.post(f"{vacancy_url}/transition", data={"target": "approved"}).status_code == 403
    client.post("/logout")

    login(client, "ceo@x.test")
    client.post(f"{vacancy_url}/transition", data={"target": "approved", "comment": "Signed"})
    client.post("/logout")
    login(client, "hr@x.test")
    client.post(f"{vacancy_url}/transition", data={"target": "open"})
    page = client.get(vacancy_url).get_data(as_text=True)
    assert "Funnel forecast" in page and "Import candidates" in page
    assert "draft → <strong>in review</strong>" in page.replace("\n", "")


def test_pipeline_list_board_and_moves(clean_app, make, login_as):
    vacancy = make.vacancy("open")
    apps = [make.candidate(vacancy, full_name=f"Person {n}", city="Kazan" if n < 3 else "Omsk") for n in range(60)]
    client = clean_app.test_client()
    user = make.user("recruiter", email="r@x.test")
    assert user
    login(client, "r@x.test")
    page = client.get(f"/vacancies/{vacancy}/pipeline").get_data(as_text=True)
    assert "Page 1 of 2" in page and "Person 59" in page and "Person 0<" not in page
    # every row's move control posts to its own application, with the next stage proposed
    forms = re.findall(r'<form method="post" action="/applications/(\d+)/move" class="move-form">(.*?)</form>',
                       page, re.S)
    assert sorted(int(i) for i, _ in forms) == sorted(apps[10:])
    for _id, form in forms:
        assert 'name="csrf_token"' in form and 'name="next" value="/vacancies/' in form
        assert re.search(r'<option value="screened" selected>Screened</option>', form)
        assert '<option value="rejected" >Rejected</option>' in form and 'name="reason"' in form
    page2 = client.get(f"/vacancies/{vacancy}/pipeline?page=2").get_data(as_text=True)
    assert "Person 0<" in page2
    kazan = client.get(f"/vacancies/{vacancy}/pipeline?city=Kazan").get_data(as_text=True)
    assert kazan.count('class="badge stage-new"') == 3 and 'class="pager"' not in kazan
    omsk = client.get(f"/vacancies/{vacancy}/pipeline?city=Omsk").get_data(as_text=True)
    assert "Page 1 of 2 · 57 in all" in omsk and omsk.count('class="badge stage-new"') == 50
    omsk2 = client.get(f"/vacancies/{vacancy}/pipeline?city=Omsk&page=2").get_data(as_text=True)
    assert "Page 2 of 2 · 57 in all" in omsk2 and omsk2.count('class="badge stage-new"') == 7
    beyond = client.get(f"/vacancies/{vacancy}/pipeline?city=Kazan&page=3")  # past the end: the last page
    assert beyond.status_code == 302 and beyond.headers["Location"].endswith("pipeline?city=Kazan&page=1")
    assert client.get(f"/vacancies/{vacancy}/pipeline?page=9").headers["Location"].endswith("pipeline?page=2")
    response = client.post(f"/applications/{apps[0]}/move", data={"target": "rejected", "reason": ""})
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Give a reason" in page
    client.post(f"/applications/{apps[0]}/move", data={"target": "screened"})
    client.post(f"/applications/{apps[1]}/move", data={"target": "rejected", "reason": "No experience"})
    board = client.get(f"/vacancies/{vacancy}/board").get_data(as_text=True)
    assert "No experience" not in board and "Person 1<" in board
    listing = client.get(f"/vacancies/{vacancy}/pipeline?stage=rejected").get_data(as_text=True)
    assert "No experience" in listing and "Person 1<" in listing
    response = client.post(f"/applications/{apps[2]}/move", data={"target": "bogus"})
    assert "cannot move" in client.get(response.headers["Location"]).get_data(as_text=True)
    empty = client.get(f"/vacancies/{vacancy}/pipeline?q=zzz").get_data(as_text=True)
    assert "No candidate matches" in empty


def test_each_pipeline_row_moves_its_own_candidate(clean_app, make):
    """The move control on every row (list, board and the candidate's page)
    acts on that row's application, suggests the next stage, and brings the
    recruiter back to the filtered list; people who only read see none."""
    manager = make.user("hiring_manager", email="m@x.test")
    vacancy = make.vacancy("open", manager=manager)
    apps = [make.candidate(vacancy, full_name=f"Person {n}", city="Kazan") for n in range(3)]
    make.user("recruiter", email="r@x.test")
    client = clean_app.test_client()
    login(client, "r@x.test")
    page = client.get(f"/vacancies/{vacancy}/pipeline?city=Kazan").get_data(as_text=True)
    forms = re.findall(r'<form method="post" action="/applications/(\d+)/move".*?</form>', page, re.S)
    assert sorted(int(f) for f in forms) == sorted(apps)
    first = re.search(rf'action="/applications/{apps[0]}/move".*?</form>', page, re.S).group(0)
    assert '<option value="screened" selected>' in first
    assert f'name="next" value="/vacancies/{vacancy}/pipeline?city=Kazan"' in first
    response = client.post(f"/applications/{apps[0]}/move",
                           data={"target": "screened", "next": f"/vacancies/{vacancy}/pipeline?city=Kazan"})
    assert response.headers["Location"] == f"/vacancies/{vacancy}/pipeline?city=Kazan"
    board = client.get(f"/vacancies/{vacancy}/board").get_data(as_text=True)
    assert len(re.findall(r'action="/applications/\d+/move"', board)) == 3
    with clean_app.app_context():
        person = _db(clean_app).session.get(Application, apps[0]).candidate_id
    profile = client.get(f"/candidates/{person}").get_data(as_text=True)
    assert f'action="/applications/{apps[0]}/move"' in profile and '<option value="interviewed"' in profile

    reader = clean_app.test_client()
    login(reader, "m@x.test")
    read_only = reader.get(f"/vacancies/{vacancy}/pipeline").get_data(as_text=True)
    assert "Person 1" in read_only and "/move" not in read_only
    assert "/move" not in reader.get(f"/vacancies/{vacancy}/board").get_data(as_text=True)


def test_kept_move_controls_are_each_readers_own(clean_app, make):
    """A stage's select and button are written once per language and kept
    (vacancies.blueprint.stage_controls): a second reader in another language
    gets theirs, and the token (the one the page's sign-out form carries) and
    the page to come back to stay each page's."""
    vacancy = make.vacancy("open")
    make.candidate(vacancy, full_name="Olena Bondar")
    make.user("recruiter", email="rita@x.test")
    make.user("recruiter", email="roman@x.test")
    rita, roman = clean_app.test_client(), clean_app.test_client()
    login(rita, "rita@x.test")
    login(roman, "roman@x.test")

    def control(client, query=""):
        page = client.get(f"/vacancies/{vacancy}/pipeline{query}").get_data(as_text=True)
        form = re.search(r'<form method="post" action="/applications/\d+/move".*?</form>', page, re.S).group(0)
        tokens = set(re.findall(r'name="csrf_token" value="([^"]+)"', page))
        assert len(tokens) == 1  # the move control's token is the one the page's sign-out form carries
        return form

    english = control(rita, "?stage=new")
    assert ">Screened</option>" in english and ">Move</button>" in english
    assert f'name="next" value="/vacancies/{vacancy}/pipeline?stage=new"' in english
    ukrainian = control(roman, "?lang=uk")
    assert ">Screened</option>" not in ukrainian and ">Move</button>" not in ukrainian
    assert f'name="next" value="/vacancies/{vacancy}/pipeline?lang=uk"' in ukrainian
    again = control(rita)
    assert again.split('name="next"')[1].split("\n", 1)[1] == english.split('name="next"')[1].split("\n", 1)[1]
    assert f'name="next" value="/vacancies/{vacancy}/pipeline?"' in again


def test_pipeline_page_queries_do_not_grow_with_candidates(clean_app, make):
    """No N+1: the page runs the same number of queries for 5 or 50 rows."""
    vacancy = make.vacancy("open")
    make.user("recruiter", email="r@x.test")
    client = clean_app.test_client()
    login(client, "r@x.test")
    db = _db(clean_app)

    def queries_for_page() -> int:
        statements = []
        with clean_app.app_context():
            engine = db.engine
        listener = lambda *args: statements.append(args[2])  # noqa: E731
        event.listen(engine, "before_cursor_execute", listener)
        try:
            assert client.get(f"/vacancies/{vacancy}/pipeline").status_code == 200
        finally:
            event.remove(engine, "before_cursor_execute", listener)
        return len(statements)

    for _n in range(5):
        make.candidate(vacancy)
    few = queries_for_page()
    for _n in range(45):
        make.candidate(vacancy)
    assert queries_for_page() == few


def test_csv_import_through_the_pages(clean_app, make):
    vacancy = make.vacancy("open")
    make.user("recruiter", email="r@x.test")
    client = clean_app.test_client()
    login(client, "r@x.test")
    data = (FIXTURES / "candidates_jobboard_cp1251.csv").read_bytes()
    response = client.post(f"/vacancies/{vacancy}/import", data={"file": (io.BytesIO(data), "export.csv")},
                           content_type="multipart/form-data")
    assert response.status_code == 302
    batch_url = response.headers["Location"]
    preview = client.get(batch_url).get_data(as_text=True)
    assert "Смирнова Наталья" in preview and "Windows-1251" in preview
    mapping = {"map_full_name": 0, "map_phone": 1, "map_email": 2, "map_city": 3, "map_experience_years": 4,
               "map_education": 5, "map_source": 6, "map_notes": "", "encoding": "cp1251", "delimiter": "semicolon"}
    client.post(batch_url, data=mapping)
    report = client.get(batch_url).get_data(as_text=True)
    assert "29 valid rows" in report and "4 problems" in report
    assert "duplicate of line 5" in report and "experience cannot be negative" in report
    errors_csv = client.get(f"{batch_url}/errors.csv").get_data().decode("utf-8-sig")
    assert "33,\"Опыт работы, лет\",experience cannot be negative" in errors_csv
    refused = client.post(f"{batch_url}/run", data={})
    assert "4 rows have errors" in client.get(refused.headers["Location"]).get_data(as_text=True)
    pipeline = client.get(f"/vacancies/{vacancy}/pipeline").get_data(as_text=True)
    assert "No candidates yet" in pipeline
    client.post(f"{batch_url}/run", data={"skip_bad_rows": "y"})
    done = client.get(batch_url).get_data(as_text=True)
    assert "29 new candidates" in done and "4 bad rows skipped" in done
    progress = client.get(f"{batch_url}/progress").get_json()
    assert progress["batch_status"] == "done" and progress["job"] == {"status": "finished", "done": 29, "total": 29}
    pipeline = client.get(f"/vacancies/{vacancy}/pipeline").get_data(as_text=True)
    assert "Точка; С запятой" in pipeline


def test_upload_errors_are_explained(clean_app, make):
    vacancy = make.vacancy("open")
    make.user("recruiter", email="r@x.test")
    client = clean_app.test_client()
    login(client, "r@x.test")
    response = client.post(f"/vacancies/{vacancy}/import", data={"file": (io.BytesIO(b"\x00\x01"), "x.csv")},
                           content_type="multipart/form-data", follow_redirects=True)
    assert "not a text (CSV) file" in response.get_data(as_text=True)
    closed = make.vacancy("approved")
    response = client.post(f"/vacancies/{closed}/import", data={"file": (io.BytesIO(b"a,b\n1,2\n"), "x.csv")},
                           content_type="multipart/form-data")
    assert response.status_code == 403


def test_resume_upload_download_and_anonymise(clean_app, make):
    vacancy = make.vacancy("open")
    application = make.candidate(vacancy, full_name="Olga Private", email="olga@x.test")
    make.user("recruiter", email="r@x.test")
    client = clean_app.test_client()
    login(client, "r@x.test")
    db = _db(clean_app)
    with clean_app.app_context():
        candidate = db.session.get(Application, application).candidate_id
    url = f"/candidates/{candidate}"
    response = client.post(f"{url}/resume", data={"resume": (io.BytesIO(b"MZ evil"), "cv.pdf")},
                           content_type="multipart/form-data", follow_redirects=True)
    assert "this file is none of them" in response.get_data(as_text=True)
    client.post(f"{url}/resume", data={"resume": (io.BytesIO(b"%PDF-1.4 olga"), "olga.pdf")},
                content_type="multipart/form-data")
    download = client.get(f"{url}/resume")
    assert download.status_code == 200 and download.data == b"%PDF-1.4 olga"
    assert download.headers["Content-Type"] == "application/pdf"
    assert "attachment" in download.headers["Content-Disposition"]
    assert client.get("/static/../instance/uploads").status_code == 404
    refused = client.post(f"{url}/anonymise", data={})
    assert refused.status_code == 302
    page = client.get(url).get_data(as_text=True)
    assert "Olga Private" in page
    client.post(f"{url}/anonymise", data={"reason": "asked by phone"})
    page = client.get(url).get_data(as_text=True)
    assert "Olga Private" not in page and "olga@x.test" not in page
    assert client.get(f"{url}/resume").status_code == 404


def test_settings_change_the_time_zone_of_displayed_times(clean_app, make):
    make.user("admin", email="a@x.test")
    client = clean_app.test_client()
    login(client, "a@x.test")
    response = client.post("/admin/settings", data={
        "name": "Far East Sales", "timezone": "Asia/Vladivostok", "working_days": [0, 1, 2, 3, 4, 5],
        "reminder_offsets": "24, 2", "retention_days": 180, "approver_id": 0, "planning_preference": "5",
        "show_rate_half_life_days": 30, "no_show_grace_minutes": 15})
    assert response.status_code == 302
    page = client.get("/admin/users").get_data(as_text=True)
    assert "Times shown in Asia/Vladivostok" in page and "Far East Sales" in page
    bad = client.post("/admin/settings", data={"name": "X", "timezone": "Mars/Base", "working_days": [0],
                                               "reminder_offsets": "24", "retention_days": 180, "approver_id": 0})
    assert "Not a valid choice" in bad.get_data(as_text=True)
    bad = client.post("/admin/settings", data={"name": "X", "timezone": "UTC", "working_days": [0],
                                               "reminder_offsets": "soon", "retention_days": 180, "approver_id": 0,
                                               "planning_preference": "2",
                                               "show_rate_half_life_days": 60, "no_show_grace_minutes": 30})
    assert "whole hours" in bad.get_data(as_text=True)
    client.post("/admin/settings/holidays", data={"day": "2027-01-07", "name": "Christmas"})
    again = client.post("/admin/settings/holidays", data={"day": "2027-01-07", "name": "Twice"},
                        follow_redirects=True)
    assert "already a holiday" in again.get_data(as_text=True)
    with clean_app.app_context():
        settings = org.get_settings()
        assert settings.timezone == "Asia/Vladivostok" and settings.retention_days == 180
        assert settings.working_days == [0, 1, 2, 3, 4, 5]
        assert (settings.planning_preference, settings.show_rate_half_life_days) == (5, 30.0)
        assert settings.no_show_grace_minutes == 15
        # "never keep candidates waiting" makes the planner invite fewer per place than the default
        never, default = preferences.weights(5), preferences.weights(preferences.DEFAULT)
        assert plan_invites(1, 20, 80, overflow_cost=never.overflow_cost) < \
            plan_invites(1, 20, 80, overflow_cost=default.overflow_cost)
        assert [h.name for h in org.holidays()] == ["Christmas"]
        assert org.calendar().add_business_days(date(2027, 1, 6), 1) == date(2027, 1, 8)


@pytest.mark.parametrize("role", ["receptionist", "mentor", "new_hire"])
def test_roles_without_vacancy_work_see_their_own_home(clean_app, make, role):
    make.user(role, email=f"{role}@x.test")
    client = clean_app.test_client()
    login(client, f"{role}@x.test")
    page = client.get("/").get_data(as_text=True)
    assert 'href="/vacancies"' not in page and 'href="/candidates"' not in page
    assert client.get("/vacancies").status_code == 403


def test_oversized_upload_gets_a_clear_answer(clean_app, make):
    vacancy = make.vacancy("open")
    make.user("recruiter", email="r@x.test")
    client = clean_app.test_client()
    login(client, "r@x.test")
    big = io.BytesIO(b"a" * (clean_app.config["MAX_CONTENT_LENGTH"] + 1))
    response = client.post(f"/vacancies/{vacancy}/import", data={"file": (big, "huge.csv")},
                           content_type="multipart/form-data")
    assert response.status_code == 413 and "limited to 10 MB" in response.get_data(as_text=True)
    with clean_app.app_context():
        assert _db(clean_app).session.scalar(sa.select(sa.func.count(ImportBatch.id))) == 0


def test_pipeline_checkbox_names_its_candidate_in_the_readers_language(clean_app, make):
    """The label is translated once per page and each row puts its name in,
    escaped, where the language puts it (Georgian writes the name first)."""
    vacancy = make.vacancy("open")
    make.candidate(vacancy, full_name="Nino <b>O'Brien</b>")
    make.user("recruiter", email="r@x.test")
    client = clean_app.test_client()
    login(client, "r@x.test")
    english = client.get(f"/vacancies/{vacancy}/pipeline").get_data(as_text=True)
    assert 'aria-label="Select Nino &lt;b&gt;O&#39;Brien&lt;/b&gt;"' in english
    georgian = client.get(f"/vacancies/{vacancy}/pipeline?lang=ka").get_data(as_text=True)
    assert 'aria-label="Nino &lt;b&gt;O&#39;Brien&lt;/b&gt;-ის მონიშვნა"' in georgian
