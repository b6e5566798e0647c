"""Public holidays from the `holidays` package into the holiday table: one
click on Settings for a year, and the yearly job for the next one.

Only the package's days off are imported (its "public" category): in
Ukraine under martial law the holidays are working days and the package
lists none. Days already in the table, imported or typed by hand (a moved
day off, a working Saturday), are left as they are, so importing again adds
nothing twice and never overwrites what an admin entered."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import holidays as holidays_package
import sqlalchemy as sa
from flask_babel import gettext as _

from recruit import audit
from recruit.extensions import db
from recruit.organisation.countries import country
from recruit.organisation.models import DAY_OFF, Holiday
from recruit.organisation.services import SettingsError, get_settings, local_now

FIRST_YEAR = 2000
LAST_YEAR_AHEAD = 5


@dataclass(frozen=True)
class ImportResult:
    country: str
    year: int
    listed: int  # days off the package lists for the year
    added: int   # of those, new in the table


def package_language(holidays_code: str, locale: str | None) -> str | None:
    """The package's language closest to the organisation's: its own code
    ("uk", "bg", "ka"), "en_US" for English and as the fallback, else the
    country's default."""
    supported = holidays_package.country_holidays(holidays_code).supported_languages
    wanted = "en_US" if (locale or "en").split("_")[0] == "en" else (locale or "").split("_")[0]
    for candidate in (wanted, "en_US"):
        if candidate in supported:
            return candidate
    return None


def days_off(holidays_code: str, year: int, locale: str | None) -> list[tuple[date, str]]:
    """The package's days off for one year, named in `locale` where it can."""
    listed = holidays_package.country_holidays(holidays_code, years=year,
                                               language=package_language(holidays_code, locale))
    return sorted((day, str(name)[:120]) for day, name in listed.items())


def import_year(year: int) -> ImportResult:
    """Adds the organisation's country's days off of `year`; flushes."""
    settings = get_settings()
    entry = country(settings.country)
    if entry.holidays_code is None:
        raise SettingsError(_("Choose the organisation's country first: its public holidays come from it."))
    this_year = local_now().year
    if not FIRST_YEAR <= year <= this_year + LAST_YEAR_AHEAD:
        raise SettingsError(_("Choose a year from %(first)s to %(last)s.", first=FIRST_YEAR,
                              last=this_year + LAST_YEAR_AHEAD))
    listed = days_off(entry.holidays_code, year, settings.locale)
    taken = set(db.session.scalars(sa.select(Holiday.day).where(Holiday.day.between(date(year, 1, 1),
                                                                                     date(year, 12, 31)))))
    added = [Holiday(day=day, name=name, kind=DAY_OFF) for day, name in listed if day not in taken]
    db.session.add_all(added)
    marker = f"{entry.code}-{year}"
    if marker not in (settings.holiday_imports or []):
        settings.holiday_imports = [*(settings.holiday_imports or []), marker]
    db.session.flush()
    audit.record("settings.holidays_import", settings, country=entry.code, year=year, listed=len(listed),
                 added=len(added))
    return ImportResult(entry.code, year, len(listed), len(added))


def already_imported(year: int) -> bool:
    """Whether this country's holidays of `year` were imported once (then the yearly job leaves them be)."""
    settings = get_settings()
    return f"{country(settings.country).code}-{year}" in (settings.holiday_imports or [])
