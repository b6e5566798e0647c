"""What templates can call: babel's formats as filters, the catalogue's
gettext (looked up once per request and language), label maps, phones,
money, channels, and the organisation and user on every page."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from flask import Flask, g, get_template_attribute, has_request_context, request, url_for
from flask_babel import format_date, format_decimal, format_time, get_locale, get_translations
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from recruit import audit, i18n, phones
from recruit.auth.forms import ROLE_LABELS
from recruit.auth.permissions import can
from recruit.dates import at_minute, clock, minutes_writer, reader_locale
from recruit.organisation import money
from recruit.organisation.services import get_settings, phone_region
from recruit.quizzes import text as question_text
from recruit.vacancies import channels
from recruit.web import kept_markup


def _translations():
    """The request's catalogue, looked up once: a page calls gettext a few
    hundred times, and each lookup through Flask-Babel walks its contexts."""
    if not has_request_context():
        return get_translations()
    cache = g.setdefault("_translations", {})
    locale = str(reader_locale())  # a message written in another person's language (in_language) has its own
    if locale not in cache:
        cache[locale] = get_translations()
    return cache[locale]


def _duration(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    minutes, rest = divmod(round(seconds), 60)
    return _("%(m)d min %(s)02d s", m=minutes, s=rest) if minutes else _("%(s)d s", s=rest)


def _phone(value: str | None) -> str:
    """A stored number in the organisation's national format."""
    return _displayed(value, phone_region()) if value else ""


def phone_writer() -> Callable[[str | None], str]:
    """The `phone` filter for a list page's rows, the organisation's region read once for the page."""
    region = phone_region()
    return lambda value: _displayed(value, region) if value else ""


def channel_writer() -> Callable[[str | None], str]:
    """The `channel` filter for a list page's rows: each channel's words looked up once for the page."""
    written: dict[str | None, str] = {}

    def write(name: str | None) -> str:
        if name not in written:
            written[name] = channels.label(name) if name else ""
        return written[name]

    return write


# Parsing a number costs a fraction of a millisecond and a list page shows one
# per row: what a number looks like in a region never changes, so it is remembered.
_displayed = lru_cache(maxsize=16384)(phones.display)


def _date(value: date | None, date_format: str = "medium") -> str:
    """A day in the reader's words; the days of one page (a plan's tasks, a
    to-do list) repeat, so each is written once per request and language."""
    if not value:
        return "—"
    if type(value) is not date or not has_request_context():  # a datetime is moved to the reader's zone
        return format_date(value, date_format)
    written = g.setdefault("_dates_written", {})
    key = (value, date_format, reader_locale())
    if key not in written:
        written[key] = format_date(value, date_format)
    return written[key]


def _time(value: Any, time_format: str = "HH:mm") -> str:
    """A time of day; the usual 24-hour minute without Babel (a planner's slots write a dozen)."""
    if not value:
        return "—"
    if time_format == "HH:mm" and isinstance(value, datetime):
        return clock(value)
    return format_time(value, time_format)


def _num(value: Any, number_format: str | None = None) -> str:
    """A number in the reader's words; a list page repeats a few values (years
    of experience, counts), so each is written once per request and language."""
    if value is None:
        return "—"
    if number_format is None and type(value) is int and 0 <= value < 1000:
        return str(value)  # no grouping, no sign: the same in every shipped language (Latin digits), without Babel
    if not has_request_context():
        return format_decimal(value, number_format)
    written = g.setdefault("_numbers_written", {})
    key = (type(value), value, number_format, reader_locale())
    if key not in written:
        written[key] = format_decimal(value, number_format)
    return written[key]


_ID_MARK = 2_147_483_601  # an id no row has yet (DatabaseId's largest is 2**31 - 1), marking where the id goes


def url_parts(endpoint: str, name: str, **values: Any) -> tuple[str, str]:
    """The URL url_for writes, cut where the id named `name` goes: a row's
    markup written once per page can put its id between the two."""
    head, _mark, tail = url_for(endpoint, **values, **{name: _ID_MARK}).rpartition(str(_ID_MARK))
    return head, tail


def url_by_id(endpoint: str, name: str, **values: Any) -> Callable[[int], str]:
    """url_for once per page for a list's links that differ only by one id:
    `{% set candidate_url = url_by_id('vacancies.candidate', 'candidate_id') %}`
    then `candidate_url(c.id)` per row writes the same URL url_for would."""
    head, tail = url_parts(endpoint, name, **values)
    return lambda value: f"{head}{int(value)}{tail}"


class _Choosing(dict):
    """A select's options by the value marked selected, each marked once per page."""

    def __init__(self, options: Markup):
        super().__init__({None: options})
        self.options = options

    def __missing__(self, value: int | str) -> Markup:
        # a number or a short word of letters, and `options` the template's own escaped markup
        code = value if isinstance(value, str) and value.isalpha() and len(value) <= 8 else int(value)
        marked = self[value] = Markup(  # nosec B704: escaped markup with one option marked selected
            str(self.options).replace(f'value="{code}">', f'value="{code}" selected>', 1))
        return marked

    __call__ = dict.__getitem__  # choose(value), as choose[value]


def options_choosing(options: Markup) -> Callable[[int | None], Markup]:
    """A select's options written once, and for each row the same options
    with that row's value selected (each chosen value marked once per page):
    `{% set choose = options_choosing(options) %}` then `choose[value]` (a
    look-up: a row's call through Jinja cost several times as much) or
    `choose(value)`."""
    return _Choosing(options)


def main_nav() -> Markup:
    """The signed-in reader's menu. It holds no one's data, only links and
    words for a set of roles in a language, so each is written once per
    process and kept (templates/_nav.html); not kept while templates reload."""
    roles = frozenset(current_user.roles)
    # the macro's own output, escaped as it was written (autoescape)
    return kept_markup("recruit_nav", (roles, str(get_locale()), request.script_root),
                       lambda: get_template_attribute("_nav.html", "main_nav")(
                           lambda *wanted: bool(roles.intersection(wanted))))


def register(app: Flask) -> None:
    audit.name_details_with(lambda key: i18n.labels("audit_detail").get(key))
    app.jinja_env.filters["dt"] = lambda v, f="medium": at_minute(v, f) if v else "—"
    app.jinja_env.filters["d"] = _date
    app.jinja_env.filters["time"] = _time
    app.jinja_env.filters["num"] = _num
    app.jinja_env.filters["duration"] = _duration
    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]
        lambda text: _translations().ugettext(text),
        lambda singular, plural, n: _translations().ungettext(singular, plural, n),
        newstyle=True,
        pgettext=lambda context, text: _translations().upgettext(context, text),
        npgettext=lambda context, singular, plural, n: _translations().unpgettext(context, singular, plural, n))
    app.jinja_env.filters["question_text"] = question_text.render
    app.jinja_env.filters["label"] = i18n.label
    app.jinja_env.filters["money"] = money.format_money
    app.jinja_env.filters["phone"] = _phone
    app.jinja_env.filters["channel"] = lambda name: channels.label(name) if name else ""
    app.jinja_env.globals.update(can=can, url_by_id=url_by_id, url_parts=url_parts, main_nav=main_nav,
                                 options_choosing=options_choosing, minutes_writer=minutes_writer,
                                 phone_writer=phone_writer, channel_writer=channel_writer,
                                 ROLE_LABELS=ROLE_LABELS, LANGUAGES=i18n.LANGUAGES, url_in_language=i18n.url_in,
                                 labels=i18n.labels,
                                 current_language=lambda: str(get_locale()))

    @app.context_processor
    def _inject():
        try:
            org = get_settings()
        except Exception:
            org = None
        return {"org": org, "current_user": current_user}
