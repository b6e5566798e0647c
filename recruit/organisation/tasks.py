"""The organisation's periodic jobs.

`organisation.holidays_next_year` runs daily and acts once a year per
country: the first time it finds next year's holidays not yet imported, it
imports them (a daily check, not a yearly timer, so an organisation that
chooses its country in March still gets next year's days in time, and a
missed run is made up the next day). A day an admin removed afterwards is
not brought back: the country-year is remembered as imported."""

from __future__ import annotations

from recruit import jobs
from recruit.organisation import holiday_import
from recruit.organisation.countries import country
from recruit.organisation.services import get_settings, local_now


def import_next_year_holidays() -> holiday_import.ImportResult | None:
    """None when there is nothing to do: no country with holidays, or done already."""
    if country(get_settings().country).holidays_code is None:
        return None
    year = local_now().year + 1
    if holiday_import.already_imported(year):
        return None
    return holiday_import.import_year(year)


JOBS = [
    jobs.Job("organisation.holidays_next_year", import_next_year_holidays, every_seconds=24 * 3600),
]
