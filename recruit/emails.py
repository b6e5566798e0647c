"""One e-mail check for forms, imports, the API and new accounts.

The syntax is email-validator's (RFC 5321/5322 with internationalised
addresses), without DNS lookups: a recruiter imports a job board's file
offline, and a typo in a real domain is the candidate's to fix. Its one
refusal we relax is the special-use names (`.local`, `.test`...): companies
run internal mail on them (`demo.local`, `corp.local`), so the domains in
EMAIL_INTERNAL_DOMAINS are accepted while the local part is still checked.
No Flask at import time: the CSV reader stays a plain module."""

from __future__ import annotations

import re
from collections.abc import Iterable

from email_validator import EmailNotValidError, validate_email

DEFAULT_INTERNAL_DOMAINS = ("local",)
_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")


def internal_domains() -> tuple[str, ...]:
    """The application's setting when there is an application, else the default."""
    try:
        from flask import current_app, has_app_context
    except ImportError:  # pragma: no cover - Flask is always installed with the app
        return DEFAULT_INTERNAL_DOMAINS
    if has_app_context():
        return tuple(current_app.config.get("EMAIL_INTERNAL_DOMAINS", DEFAULT_INTERNAL_DOMAINS))
    return DEFAULT_INTERNAL_DOMAINS


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
