"""What every form handler does with a service call: the request is the unit
of work, so it commits on success and rolls back (with the user's message)
on a refused change; a PermissionError is a 403."""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar
from urllib.parse import urlsplit

from flask import abort, current_app, flash, url_for
from flask.json.provider import DefaultJSONProvider
from flask_babel import get_translations, ngettext
from flask_wtf import FlaskForm
from flask_wtf.i18n import translations as wtforms_translations
from werkzeug.routing import IntegerConverter

from recruit.extensions import db
from recruit.translatable import N_

T = TypeVar("T")


@dataclass(frozen=True)
class Committed(Generic[T]):
    """What the service returned, once its change is committed (always true,
    so `if commit_or_flash(...)` reads as "if it worked")."""

    value: T


def commit_or_flash(action: Callable[[], T], success: str | Callable[[], str] | None = None, *,
                    category: str = "success", errors: tuple[type[Exception], ...] = (ValueError,),
                    ) -> Committed[T] | None:
    """`success` may be a callable, for a message that names the new state.
    None when the change was refused: nothing is written and the user has
    the service's reason."""
    try:
        value = action()
    except PermissionError:
        db.session.rollback()
        abort(403)
    except errors as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return None
    db.session.commit()
    if success:
        flash(success() if callable(success) else success, category)
    return Committed(value)


def same_site_path(target: str | None, fallback: str | None = None) -> str:
    """Where a `next` may send the browser: only a path on this site. No
    scheme or host, no "//" or backslash (browsers read both as another
    host), no tab, newline or other control or invisible format character
    (browsers drop some of them, which can turn "/<tab>/x" into "//x")."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target \
            and not any(unicodedata.category(c) in ("Cc", "Cf") for c in target):
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc:
            return target
    return fallback or url_for("main.home")


def db_int(value: str) -> int:
    """`request.args.get(..., type=db_int)`: an integer a database column can
    hold; anything else counts as absent (werkzeug drops a ValueError)."""
    number = int(value)
    if not -(2**31) <= number < 2**31:
        raise ValueError("out of range")
    return number


class NonFinite(float):
    """NaN, Infinity or a number too large for a float, as read from a JSON
    body: a marker, so the API can name the field in its 422."""


def _number(text: str) -> float:
    value = float(text)
    return value if math.isfinite(value) else NonFinite(text)


def non_finite_fields(value: Any, path: str = "") -> list[str]:
    """Where in a parsed body a non-finite number sits ("items[2].score")."""
    if isinstance(value, NonFinite):
        return [path or "body"]
    if isinstance(value, dict):
        return [p for k, v in value.items() for p in non_finite_fields(v, f"{path}.{k}" if path else str(k))]
    if isinstance(value, list):
        return [p for i, v in enumerate(value) for p in non_finite_fields(v, f"{path}[{i}]")]
    return []


class StrictJSONProvider(DefaultJSONProvider):
    """Standard JSON only (RFC 8259): reading, NaN and Infinity become
    markers the API refuses by field; writing, they are an error, never the
    non-standard tokens Python would emit."""

    def dumps(self, obj: Any, **kwargs: Any) -> str:
        kwargs.setdefault("allow_nan", False)
        return super().dumps(obj, **kwargs)

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        kwargs.setdefault("parse_constant", NonFinite)
        kwargs.setdefault("parse_float", _number)
        return super().loads(s, **kwargs)


# WTForms' own messages, which the product's forms can show, are in this
# product's catalogue too: WTForms ships no Bosnian or Georgian catalogue.
FORM_MESSAGES = (
    N_("This field is required."),
    N_("Field must be equal to %(other_name)s."),
    N_("Field must be between %(min)d and %(max)d characters long."),
    N_("Not a valid choice."),
    N_("Not a valid decimal value."),
    N_("Not a valid integer value."),
    N_("Not a valid date value."),
    N_("Number must be at least %(min)s."),
    N_("Number must be at most %(max)s."),
    N_("Number must be between %(min)s and %(max)s."),
    N_("Invalid email address."),
)


def _plural_form_messages(n: int) -> tuple[str, ...]:
    """Never called for its result: it marks WTForms' messages with a count,
    so the extraction puts them (with their plural forms) in the catalogue."""
    return (ngettext("Field cannot be longer than %(max)d character.",
                     "Field cannot be longer than %(max)d characters.", n),
            ngettext("Field must be at least %(min)d character long.",
                     "Field must be at least %(min)d characters long.", n))


class _FormTranslations:
    """WTForms' messages in the reader's language: this product's catalogue
    first, then WTForms' own (Flask-WTF's), else English."""

    def gettext(self, string: str) -> str:
        ours = get_translations().ugettext(string)
        return ours if ours != string else wtforms_translations.gettext(string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        ours = get_translations().ungettext(singular, plural, n)
        return ours if ours not in (singular, plural) else wtforms_translations.ngettext(singular, plural, n)


FORM_TRANSLATIONS = _FormTranslations()


class TranslatedForm(FlaskForm):
    """A FlaskForm whose built-in validation messages come in every shipped language."""

    class Meta:
        def get_translations(self, form: Any) -> _FormTranslations | None:
            return FORM_TRANSLATIONS if current_app.config.get("WTF_I18N_ENABLED", True) else None


class DatabaseId(IntegerConverter):
    """`<int:...>` in a URL: an id a database column can hold. Larger numbers
    are simply not found (404), never an overflow in the driver (500)."""

    def __init__(self, map, *args, **kwargs) -> None:
        kwargs.setdefault("max", 2**31 - 1)
        super().__init__(map, *args, **kwargs)


def kept_markup(name: str, key: tuple, write: Callable[[], Any]) -> Any:
    """Markup that holds no one's data (a menu, a stage's move control) for a
    key such as the roles and the language: written once per process and
    kept in the app, not kept while templates reload (a template edited in
    development shows at once)."""
    kept = current_app.extensions.setdefault(name, {})
    found = kept.get(key)
    if found is None:
        found = write()
        if not current_app.jinja_env.auto_reload:
            kept[key] = found
    return found
