"""Pay ranges in the organisation's currency, written the way each language writes money."""

import pytest
from flask_babel import force_locale

from recruit.organisation.money import format_money
from recruit.organisation.services import apply_country_defaults

NBSP = "\xa0"


@pytest.mark.parametrize(("locale", "code", "expected"), [
    ("uk", "UAH", f"25{NBSP}000{NBSP}₴"),
    ("bg", "EUR", f"25{NBSP}000{NBSP}€"),
    ("ro", "RON", f"25.000{NBSP}RON"),
    ("en", "GEL", "GEL25,000"),
])
def test_whole_amounts_in_each_language(clean_app, locale, code, expected):
    with clean_app.test_request_context(), force_locale(locale):
        assert format_money(25000, code) == expected


def test_the_organisation_currency_is_the_default(ctx):
    apply_country_defaults("RO")
    with force_locale("ro"):
        assert format_money(5000) == f"5.000{NBSP}RON"
        assert format_money(5000.5, whole=False) == f"5.000,50{NBSP}RON"
        assert format_money(None) == "—"


@pytest.mark.parametrize(("country", "lang", "expected"), [
    ("UA", "uk", f"50{NBSP}000{NBSP}₴"), ("BG", "bg", f"50{NBSP}000{NBSP}€"), ("RO", "ro", f"50.000{NBSP}RON")])
def test_a_vacancys_pay_range_is_in_the_countrys_currency(client, make, login_as, country, lang, expected):
    vacancy = make.vacancy("open")
    login_as("admin")
    client.post("/admin/settings/country-defaults", data={"country": country})
    page = client.get(f"/vacancies/{vacancy}?lang={lang}").get_data(as_text=True)
    assert expected in page
