"""One e-mail check for forms, imports, the API and new accounts.

The syntax is email-validator's (RFC 5321/5322 with internationalised
addresses), without DNS lookups: a recruiter imports a job board's file
offline, and a typo in a real domain is the candidate's to fix. Its one
refusal we relax is the special-use names (`.local`, `.test`...): companies
run internal mail on them (`demo.local`, `corp.local`), so the domains in
EMAIL_INTERNAL_DOMAINS are accepted while the local part is still checked.
No Flask: the CSV reader stays a plain module; the app hands in how its
setting is read (`read_internal_domains_with`, from create_app)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from email_validator import EmailNotValidError, validate_email

DEFAULT_INTERNAL_DOMAINS = ("local",)
_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")


def _no_app() -> tuple[str, ...] | None:
    return None


_read_setting: Callable[[], tuple[str, ...] | None] = _no_app


def read_internal_domains_with(read: Callable[[], tuple[str, ...] | None]) -> None:
    """How the running application's EMAIL_INTERNAL_DOMAINS is read (None: no application)."""
    global _read_setting
    _read_setting = read


def internal_domains() -> tuple[str, ...]:
    """The application's setting when there is an application, else the default."""
    setting = _read_setting()
    return DEFAULT_INTERNAL_DOMAINS if setting is None else setting


def _internal(domain: str, allowed: Iterable[str]) -> bool:
    return any(domain == d or domain.endswith("." + d) for d in allowed if d)


def is_valid(value: str | None, allowed_internal: Iterable[str] | None = None) -> bool:
    value = (value or "").strip()
    if not value or len(value) > 254 or any(ch.isspace() for ch in value):
        return False
    local, at, domain = value.rpartition("@")
    if not at or not local:
        return False
    domain = domain.lower()
    allowed = internal_domains() if allowed_internal is None else tuple(allowed_internal)
    try:
        if _internal(domain, allowed):
            validate_email(f"{local}@example.com", check_deliverability=False)
            return all(_LABEL.match(label) for label in domain.split("."))
        validate_email(value, check_deliverability=False)
    except EmailNotValidError:
        return False
    return True


def normalise(value: str | None) -> str:
    """The stored form: trimmed and lower-cased (how people type their address varies)."""
    return (value or "").strip().lower()
