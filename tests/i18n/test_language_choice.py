"""Which language a page is shown in: ?lang=xx, the user's own choice, the
visitor's cookie, the browser's Accept-Language, the organisation's default."""

from __future__ import annotations

import re

from babel.messages.pofile import read_po

from tests.conftest import login


def _lang(response) -> str:
    match = re.search(r'<html lang="([^"]+)"', response.get_data(as_text=True))
    assert match, "the page names its language"
    return match.group(1)


def _translated(code: str, msgid: str) -> str:
    with open(f"translations/{code}/LC_MESSAGES/messages.po", "rb") as fh:
        message = read_po(fh, locale=code).get(msgid)
    return message.string if message and message.string else msgid


def test_a_visitor_gets_the_browser_language_among_the_shipped_ones(client):
    assert _lang(client.get("/login", headers={"Accept-Language": "ro-RO,ro;q=0.9,en;q=0.5"})) == "ro"
    assert _lang(client.get("/login", headers={"Accept-Language": "de-DE,ka;q=0.8"})) == "ka"
    assert _lang(client.get("/login", headers={"Accept-Language": "de-DE,fr;q=0.8"})) == "en"


def test_lang_in_the_url_switches_and_a_cookie_keeps_it_for_a_visitor(client):
    response = client.get("/login?lang=uk", headers={"Accept-Language": "ro"})
    assert _lang(response) == "uk"
    assert _translated("uk", "Sign in") in response.get_data(as_text=True)
    cookie = response.headers.get("Set-Cookie", "")
    assert cookie.startswith("lang=uk") and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert _lang(client.get("/login", headers={"Accept-Language": "ro"})) == "uk"  # the cookie outranks the browser


def test_an_unknown_language_in_the_url_changes_nothing(client):
    response = client.get("/login?lang=xx", headers={"Accept-Language": "bg"})
    assert _lang(response) == "bg" and "lang=" not in response.headers.get("Set-Cookie", "")


def test_the_organisation_default_comes_before_english(client, clean_app):
    from recruit.extensions import db
    from recruit.organisation.services import get_settings

    with clean_app.app_context():
        get_settings().locale = "bs"
        db.session.commit()
    assert _lang(client.get("/login", headers={"Accept-Language": "de"})) == "bs"
    assert _lang(client.get("/login")) == "bs"


def test_a_signed_in_users_choice_is_saved_on_their_profile(client, make, clean_app):
    from recruit.auth.models import User
    from recruit.extensions import db

    user_id = make.user("recruiter", email="olena@example.test")
    login(client, "olena@example.test")
    assert _lang(client.get("/?lang=uk")) == "uk"
    with clean_app.app_context():
        assert db.session.get(User, user_id).locale == "uk"
    other = clean_app.test_client()  # another browser, no cookie, another Accept-Language
    login(other, "olena@example.test")
    assert _lang(other.get("/", headers={"Accept-Language": "ro"})) == "uk"


def test_the_account_page_sets_and_clears_the_language(client, make, clean_app):
    from recruit.auth.models import User
    from recruit.extensions import db

    user_id = make.user("mentor", email="nino@example.test")
    login(client, "nino@example.test")
    response = client.post("/account/language", data={"lang-locale": "ka"}, follow_redirects=True)
    assert _lang(response) == "ka"
    assert _translated("ka", "Language saved.") in response.get_data(as_text=True)
    with clean_app.app_context():
        assert db.session.get(User, user_id).locale == "ka"
    response = client.post("/account/language", data={"lang-locale": "fr"}, follow_redirects=True)
    with clean_app.app_context():
        assert db.session.get(User, user_id).locale == "ka", "a language not offered is refused, nothing changes"
    client.post("/account/language", data={"lang-locale": ""})
    with clean_app.app_context():
        assert db.session.get(User, user_id).locale is None


def test_every_language_is_one_click_away_on_the_sign_in_page(client):
    from recruit.i18n import LANGUAGES

    html = client.get("/login").get_data(as_text=True)
    for code, name in LANGUAGES.items():
        assert re.search(rf'href="/login\?lang={code}"[^>]*hreflang="{code}"[^>]*>{name}</a>', html), code


def test_a_missing_compiled_catalogue_is_named(tmp_path):
    from recruit.i18n import missing_catalogues

    (tmp_path / "uk" / "LC_MESSAGES").mkdir(parents=True)
    (tmp_path / "uk" / "LC_MESSAGES" / "messages.mo").write_bytes(b"")
    assert missing_catalogues([str(tmp_path)]) == ["ru", "bg", "ro", "bs", "ka"]
    assert missing_catalogues(["translations"]) == [], "make compiles every shipped catalogue"


def test_every_deploy_path_compiles_the_catalogues():
    """The .mo files are not in git: each way of releasing builds them before the app starts."""
    from pathlib import Path

    release = next(line for line in Path("Procfile").read_text().splitlines() if line.startswith("release:"))
    assert "pybabel compile -d translations" in release
    unit = Path("deploy/systemd/recruit-migrate.service").read_text()
    assert "ExecStartPre=/srv/recruit/app/.venv/bin/pybabel compile -d translations" in unit
    assert "$(BIN)/pybabel compile -d translations" in Path("Makefile").read_text()


def test_a_message_for_another_person_is_written_in_their_language_mid_request(clean_app):
    """A recruiter working in English invites a Ukrainian candidate: the
    template of the message is rendered in Ukrainian, the page stays English."""
    from flask import render_template_string

    from recruit.i18n import in_language

    with clean_app.test_request_context("/", headers={"Accept-Language": "en"}):
        assert render_template_string("{{ _('Sign in') }}") == "Sign in"
        with in_language("uk"):
            assert render_template_string("{{ _('Sign in') }}") == _translated("uk", "Sign in") != "Sign in"
        assert render_template_string("{{ _('Sign in') }}") == "Sign in"


def test_the_forms_own_messages_come_in_bosnian_and_georgian_too(clean_app):
    """WTForms ships no Bosnian or Georgian catalogue: its messages are in ours."""
    from werkzeug.datastructures import MultiDict
    from wtforms import StringField
    from wtforms.validators import DataRequired

    from recruit.admin import forms as admin_forms
    from recruit.interviews import forms as interview_forms
    from recruit.web import TranslatedForm

    class Probe(TranslatedForm):
        name = StringField("name", validators=[DataRequired()])

    for code in ("bs", "ka", "uk"):
        expected = _translated(code, "This field is required.")
        assert expected != "This field is required."
        with clean_app.test_request_context(f"/?lang={code}", method="POST"):
            form = Probe(formdata=MultiDict(), meta={"csrf": False})
            assert not form.validate()
            assert form.name.errors == [expected]
    for module in (admin_forms, interview_forms):
        for form_class in vars(module).values():
            if isinstance(form_class, type) and form_class.__module__ == module.__name__ and \
                    hasattr(form_class, "validate_on_submit"):
                assert issubclass(form_class, TranslatedForm), form_class


def test_a_refusal_names_states_in_the_readers_words(clean_app, make):
    """"this one is draft" read as a code; the state is named in the reader's language."""
    import pytest

    from recruit.extensions import db
    from recruit.i18n import label
    from recruit.vacancies import candidates
    from recruit.vacancies.models import Application, Vacancy

    draft = make.vacancy("draft")
    application_id = make.candidate(make.vacancy())
    with clean_app.test_request_context("/?lang=uk"):
        with pytest.raises(candidates.CandidateError) as refused:
            candidates.add_candidate(db.session.get(Vacancy, draft), {"full_name": "Олена", "email": "o@x.test"})
        words = label("draft", "vacancy_state")
        assert words != "draft" and words in str(refused.value)
        application = db.session.get(Application, application_id)
        with pytest.raises(candidates.CandidateError) as refused:
            candidates.move(application, "reopen")  # a new candidate has nothing to reopen
        assert label("new", "application_stage") in str(refused.value)
        assert label("reopen", "stage_move") in str(refused.value)
        assert " new " not in str(refused.value) and "reopen" not in str(refused.value)


def test_channels_that_are_words_are_shown_in_the_readers_language(clean_app, make):
    """"Referral" is a word, "Work.ua" a name: the pipeline and the candidate page say the first in Ukrainian."""
    vacancy = make.vacancy()
    make.candidate(vacancy, full_name="Олена Коваленко", source="Рекомендація")
    make.candidate(vacancy, full_name="Андрій Шевчук", source="work.ua")
    make.user("recruiter", email="rita@example.test")
    client = clean_app.test_client()
    login(client, "rita@example.test")
    html = client.get(f"/vacancies/{vacancy}/pipeline?lang=uk").get_data(as_text=True)
    referral = _translated("uk", "Referral")
    assert referral != "Referral" and f"<td>{referral}</td>" in html and "<td>Referral</td>" not in html
    assert "<td>Work.ua</td>" in html
    assert f'<option value="Referral" >{referral}</option>' in html
