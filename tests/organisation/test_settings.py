"""The organisation's country and what it sets, through the settings page."""

import re

import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from recruit.audit import AuditEntry
from recruit.extensions import db
from recruit.organisation import services as org
from recruit.organisation.services import get_settings

BASE = {"name": "Acme", "timezone": "Europe/Kyiv", "working_days": [0, 1, 2, 3, 4], "reminder_offsets": "24, 2",
        "retention_days": 365, "approver_id": 0, "planning_preference": "2",
        "show_rate_half_life_days": 60, "no_show_grace_minutes": 30}


def _settings(app):
    with app.app_context():
        s = get_settings()
        values = {f: getattr(s, f) for f in ("country", "timezone", "locale", "currency", "phone_region",
                                             "csv_separator", "name")}
        db.session.rollback()
        return values


def _audit_actions(app) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(sa.select(AuditEntry.action).order_by(AuditEntry.id)))


def test_the_page_shows_every_country_setting(client, login_as):
    login_as("admin")
    page = client.get("/admin/settings").get_data(as_text=True)
    for name in ("locale", "country", "timezone", "currency", "phone_region", "csv_separator"):
        assert re.search(rf'<label for="{name}">', page), name
    assert "Українська" in page and "Bosnia and Herzegovina" in page
    assert "Choose the country" in page  # the banner: no country yet


def test_first_choice_of_a_country_fills_what_the_form_left_alone(client, login_as, clean_app):
    login_as("admin")
    before = _settings(clean_app)
    response = client.post("/admin/settings", data={**BASE, "timezone": before["timezone"], "country": "BG",
                                                    "locale": before["locale"], "currency": before["currency"],
                                                    "phone_region": "RO", "csv_separator": before["csv_separator"]})
    assert response.status_code == 302
    after = _settings(clean_app)
    assert after == {**after, "country": "BG", "timezone": "Europe/Sofia", "locale": "bg", "currency": "EUR",
                     "csv_separator": ";"}
    assert after["phone_region"] == "RO"  # changed in the same form: the admin's choice stands
    assert "settings.update" in _audit_actions(clean_app)
    page = client.get("/admin/settings").get_data(as_text=True)
    assert "Jobs.bg" in page and "Choose the country" not in page


def test_each_default_stays_editable_after_the_country(client, login_as, clean_app):
    login_as("admin")
    client.post("/admin/settings/country-defaults", data={"country": "UA"})
    response = client.post("/admin/settings", data={**BASE, "country": "UA", "timezone": "Europe/Uzhgorod",
                                                    "locale": "ru", "currency": "USD", "phone_region": "PL",
                                                    "csv_separator": ","})
    assert response.status_code == 302
    assert _settings(clean_app) == {"country": "UA", "timezone": "Europe/Uzhgorod", "locale": "ru", "currency": "USD",
                                    "phone_region": "PL", "csv_separator": ",", "name": "Acme"}


def test_the_apply_button_sets_the_chosen_countrys_defaults(client, login_as, clean_app):
    login_as("admin")
    client.post("/admin/settings", data={**BASE, "country": "RU", "currency": "USD", "locale": "en",
                                         "phone_region": "UA", "csv_separator": ","})
    response = client.post("/admin/settings/country-defaults", data={**BASE, "country": "GE"},
                           follow_redirects=True)
    assert "Asia/Tbilisi" in response.get_data(as_text=True)
    assert _settings(clean_app) == {**_settings(clean_app), "country": "GE", "timezone": "Asia/Tbilisi",
                                    "locale": "ka", "currency": "GEL", "phone_region": "GE", "csv_separator": ";"}
    assert "settings.country_defaults" in _audit_actions(clean_app)


def test_unknown_values_are_refused_with_a_message_and_nothing_is_saved(client, login_as, clean_app):
    login_as("admin")
    before = _settings(clean_app)
    for field, value, message in [("currency", "XYZ", "unknown currency"), ("phone_region", "QQ", "unknown phone"),
                                  ("timezone", "Mars/Base", "unknown time zone"), ("locale", "de", "unknown language"),
                                  ("csv_separator", "|", "semicolon, a comma or a tab"),
                                  ("country", "FR", "unknown country")]:
        data = {**BASE, "name": "Changed", "country": "", "locale": "en", "currency": "EUR", "phone_region": "UA",
                "csv_separator": ",", field: value}
        page = client.post("/admin/settings", data=data).get_data(as_text=True)
        assert message in page, field
        assert _settings(clean_app) == before
    assert client.post("/admin/settings/country-defaults", data={"country": "FR"}).status_code == 302
    assert _settings(clean_app) == before


def test_the_service_refuses_unknown_codes_in_the_readers_language(ctx):
    args = {"name": "X", "timezone": "Europe/Kyiv", "working_days": [0, 1, 2, 3, 4], "reminder_offsets_hours": [24],
            "retention_days": 365, "approver_id": None}
    for extra in ({"currency": "XYZ"}, {"phone_region": "QQ"}, {"timezone": "Mars/Base"}, {"csv_separator": "|"},
                  {"locale": "de"}, {"country_code": "FR"}):
        with pytest.raises(org.SettingsError):
            org.update_settings(**{**args, **extra})
    with force_locale("en"), pytest.raises(org.SettingsError, match="ISO 4217"):
        org.update_settings(**args, currency="XYZ")
    assert org.get_settings().name != "X"


def test_an_admin_is_asked_for_the_country_once_a_session(client, login_as):
    login_as("admin")
    first = client.get("/").get_data(as_text=True)
    assert "The organisation&#39;s country is not chosen yet" in first or "country is not chosen yet" in first
    assert 'href="/admin/first-start"' in first
    assert "country is not chosen yet" not in client.get("/").get_data(as_text=True)


def test_other_roles_are_neither_asked_nor_held_up(client, login_as):
    login_as("recruiter")
    page = client.get("/")
    assert page.status_code == 200 and "country is not chosen yet" not in page.get_data(as_text=True)
    assert client.get("/admin/first-start").status_code == 403


def test_first_start_sets_the_country_and_imports_this_years_holidays(client, login_as, clean_app):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"  # the admin's browser: Romania's defaults make Romanian
    login_as("admin")
    page = client.get("/admin/first-start").get_data(as_text=True)
    assert "Romania" in page and "eJobs.ro" in page
    response = client.post("/admin/first-start", data={"country": "RO", "import_holidays": "y"},
                           follow_redirects=True)
    text = response.get_data(as_text=True)
    assert _settings(clean_app)["country"] == "RO" and _settings(clean_app)["currency"] == "RON"
    assert "holidays of" in text or "zile" in text or "holiday" in text.lower()
    with clean_app.app_context():
        assert len(org.holidays()) >= 10
    refused = client.post("/admin/first-start", data={}).get_data(as_text=True)
    assert "Choose the organisation" in refused



def test_every_field_on_the_settings_page_has_its_own_label(client, login_as):
    login_as("admin")
    client.post("/admin/settings/country-defaults", data={"country": "BA"})
    page = client.get("/admin/settings").get_data(as_text=True)
    ids = re.findall(r' id="([^"]+)"', page)
    assert len(ids) == len(set(ids))
    for tag in re.findall(r'<(?:select|input)[^>]*>', page):
        control = re.search(r' id="([^"]+)"', tag)
        if 'type="hidden"' not in tag:
            assert control and f'for="{control.group(1)}"' in page, tag
