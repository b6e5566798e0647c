"""Vacancies, the API and accounts in the reader's language: label maps for
every stored code, counts through ngettext, the API answering in the token
user's language, e-mails in the receiving user's language, and a vacancy's
and a candidate's own language on their forms."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel import support
from flask_babel import force_locale, gettext
from wtforms.i18n import messages_path

from recruit.auth import services as accounts
from recruit.auth.models import User
from recruit.extensions import db
from recruit.i18n import label, labels
from recruit.mail import OutboxMessage
from recruit.organisation.services import get_settings
from recruit.vacancies import services
from recruit.vacancies.models import Application, Candidate, Vacancy
from recruit.vacancies.pipeline import ALL_STAGES, VACANCY_STATES, next_stage
from tests.conftest import login

ROOT = Path(__file__).resolve().parents[2]


def _in(app, code: str, msgid: str, **variables) -> str:
    """The message as the compiled catalogue writes it in `code`."""
    with app.test_request_context(), force_locale(code):
        return gettext(msgid, **variables)


def _translated(app, code: str, msgid: str, **variables) -> str:
    text = _in(app, code, msgid, **variables)
    if text == msgid % variables if variables else text == msgid:
        pytest.skip(f"{msgid!r} has no {code} translation compiled yet")
    return text


# --- label maps ------------------------------------------------------------------------------

def test_every_stored_code_has_words(clean_app):
    with clean_app.app_context():
        assert set(labels("vacancy_state")) == set(VACANCY_STATES)
        assert set(labels("application_stage")) == set(ALL_STAGES)
        assert set(labels("stage_move")) == set(ALL_STAGES) | {next_stage("rejected")}
        assert set(labels("review_decision")) == {"pending", "approved", "changes_requested"}
        assert set(labels("pay_level")) == {1, 2, 3, 4}


def test_every_audit_event_has_words(clean_app):
    """Every action code the source records is in the "audit_event" map."""
    recorded = set()
    for path in (ROOT / "recruit").rglob("*.py"):
        recorded |= set(re.findall(r'audit\.record\(\s*"([a-z_]+\.[a-z_]+)"', path.read_text(encoding="utf-8")))
    assert recorded, "the source records audit events"
    with clean_app.app_context():
        missing = recorded - set(labels("audit_event"))
    assert not missing, f"audit events without words: {sorted(missing)}"


def test_a_label_is_read_in_the_page_language(clean_app):
    with clean_app.app_context():
        assert label("in_review", "vacancy_state") == "in review"
        assert label("changes_requested", "review_decision") == "changes requested"
        assert label("candidate.anonymise", "audit_event") == "personal data erased"
        assert label("something_new", "vacancy_state") == "something_new"


# --- pages -----------------------------------------------------------------------------------

def test_vacancy_pages_show_states_counts_and_money_in_words(clean_app, make):
    manager = make.user("hiring_manager", email="boss@x.test")
    make.user("recruiter", email="hr@x.test")
    vacancy = make.vacancy("open", manager=manager, headcount=1, salary_min=50000, salary_max=90000,
                           min_experience_years=1)
    make.candidate(vacancy)
    with clean_app.app_context():
        get_settings().currency = "EUR"
        row = db.session.get(Vacancy, vacancy)
        services.transition(row, "on_hold", row.approved_by)
        db.session.commit()
    client = clean_app.test_client()
    login(client, "hr@x.test")
    page = client.get(f"/vacancies/{vacancy}").get_data(as_text=True)
    assert "on hold" in page and "on_hold" not in page.replace("state-on_hold", "")
    assert "€50,000 – €90,000" in page
    assert "at least 1 year<" in page
    assert "1 year" in page and "1 years" not in page
    index = client.get("/vacancies").get_data(as_text=True)
    assert ">on hold<" in index
    home = client.get("/").get_data(as_text=True)
    assert "1 candidate ·" in home and "1 candidates" not in home
    assert "headcount 1" in home


def test_candidate_history_names_events_in_words(clean_app, make):
    make.user("recruiter", email="hr@x.test")
    vacancy = make.vacancy("open")
    application = make.candidate(vacancy)
    with clean_app.app_context():
        candidate_id = db.session.get(Application, application).candidate_id
    client = clean_app.test_client()
    login(client, "hr@x.test")
    page = client.get(f"/candidates/{candidate_id}").get_data(as_text=True)
    assert "candidate added" in page and ": add<" not in page


# --- the candidate's and the vacancy's language ----------------------------------------------

def test_the_recruiter_sees_and_changes_a_candidates_language(clean_app, make):
    make.user("recruiter", email="hr@x.test")
    vacancy = make.vacancy("open")
    application = make.candidate(vacancy, full_name="Olena Bondar", email="olena@x.test")
    with clean_app.app_context():
        candidate_id = db.session.get(Application, application).candidate_id
    client = clean_app.test_client()
    login(client, "hr@x.test")
    form = client.get(f"/candidates/{candidate_id}/edit").get_data(as_text=True)
    assert 'name="language"' in form and "The vacancy's language" in form and "Українська" in form
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', form).group(1)
    response = client.post(f"/candidates/{candidate_id}/edit", data={
        "csrf_token": token, "full_name": "Olena Bondar", "email": "olena@x.test", "language": "uk"})
    assert response.status_code == 302
    with clean_app.app_context():
        assert db.session.get(Candidate, candidate_id).language == "uk"
    page = client.get(f"/candidates/{candidate_id}").get_data(as_text=True)
    assert '<span lang="uk">Українська</span>' in page
    client.post(f"/candidates/{candidate_id}/edit", data={
        "csrf_token": token, "full_name": "Olena Bondar", "email": "olena@x.test", "language": ""})
    with clean_app.app_context():
        assert db.session.get(Candidate, candidate_id).language is None
    response = client.post(f"/candidates/{candidate_id}/edit", data={
        "csrf_token": token, "full_name": "Olena Bondar", "email": "olena@x.test", "language": "xx"})
    assert response.status_code == 200 and "Not a valid choice" in response.get_data(as_text=True)


def test_a_candidate_added_by_hand_gets_the_language_chosen(clean_app, make):
    make.user("recruiter", email="hr@x.test")
    vacancy = make.vacancy("open")
    client = clean_app.test_client()
    login(client, "hr@x.test")
    form = client.get(f"/vacancies/{vacancy}/candidates/new").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', form).group(1)
    client.post(f"/vacancies/{vacancy}/candidates/new", data={
        "csrf_token": token, "full_name": "Ion Popescu", "email": "ion@x.test", "language": "ro"})
    with clean_app.app_context():
        person = db.session.scalar(db.select(Candidate).where(Candidate.email == "ion@x.test"))
        assert person.language == "ro"


def test_a_vacancys_language_is_saved_from_its_form_and_the_api(clean_app, make):
    manager = make.user("hiring_manager", email="boss@x.test")
    vacancy = make.vacancy("draft", manager=manager)
    client = clean_app.test_client()
    login(client, "boss@x.test")
    form = client.get(f"/vacancies/{vacancy}/edit").get_data(as_text=True)
    assert 'name="language"' in form and "Candidates' language" in form
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', form).group(1)
    response = client.post(f"/vacancies/{vacancy}/edit", data={
        "csrf_token": token, "position": "Client manager", "headcount": 2, "pay_level": 1, "salary_min": 1,
        "salary_max": 2, "language": "bg"})
    assert response.status_code == 302, response.get_data(as_text=True)
    with clean_app.app_context():
        assert db.session.get(Vacancy, vacancy).language == "bg"
    assert "Български" in client.get(f"/vacancies/{vacancy}").get_data(as_text=True)


def test_the_vacancy_service_refuses_an_unknown_language(ctx, make):
    with pytest.raises(services.VacancyError, match="languages offered"):
        services._check_vacancy_data({"position": "X", "headcount": 1, "pay_level": 1, "language": "de"})


# --- the API's language ----------------------------------------------------------------------

@pytest.fixture
def token_of(clean_app, make):
    def _token(*roles: str, locale: str | None = None) -> str:
        user_id = make.user(*roles)
        with clean_app.app_context():
            user = db.session.get(User, user_id)
            user.locale = locale
            _, raw = accounts.create_api_token(user, "test")
            db.session.commit()
        return raw

    return _token


def _closed(app, code: str) -> str:
    with app.test_request_context(), force_locale(code):
        state = label("draft", "vacancy_state")
    return _translated(app, code, "Only open vacancies take candidates; this one is %(state)s.", state=state)


def test_the_api_answers_in_the_token_users_language(clean_app, make, token_of):
    vacancy = make.vacancy("draft")
    expected = _closed(clean_app, "uk")
    token = token_of("recruiter", locale="uk")
    response = clean_app.test_client().post("/api/v1/candidates", json={"vacancy_id": vacancy, "full_name": "A"},
                                            headers={"Authorization": f"Bearer {token}", "Accept-Language": "bg"})
    assert response.status_code == 409
    assert response.get_json()["error"]["message"] == expected


def test_without_a_choice_the_api_follows_accept_language(clean_app, make, token_of):
    vacancy = make.vacancy("draft")
    expected = _closed(clean_app, "bg")
    token = token_of("recruiter")
    response = clean_app.test_client().post("/api/v1/candidates", json={"vacancy_id": vacancy, "full_name": "A"},
                                            headers={"Authorization": f"Bearer {token}", "Accept-Language": "bg"})
    assert response.get_json()["error"]["message"] == expected
    english = clean_app.test_client().post("/api/v1/candidates", json={"vacancy_id": vacancy, "full_name": "A"},
                                           headers={"Authorization": f"Bearer {token}"})
    assert english.get_json()["error"]["message"] == "Only open vacancies take candidates; this one is draft."


def test_api_field_errors_keep_field_names_and_translate_reasons(clean_app, make, token_of):
    vacancy = make.vacancy("open")
    token = token_of("recruiter")
    response = clean_app.test_client().post(f"/api/v1/vacancies/{vacancy}/candidates/import", json=[
        {"full_name": "A", "email": "nope"}, "junk"], headers={"Authorization": f"Bearer {token}"})
    body = response.get_json()["error"]
    assert response.status_code == 422 and body["message"] == "2 items are not valid; nothing was imported."
    assert {"index": 1, "field": None, "reason": "must be an object"} in body["details"]
    assert any(e["field"] == "email" and "not a valid e-mail address" in e["reason"] for e in body["details"])
    one = clean_app.test_client().post(f"/api/v1/vacancies/{vacancy}/candidates/import", json=["junk"],
                                       headers={"Authorization": f"Bearer {token}"})
    assert one.get_json()["error"]["message"] == "1 item is not valid; nothing was imported."
    missing = clean_app.test_client().get("/api/v1/vacancies/999999", headers={"Authorization": f"Bearer {token}"})
    assert missing.status_code == 404 and missing.get_json()["error"]["message"] == "No vacancy 999999."


def test_the_api_shows_and_takes_a_vacancys_language(clean_app, make, token_of):
    token = token_of("hiring_manager")
    client = clean_app.test_client()
    created = client.post("/api/v1/vacancies", json={"position": "Courier", "language": "ka"},
                          headers={"Authorization": f"Bearer {token}"})
    assert created.status_code == 201 and created.get_json()["language"] == "ka"
    refused = client.post("/api/v1/vacancies", json={"position": "Courier", "language": "de"},
                          headers={"Authorization": f"Bearer {token}"})
    assert refused.status_code == 422


# --- e-mails to users ------------------------------------------------------------------------

def test_an_invitation_is_written_in_the_organisations_language(clean_app):
    expected = _translated(clean_app, "uk", "You are invited to Recruit")
    with clean_app.test_request_context(headers={"Accept-Language": "ro"}):
        get_settings().locale = "uk"
        db.session.commit()
        accounts.invite_user("new@x.test", "New Person", ["recruiter"])
        db.session.commit()
        message = db.session.scalar(db.select(OutboxMessage).where(OutboxMessage.recipient == "new@x.test"))
        assert message.subject == expected


def test_a_password_reset_is_written_in_the_users_own_language(clean_app, make):
    expected = _translated(clean_app, "ka", "Reset your Recruit password")
    user_id = make.user("recruiter", email="nino@x.test")
    with clean_app.app_context():
        db.session.get(User, user_id).locale = "ka"
        db.session.commit()
    response = clean_app.test_client().post("/password/forgot", data={"email": "nino@x.test"},
                                            headers={"Accept-Language": "en"})
    assert response.status_code in (200, 302)
    with clean_app.app_context():
        message = db.session.scalar(db.select(OutboxMessage).where(OutboxMessage.recipient == "nino@x.test"))
        assert message.subject == expected
        accounts.request_password_reset("nino@x.test")  # from a job or the command line: the same language
        db.session.commit()
        subjects = db.session.scalars(db.select(OutboxMessage.subject)
                                      .where(OutboxMessage.recipient == "nino@x.test")).all()
        assert subjects == [expected, expected]


# --- WTForms' own messages ---------------------------------------------------------------------

def test_built_in_form_messages_come_in_the_readers_language(clean_app, make):
    """The product's catalogue first, WTForms' own after (it has Russian, not Bosnian or Georgian)."""
    wtforms_ru = support.Translations.load(messages_path(), ["ru"], domain="wtforms").ugettext(
        "This field is required.")
    ours = _in(clean_app, "ru", "This field is required.")
    expected = ours if ours != "This field is required." else wtforms_ru
    assert expected != "This field is required."
    user_id = make.user("recruiter", email="hr@x.test")
    with clean_app.app_context():
        db.session.get(User, user_id).locale = "ru"
        db.session.commit()
    vacancy = make.vacancy("open")
    client = clean_app.test_client()
    login(client, "hr@x.test")
    form = client.get(f"/vacancies/{vacancy}/candidates/new").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', form).group(1)
    page = client.post(f"/vacancies/{vacancy}/candidates/new", data={"csrf_token": token, "full_name": ""})
    assert expected in page.get_data(as_text=True)
