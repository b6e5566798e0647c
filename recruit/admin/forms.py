"""Admin forms. Choices that read the language (country, currency and
region names) are built per request by the `*_choices` helpers."""

from __future__ import annotations

from babel import Locale
from babel.numbers import get_currency_name
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateField, IntegerField, RadioField, SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, ValidationError

from recruit.auth.forms import MultiCheckboxField
from recruit.i18n import LANGUAGES
from recruit.interviews.labels import PLANNING_PREFERENCE
from recruit.interviews.preferences import DEFAULT as DEFAULT_PREFERENCE
from recruit.organisation.countries import COUNTRIES, OTHER
from recruit.organisation.models import DAY_OFF, WORKING_DAY
from recruit.web import TranslatedForm

WEEKDAYS = [(0, _l("Monday")), (1, _l("Tuesday")), (2, _l("Wednesday")), (3, _l("Thursday")),
            (4, _l("Friday")), (5, _l("Saturday")), (6, _l("Sunday"))]


class CodeSelectField(SelectField):
    """A select of codes (zones, currencies, regions) whose refusal says
    what was wrong, next to the field, in the reader's language."""

    def __init__(self, label=None, validators=None, *, unknown: str, keep_when_absent: bool = False, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.unknown = unknown
        self.keep_when_absent = keep_when_absent

    def pre_validate(self, form) -> None:
        if self.keep_when_absent and self.data is None:
            return  # not in the request: the setting stays as it is
        if self.data not in {value for value, _label in self.choices}:
            raise ValidationError(str(self.unknown))


class SettingsForm(TranslatedForm):
    name = StringField(_l("Organisation name"), validators=[DataRequired(), Length(max=120)])
    contact_phone = StringField(_l("Phone for candidates"), validators=[Length(max=40)],
                                description=_l("Named in every invitation, reminder and on the candidate's page: "
                                               "whom to call with a question or when lost on the way."))
    timezone = CodeSelectField(_l("Time zone"), choices=[], unknown=_l("Not a valid choice: unknown time zone."))
    working_days = MultiCheckboxField(_l("Working week"), coerce=int, choices=WEEKDAYS,
                                      validators=[DataRequired(message=_l("Choose at least one working day."))])
    reminder_offsets = StringField(_l("Reminders, hours before an interview (comma separated)"),
                                   validators=[DataRequired(), Length(max=60)])
    retention_days = IntegerField(_l("Keep rejected candidates for (days)"),
                                  validators=[DataRequired(), NumberRange(min=30, max=3650)])
    approver_id = SelectField(_l("Final approver of vacancies"), coerce=int, choices=[])
    planning_preference = SelectField(_l("The planner's preference"), coerce=int, default=DEFAULT_PREFERENCE,
                                      choices=list(PLANNING_PREFERENCE.items()),
                                      description=_l("The day planner starts from it; a recruiter may choose "
                                                     "another step for one proposal."))
    show_rate_half_life_days = IntegerField(_l("Show-up history half-life (days)"), default=60,
                                            validators=[DataRequired(), NumberRange(min=7, max=730)])
    no_show_grace_minutes = IntegerField(_l("No-show after the slot plus (minutes)"), default=30,
                                         validators=[InputRequired(), NumberRange(min=0, max=240)])
    require_two_factor = BooleanField(_l("Admins and recruiters must use two-factor sign-in"))
    locale = CodeSelectField(_l("Default language"), choices=list(LANGUAGES.items()),
                             keep_when_absent=True, unknown=_l("Not a valid choice: unknown language."),
                             description=_l("For visitors and new users whose browser asks for none of ours."))
    country = CodeSelectField(_l("Country"), choices=[], keep_when_absent=True,
                              unknown=_l("Not a valid choice: unknown country."))
    currency = CodeSelectField(_l("Currency of pay ranges"), choices=[],
                               keep_when_absent=True, unknown=_l("Not a valid choice: unknown currency."))
    phone_region = CodeSelectField(_l("Phone numbers without + are read as"), choices=[],
                                   keep_when_absent=True, unknown=_l("Not a valid choice: unknown phone region."))
    csv_separator = CodeSelectField(_l("CSV export separator"), choices=[],
                                    keep_when_absent=True,
                                    unknown=_l("Not a valid choice: exports are separated by a semicolon, "
                                               "a comma or a tab."))


HOLIDAY_KINDS = {DAY_OFF: _l("Day off"), WORKING_DAY: _l("Working day")}


class HolidayForm(TranslatedForm):
    # Ids of their own: the settings form on the same page has a "name" too.
    day = DateField(_l("Date"), validators=[DataRequired()], id="holiday_day")
    name = StringField(_l("Name"), validators=[Length(max=120)], id="holiday_name")
    kind = SelectField(_l("Kind"), choices=list(HOLIDAY_KINDS.items()), default=DAY_OFF, id="holiday_kind",
                       description=_l("A working day is worked whatever the weekday: a Saturday moved by decree."))


class HolidayImportForm(TranslatedForm):
    year = IntegerField(_l("Year"), validators=[DataRequired(), NumberRange(min=2000, max=2100)],
                        id="holidays_year")


class FirstStartForm(TranslatedForm):
    country = RadioField(_l("Where is the organisation?"), choices=[],
                         validators=[DataRequired(message=_l("Choose the organisation's country."))])
    import_holidays = BooleanField(_l("Import this year's public holidays"), default=True)


def _territory(code: str) -> str:
    return Locale.parse(str(get_locale())).territories.get(code, code)


def country_choices(blank: bool = False) -> list[tuple[str, str]]:
    """The countries in the reader's language; "another country" last."""
    listed = sorted(((c.code, _(c.name)) for c in COUNTRIES.values() if c.code != OTHER), key=lambda c: c[1])
    choices = [*listed, (OTHER, _(COUNTRIES[OTHER].name))]
    return [("", _("Not chosen yet")), *choices] if blank else choices


def currency_choices(codes: list[str]) -> list[tuple[str, str]]:
    locale = str(get_locale())
    return [(code, f"{code} — {get_currency_name(code, locale=locale)}") for code in codes]


def region_choices(codes: list[str]) -> list[tuple[str, str]]:
    return [(code, _("International format only (+...)") if code == OTHER else f"{code} — {_territory(code)}")
            for code in codes]


def separator_choices() -> list[tuple[str, str]]:
    return [(";", _("Semicolon ( ; ), for Excel with a decimal comma")),
            (",", _("Comma ( , ), for Excel with a decimal point")),
            ("\t", _("Tab"))]


class ReviewStepForm(TranslatedForm):
    label = StringField(_l("Review by (e.g. HR, legal)"), validators=[DataRequired(), Length(max=80)])
    reviewer_id = SelectField(_l("Reviewer"), coerce=int, choices=[])
