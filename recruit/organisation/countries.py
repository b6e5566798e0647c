"""The countries the product's users are in and the defaults each one sets
(DOMAIN.md §6). Choosing the organisation's country copies these into the
settings; every value stays editable afterwards, so this table is a starting
point, never a rule the rest of the code checks against.

Pure data, no Flask: importers, the demo and tests read it as plain code.
Names are marked with `N_` and translated where they are shown
(`gettext(country.name)`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from recruit.translatable import N_

# Source channels every organisation has, whatever its country. Canonical
# English names; shown through the catalogue.
COMMON_CHANNELS: tuple[str, ...] = (N_("Referral"), N_("Walk-in"), N_("Company site"), N_("Agency"))

# The code kept for "another country"; CLDR's and phonenumbers' "unknown region".
OTHER = "ZZ"


@dataclass(frozen=True)
class Country:
    code: str                  # ISO 3166-1 alpha-2, or OTHER
    name: str                  # English, marked for translation
    language: str              # a shipped language code (recruit/i18n.py LANGUAGES)
    timezone: str              # IANA zone
    currency: str              # ISO 4217, the one in use today
    phone_region: str          # phonenumbers region for numbers written without +
    job_boards: tuple[str, ...]
    csv_separator: str         # what the country's Excel expects in a CSV file
    holidays_code: str | None  # the `holidays` package's country code
    # Currencies used before a changeover: (first day of the next one, code before it).
    earlier_currencies: tuple[tuple[date, str], ...] = ()

    @property
    def channels(self) -> tuple[str, ...]:
        """The source channels offered: the country's job boards, then the common ones."""
        return self.job_boards + COMMON_CHANNELS

    def currency_on(self, day: date) -> str:
        """The currency in use on `day`: Bulgaria paid in BGN until 31 December 2025."""
        for changeover, before in sorted(self.earlier_currencies):
            if day < changeover:
                return before
        return self.currency


COUNTRIES: dict[str, Country] = {
    c.code: c
    for c in (
        Country("UA", N_("Ukraine"), "uk", "Europe/Kyiv", "UAH", "UA",
                ("Work.ua", "Robota.ua", "Djinni", "DOU"), ";", "UA"),
        Country("BG", N_("Bulgaria"), "bg", "Europe/Sofia", "EUR", "BG",
                ("Jobs.bg", "Zaplata.bg"), ";", "BG", earlier_currencies=((date(2026, 1, 1), "BGN"),)),
        Country("RO", N_("Romania"), "ro", "Europe/Bucharest", "RON", "RO",
                ("eJobs.ro", "BestJobs", "Hipo.ro"), ";", "RO"),
        Country("BA", N_("Bosnia and Herzegovina"), "bs", "Europe/Sarajevo", "BAM", "BA",
                ("Posao.ba", "MojPosao.ba"), ";", "BA"),
        Country("GE", N_("Georgia"), "ka", "Asia/Tbilisi", "GEL", "GE",
                ("Jobs.ge", "HR.ge", "MyJobs.ge"), ";", "GE"),
        Country("RU", N_("Russia"), "ru", "Europe/Moscow", "RUB", "RU",
                ("hh.ru", "SuperJob", "Avito"), ";", "RU"),
        # Another country: international phone numbers only (+...), no holidays to import.
        Country(OTHER, N_("Another country"), "en", "UTC", "EUR", "ZZ", (), ",", None),
    )
}


def country(code: str | None) -> Country:
    """The entry for a stored country code; "another country" for None or a code not listed."""
    return COUNTRIES.get((code or "").upper(), COUNTRIES[OTHER])


def channels_for(code: str | None) -> tuple[str, ...]:
    """The source channels to offer an organisation in this country."""
    return country(code).channels
