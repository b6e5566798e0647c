"""The importer's messages in the user's language: the importer has no Flask,
so its reports carry a code and parameters and are translated when shown."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext

from recruit.tabular.reports import MESSAGES, FileError
from recruit.vacancies.candidate_rows import FIELDS


def message(code: str, params: dict[str, Any] | None = None, fallback: str = "") -> str:
    if code not in MESSAGES:
        return fallback
    return gettext(MESSAGES[code], **(params or {}))


def row_reason(error: dict[str, Any]) -> str:
    """One entry of a stored import report (old entries may lack the code)."""
    return message(error.get("code", ""), error.get("params"), error.get("reason", ""))


def file_error(exc: FileError) -> str:
    return message(exc.code, exc.params, str(exc))


def field_label(name: str) -> str:
    return gettext(FIELDS[name]) if name in FIELDS else name
