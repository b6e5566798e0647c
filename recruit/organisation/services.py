"""Reading and changing the organisation's settings, and the defaults its
country sets (recruit/organisation/countries.py): choosing a country fills
the time zone, language, currency, phone region and CSV separator, and each
stays editable afterwards."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

import phonenumbers
import sqlalchemy as sa
from babel.numbers import list_currencies
from flask import g, has_request_context
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from recruit import audit, phones
from recruit.extensions import db
from recruit.i18n import LANGUAGES
from recruit.organisation.calendar import BusinessCalendar
from recruit.organisation.countries import COUNTRIES, OTHER, Country, country
from recruit.organisation.models import DAY_OFF, HOLIDAY_KINDS, WORKING_DAY, Holiday, OrgSettings, ReviewStep

# What a CSV export may be separated by: what Excel expects where the decimal
# mark is a comma (;), where it is a point (,), and tab.
CSV_SEPARATORS = (";", ",", "\t")
# The fields a country sets; `apply_country_defaults` and the audit read them.
COUNTRY_FIELDS = ("timezone", "locale", "currency", "phone_region", "csv_separator")
COUNTRY_CURRENCIES = frozenset(c.currency for c in COUNTRIES.values())


class SettingsError(ValueError):
    pass


# Features above this one react to a newly applied country (the source
# channels seed their list from it): they register here, this module never
# imports them.
_COUNTRY_HOOKS: list[Callable[[Country], None]] = []


def when_country_applied(fn: Callable[[Country], None]) -> Callable[[Country], None]:
    """Decorator: `fn(country)` runs, in the same transaction, whenever a country's defaults are applied."""
    _COUNTRY_HOOKS.append(fn)
    return fn


def settings_row() -> sa.ScalarSelect:
    """The id of the settings row, for a statement that reads the settings
    beside something else (the signed-in user: `use_settings`)."""
    return sa.select(sa.func.min(OrgSettings.id)).scalar_subquery()


def use_settings(settings: OrgSettings | None) -> None:
    """The settings row read by another statement serves this request."""
    if settings is not None and has_request_context():
        g.org_settings = settings


def get_settings() -> OrgSettings:
    """The single settings row, created with defaults on first use."""
    if has_request_context() and "org_settings" in g:
        return g.org_settings
    settings = db.session.scalar(sa.select(OrgSettings).order_by(OrgSettings.id).limit(1))
    if settings is None:
        try:
            with db.session.begin_nested():
                settings = OrgSettings(id=1)
                db.session.add(settings)
        except IntegrityError:  # another process created it a moment ago: use theirs
            settings = db.session.scalar(sa.select(OrgSettings).order_by(OrgSettings.id).limit(1))
    if has_request_context():
        g.org_settings = settings
    return settings


def zone() -> ZoneInfo:
    try:
        return ZoneInfo(get_settings().timezone)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def local_now() -> datetime:
    return datetime.now(zone())


HOLIDAY_ROWS = sa.select(Holiday.day, Holiday.kind)  # built once, as every hot statement
_NEW_CALENDAR_STAMP = sa.update(OrgSettings).values(calendar_stamp=sa.bindparam("stamp"))


class _KeptCalendar:
    """The business calendar this process built, with what it was built from
    (the settings' calendar stamp and working week): one value, like the
    show-rate model's cache."""

    kept: tuple[tuple, BusinessCalendar] | None = None


def calendar() -> BusinessCalendar:
    """The organisation's business days. A page asks for them for every plan
    and stage, and they change a few times a year: each process keeps the
    calendar while the settings' calendar stamp (raised in the transaction
    that changes a holiday, whichever process makes it) and the working week
    stay put, and a change flushed in this request is met at once
    (`_calendar_changed`)."""
    if has_request_context() and "business_calendar" in g:
        return g.business_calendar
    settings = get_settings()
    key = (settings.calendar_stamp, tuple(settings.working_days))
    kept = _KeptCalendar.kept
    if kept is not None and kept[0] == key:
        cal = kept[1]
    else:
        rows = db.session.execute(HOLIDAY_ROWS).all()
        cal = BusinessCalendar.of(settings.working_days, [d for d, kind in rows if kind != WORKING_DAY],
                                  [d for d, kind in rows if kind == WORKING_DAY])
        _KeptCalendar.kept = (key, cal)
    if has_request_context():
        g.business_calendar = cal
    return cal


@sa.event.listens_for(Session, "after_flush")
def _calendar_changed(session: Session, _context: Any) -> None:
    """A flush that changes a holiday gives the settings a new calendar stamp
    (random, so a stamp of a transaction rolled back is never met again);
    one that changes the holidays or the settings drops the request's calendar."""
    changed = [obj for obj in (*session.new, *session.dirty, *session.deleted)
               if isinstance(obj, Holiday | OrgSettings)]
    if not changed:
        return
    if any(isinstance(obj, Holiday) for obj in changed):
        stamp = secrets.randbits(62)
        session.connection().execute(_NEW_CALENDAR_STAMP, {"stamp": stamp})
        for obj in list(session.identity_map.values()):
            if isinstance(obj, OrgSettings):
                set_committed_value(obj, "calendar_stamp", stamp)
    if has_request_context():
        g.pop("business_calendar", None)


def valid_timezones() -> list[str]:
    return sorted(available_timezones())


# The currencies the settings page offers: those of the six countries, of
# their neighbours and trading partners, and the ones pay is often quoted in.
# Any other ISO 4217 code is still accepted (the API, the CLI).
OFFERED_CURRENCIES = ("UAH", "EUR", "BGN", "RON", "BAM", "GEL", "RUB", "USD", "GBP", "CHF", "PLN", "CZK", "HUF",
                      "RSD", "MKD", "ALL", "MDL", "TRY", "AMD", "AZN", "KZT", "BYN", "UZS", "ILS", "AED", "SEK",
                      "NOK", "DKK", "CAD")


def valid_currencies() -> list[str]:
    return sorted(list_currencies())


def offered_currencies() -> list[str]:
    """The currencies the settings page lists, with the one in use if it is another."""
    current = get_settings().currency
    return sorted({*COUNTRY_CURRENCIES, *OFFERED_CURRENCIES, *([current] if current else [])})


def valid_phone_regions() -> list[str]:
    """phonenumbers' regions, and "ZZ": numbers are then read only when written with +."""
    return sorted(phonenumbers.SUPPORTED_REGIONS | {OTHER})


def phone_region() -> str:
    """The organisation's region for numbers written without a country code."""
    return get_settings().phone_region or phones.UNKNOWN_REGION


def offered_channels() -> tuple[str, ...]:
    """The source channels to offer: the country's job boards and the common ones."""
    return country(get_settings().country).channels


def _check_country_fields(*, country_code: str | None, timezone: str | None, locale: str | None,
                          currency: str | None, phone_region: str | None, csv_separator: str | None) -> None:
    """Every value checked before any is written: a refused form changes nothing."""
    if country_code is not None and country_code not in COUNTRIES:
        raise SettingsError(_("Unknown country: %(code)s", code=country_code))
    if timezone is not None and timezone not in available_timezones():
        raise SettingsError(_("Unknown time zone: %(zone)s", zone=timezone))
    if locale is not None and locale not in LANGUAGES:
        raise SettingsError(_("Unknown language: %(code)s", code=locale))
    if currency is not None and currency not in list_currencies():
        raise SettingsError(_("Unknown currency: %(code)s. Use a three-letter ISO 4217 code such as UAH or EUR.",
                              code=currency))
    if phone_region is not None and phone_region not in valid_phone_regions():
        raise SettingsError(_("Unknown phone region: %(code)s. Use a two-letter country code such as UA.",
                              code=phone_region))
    if csv_separator is not None and csv_separator not in CSV_SEPARATORS:
        raise SettingsError(_("Exports can be separated by a semicolon, a comma or a tab."))


def _contact_phone(value: str, region: str) -> str:
    """The candidates' number in E.164 ("" for none), read in the organisation's phone region."""
    if not value.strip():
        return ""
    try:
        return phones.to_e164(value, region)
    except phones.PhoneError as exc:
        raise SettingsError(_("“%(phone)s” is not a phone number candidates can call; write it as on a business "
                              "card, e.g. +380 44 123 4567.", phone=value.strip())) from exc


def _snapshot(settings: OrgSettings) -> dict[str, Any]:
    return {"name": settings.name, "country": settings.country, "retention_days": settings.retention_days,
            "contact_phone": settings.contact_phone,
            **{f: getattr(settings, f) for f in COUNTRY_FIELDS}}


def _changes(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    changed = [k for k in after if before.get(k) != after[k]]
    return {k: before.get(k) for k in changed}, {k: after[k] for k in changed}


def _country_defaults(entry: Country, today: date | None = None) -> dict[str, str]:
    zone_today = today or datetime.now(ZoneInfo(entry.timezone)).date()
    return {"timezone": entry.timezone, "locale": entry.language, "currency": entry.currency_on(zone_today),
            "phone_region": entry.phone_region, "csv_separator": entry.csv_separator}


def apply_country_defaults(code: str | None = None) -> OrgSettings:
    """Sets the organisation's country (or keeps the stored one) and copies
    its defaults over the time zone, language, currency, phone region and
    CSV separator; the features that keep a list per country (source
    channels) refill it through `when_country_applied`."""
    settings = get_settings()
    code = (code or settings.country or "").upper()
    if not code:
        raise SettingsError(_("Choose the organisation's country first."))
    _check_country_fields(country_code=code, timezone=None, locale=None, currency=None, phone_region=None,
                          csv_separator=None)
    entry = COUNTRIES[code]
    before = _snapshot(settings)
    settings.country = code
    for name, value in _country_defaults(entry).items():
        setattr(settings, name, value)
    db.session.flush()
    old, new = _changes(before, _snapshot(settings))
    audit.record("settings.country_defaults", settings, country=code, before=old, after=new)
    for hook in _COUNTRY_HOOKS:
        hook(entry)
    return settings


def update_settings(*, name: str, timezone: str, working_days: list[int], reminder_offsets_hours: list[int],
                    retention_days: int, approver_id: int | None, planning_preference: int | None = None,
                    show_rate_half_life_days: float | None = None,
                    no_show_grace_minutes: int | None = None, locale: str | None = None,
                    country_code: str | None = None, currency: str | None = None, phone_region: str | None = None,
                    csv_separator: str | None = None, contact_phone: str | None = None) -> OrgSettings:
    """None leaves a field as it is. The first time a country is chosen, its
    defaults fill the country fields the form left unchanged."""
    currency = currency.strip().upper() if currency is not None else None
    phone_region = phone_region.strip().upper() if phone_region is not None else None
    country_code = country_code.strip().upper() or None if country_code is not None else None
    _check_country_fields(country_code=country_code, timezone=timezone, locale=locale, currency=currency,
                          phone_region=phone_region, csv_separator=csv_separator)
    BusinessCalendar.of(working_days)  # validates
    phone = None if contact_phone is None else \
        _contact_phone(contact_phone, phone_region or get_settings().phone_region)
    if any(h <= 0 or h > 24 * 30 for h in reminder_offsets_hours):
        raise SettingsError(_("Reminder offsets are hours before the interview, between 1 and 720."))
    if retention_days < 30:
        raise SettingsError(_("Keep rejected candidates for at least 30 days."))
    if planning_preference is not None and planning_preference not in range(1, 6):
        raise SettingsError(_("Choose one of the planner's five preferences."))
    settings = get_settings()
    before = _snapshot(settings)
    submitted = {"timezone": timezone, "locale": locale, "currency": currency, "phone_region": phone_region,
                 "csv_separator": csv_separator}
    first_choice = country_code is not None and settings.country is None
    if first_choice:
        defaults = _country_defaults(COUNTRIES[country_code])
        submitted = {f: defaults[f] if v is None or v == before[f] else v for f, v in submitted.items()}
    if country_code is not None:
        settings.country = country_code
    for field_name, value in submitted.items():
        if value is not None:
            setattr(settings, field_name, value)
    settings.name = name.strip()
    if phone is not None:
        settings.contact_phone = phone
    settings.working_days = sorted(set(working_days))
    settings.reminder_offsets_hours = sorted(set(reminder_offsets_hours), reverse=True)
    settings.retention_days = retention_days
    settings.approver_id = approver_id
    if planning_preference is not None:
        settings.planning_preference = planning_preference
    if show_rate_half_life_days is not None:
        settings.show_rate_half_life_days = show_rate_half_life_days
    if no_show_grace_minutes is not None:
        settings.no_show_grace_minutes = no_show_grace_minutes
    db.session.flush()
    old, new = _changes(before, _snapshot(settings))
    audit.record("settings.update", settings, before=old, after=new)
    if first_choice:
        for hook in _COUNTRY_HOOKS:
            hook(COUNTRIES[settings.country])
    return settings


def add_holiday(day: date, name: str, kind: str = DAY_OFF) -> Holiday:
    """A day off, or (`working_day`) a day worked by decree, a Saturday usually."""
    if kind not in HOLIDAY_KINDS:
        raise SettingsError(_("A day is either a day off or a working day."))
    if db.session.scalar(sa.select(Holiday).where(Holiday.day == day)):
        raise SettingsError(_("%(day)s is already a holiday or a working day.", day=day.isoformat()))
    holiday = Holiday(day=day, name=name.strip()[:120], kind=kind)
    db.session.add(holiday)
    db.session.flush()
    audit.record("settings.holiday_add", holiday, day=day.isoformat(), name=name, kind=kind)
    return holiday


def remove_holiday(holiday_id: int) -> None:
    holiday = db.session.get(Holiday, holiday_id)
    if holiday is not None:
        audit.record("settings.holiday_remove", holiday, day=holiday.day.isoformat())
        db.session.delete(holiday)
        db.session.flush()


def holidays() -> list[Holiday]:
    return list(db.session.scalars(sa.select(Holiday).order_by(Holiday.day)))


def review_steps() -> list[ReviewStep]:
    return list(db.session.scalars(sa.select(ReviewStep).order_by(ReviewStep.position, ReviewStep.id)))


def add_review_step(label: str, reviewer_id: int) -> ReviewStep:
    position = (db.session.scalar(sa.select(sa.func.max(ReviewStep.position))) or 0) + 1
    step = ReviewStep(label=label.strip(), reviewer_id=reviewer_id, position=position)
    db.session.add(step)
    db.session.flush()
    audit.record("settings.review_step_add", step, label=label, reviewer_id=reviewer_id)
    return step


def remove_review_step(step_id: int) -> None:
    step = db.session.get(ReviewStep, step_id)
    if step is not None:
        audit.record("settings.review_step_remove", step, label=step.label)
        db.session.delete(step)
        db.session.flush()
