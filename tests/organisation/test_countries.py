"""The country table: the defaults DOMAIN.md §6 lists, and only valid ones."""

from datetime import date
from zoneinfo import ZoneInfo

import holidays
import phonenumbers
import pytest
from babel.numbers import get_currency_name

from recruit.i18n import LANGUAGES
from recruit.organisation.countries import COMMON_CHANNELS, COUNTRIES, OTHER, country


@pytest.mark.parametrize(("code", "language", "zone", "currency", "board"), [
    ("UA", "uk", "Europe/Kyiv", "UAH", "Work.ua"),
    ("BG", "bg", "Europe/Sofia", "EUR", "Jobs.bg"),
    ("RO", "ro", "Europe/Bucharest", "RON", "eJobs.ro"),
    ("BA", "bs", "Europe/Sarajevo", "BAM", "Posao.ba"),
    ("GE", "ka", "Asia/Tbilisi", "GEL", "Jobs.ge"),
    ("RU", "ru", "Europe/Moscow", "RUB", "hh.ru"),
])
def test_each_country_sets_its_defaults(code, language, zone, currency, board):
    entry = COUNTRIES[code]
    assert (entry.language, entry.timezone, entry.currency, entry.phone_region) == (language, zone, currency, code)
    assert board in entry.channels
    assert entry.csv_separator == ";"  # their Excel writes the decimal comma
    assert entry.holidays_code == code


def test_every_entry_is_usable_as_it_stands():
    for entry in COUNTRIES.values():
        assert entry.language in LANGUAGES
        ZoneInfo(entry.timezone)
        assert get_currency_name(entry.currency, locale="en") != entry.currency
        assert set(COMMON_CHANNELS) <= set(entry.channels)
        if entry.code != OTHER:
            assert entry.phone_region in phonenumbers.SUPPORTED_REGIONS
            assert entry.holidays_code in holidays.list_supported_countries()


def test_bulgaria_paid_in_leva_until_the_euro():
    assert COUNTRIES["BG"].currency_on(date(2025, 12, 31)) == "BGN"
    assert COUNTRIES["BG"].currency_on(date(2026, 1, 1)) == "EUR"
    assert COUNTRIES["UA"].currency_on(date(2020, 1, 1)) == "UAH"


def test_unknown_or_missing_country_is_another_country():
    assert country(None).code == OTHER
    assert country("fr").code == OTHER
    assert country("ua").code == "UA"
    assert COUNTRIES[OTHER].csv_separator == ","
