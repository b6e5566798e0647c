"""The shipped languages, how a request's language is chosen, and the label
maps that turn stored codes ("no_show", "in_progress") into words.

The order (DESIGN.md, Languages and countries): `?lang=xx` on any page; the
signed-in user's own choice; the visitor's `lang` cookie; the browser's
Accept-Language among the shipped languages; the organisation's default;
English. Everything sent to a candidate is written in the candidate's
language (`candidate_language`), whoever triggers the sending."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from contextlib import contextmanager
from urllib.parse import urlencode

from flask import g, has_request_context, request
from flask_babel import force_locale
from flask_login import current_user

from recruit.extensions import db

# Native names: a person looking for their language reads it in their language.
LANGUAGES: dict[str, str] = {
    "en": "English",
    "uk": "Українська",
    "ru": "Русский",
    "bg": "Български",
    "ro": "Română",
    "bs": "Bosanski",
    "ka": "ქართული",
}
DEFAULT = "en"
COOKIE = "lang"
COOKIE_DAYS = 365


def shipped(code: str | None) -> str | None:
    """The shipped language a code names ("uk", "UK", "uk-UA", "uk_UA"), or None."""
    if not code:
        return None
    base = str(code).strip().replace("_", "-").split("-")[0].lower()
    return base if base in LANGUAGES else None


def first_shipped(*codes: str | None) -> str:
    """The first of these that is a shipped language, else English."""
    for code in codes:
        found = shipped(code)
        if found:
            return found
    return DEFAULT


def _no_organisation() -> str | None:
    return None


_organisation_language: Callable[[], str | None] = _no_organisation


def read_organisation_language_with(reader: Callable[[], str | None]) -> None:
    """create_app tells where the organisation's default language is kept
    (its settings), so this module stays below the features that use it."""
    global _organisation_language
    _organisation_language = reader


def organisation_default() -> str | None:
    try:
        return shipped(_organisation_language())
    except Exception:  # the database is not there yet (first start, an outage): English pages still render
        return None


def asked_in_url() -> str | None:
    """The language `?lang=xx` asks for on this request, when it is a shipped one."""
    if not has_request_context():
        return None
    return shipped(request.args.get("lang"))


def select_locale() -> str:
    if not has_request_context():
        return first_shipped(organisation_default())
    if "locale" in g:
        return g.locale
    user_choice = None
    try:
        if current_user and current_user.is_authenticated:
            user_choice = current_user.locale
    except Exception:  # an unreadable user row must not stop an error page from rendering
        user_choice = None
    browser = request.accept_languages.best_match(list(LANGUAGES)) if request.accept_languages else None
    g.locale = first_shipped(asked_in_url(), user_choice, request.cookies.get(COOKIE), browser,
                             organisation_default())
    return g.locale


def candidate_language(candidate_choice: str | None, vacancy_language: str | None = None) -> str:
    """The candidate's own language, else their vacancy's, else the organisation's."""
    return first_shipped(candidate_choice, vacancy_language, organisation_default())


def reader_language(user) -> str:
    """What a message to a user is written in: their own choice, else the organisation's."""
    return first_shipped(user.locale, organisation_default())


@contextmanager
def in_language(code: str | None):
    """Write what follows (a message, a calendar file) in another person's language."""
    with force_locale(first_shipped(code)):
        yield


# Label maps: each feature registers its own (from create_app), the pages
# read them through the `label` filter; a code no map knows shows as itself,
# which the pseudo-locale test catches.
_LABELS: dict[str, Mapping[str, object]] = {}


def register_labels(kind: str, mapping: Mapping[str, object]) -> None:
    _LABELS[kind] = mapping


def label(code: str | None, kind: str) -> str:
    if code is None:
        return ""
    found = _LABELS.get(kind, {}).get(code)
    return str(found) if found is not None else str(code)


def labels(kind: str) -> Mapping[str, object]:
    return _LABELS.get(kind, {})


def remember_choice() -> None:
    """`?lang=xx`: saved on a signed-in user's profile; a visitor's goes in a cookie (`keep_cookie`)."""
    asked = asked_in_url()
    if not asked:
        return
    g.pop("locale", None)
    if current_user and current_user.is_authenticated and current_user.locale != asked:
        current_user.locale = asked
        db.session.commit()


def keep_cookie(response):
    asked = asked_in_url()
    if asked and request.cookies.get(COOKIE) != asked:
        response.set_cookie(COOKIE, asked, max_age=COOKIE_DAYS * 86400, samesite="Lax",
                            secure=bool(request.is_secure), httponly=True)
    return response


def url_in(code: str) -> str:
    """This page again in another language (the switcher's links): the page's
    own query, encoded once per request for the seven links, then `lang`."""
    if "url_in_query" not in g:
        g.url_in_query = urlencode([(k, v) for k, v in request.args.items(multi=True) if k != "lang"])
    rest = g.url_in_query
    return f"{request.path}?{rest}&lang={code}" if rest else f"{request.path}?lang={code}"


def missing_catalogues(directories: list[str]) -> list[str]:
    """Shipped languages with no compiled catalogue: their pages would fall
    back to English without a word, so the app says so when it starts."""
    def compiled(code: str) -> bool:
        return any(os.path.exists(os.path.join(d, code, "LC_MESSAGES", "messages.mo")) for d in directories)

    return [code for code in LANGUAGES if code != DEFAULT and not compiled(code)]
