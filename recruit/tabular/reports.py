"""What a reading reports, as codes with parameters: the whole file cannot be
read (`FileError`), something about the file to look at (`Notice`), one row's
problem (`RowError`). The English texts are in `MESSAGES`; the pages
translate them when they show a report (recruit/vacancies/messages.py)."""

from __future__ import annotations

from dataclasses import dataclass, field

from recruit.translatable import N_

# Every message a user may see, with %(name)s placeholders: the pages translate
# them (gettext) when they show a report; str() gives the English text.
MESSAGES: dict[str, str] = {
    "not_text": N_("This is not a text (CSV) file."),
    "unknown_encoding": N_("The file's encoding was not recognised; choose it below."),
    "empty": N_("The file is empty."),
    "wrong_encoding": N_("The file cannot be read as %(encoding)s."),
    "no_header": N_("The file has no header line."),
    "bad_csv": N_("Line %(line)s: %(detail)s"),
    "unnamed_columns": N_("The first line must name the columns."),
    "too_many_rows": N_("The file has more than %(limit)s rows; split it."),
    "map_required": N_("Map a column to: %(fields)s"),
    "map_name": N_("Map a column to the full name, or columns to the first and last name."),
    "map_identity": N_("Map a column to the e-mail or the phone, to tell candidates apart."),
    "too_long": N_("longer than %(limit)s characters"),
    "name_missing": N_("the name is missing"),
    "no_contact": N_("neither an e-mail nor a phone number is given"),
    "bad_email": N_("“%(value)s” is not a valid e-mail address"),
    "bad_phone": N_("“%(value)s” is not a phone number"),
    "phone_too_short": N_("“%(value)s” is too short for a phone number"),
    "phone_too_long": N_("“%(value)s” is too long for a phone number"),
    "phone_invalid": N_("“%(value)s” is not a valid phone number (numbers without a country code are read as "
                        "%(region)s)"),
    "phone_no_country": N_("“%(value)s” has no country code; write it with + and the code"),
    "bad_years": N_("“%(value)s” is not a number of years"),
    "negative_years": N_("experience cannot be negative"),
    "implausible_years": N_("more than %(limit)s years is not plausible"),
    "duplicate": N_("duplicate of line %(line)s"),
    "extra_cells": N_("the line has %(cells)s cells but the header names %(columns)s columns; a separator inside a "
                      "value may be missing its quotes"),
    # warnings: the candidate is imported, the value is left out
    "unread_years": N_("“%(value)s” was not understood as years of experience; the field is left empty"),
    "unknown_language": N_("“%(value)s” is not a language we know; the default language applies"),
    # notices about the whole file
    "suspicious_encoding": N_("Read as %(encoding)s, the file has characters that look garbled. Check the preview "
                              "and choose another encoding if names look wrong."),
    "title_skipped": N_("The column names were found on line %(line)s; the lines above them were skipped."),
    # other imports' messages (training activity)
    "bad_date": N_("“%(value)s” is not a date (use 2026-11-24 or 24.11.2026)"),
    "future_date": N_("%(value)s is in the future"),
    "before_start": N_("%(value)s is before the plan started"),
    "not_whole": N_("“%(value)s” is not a whole number"),
    "negative_count": N_("a count cannot be negative"),
    "implausible_count": N_("%(value)s in one day is not plausible (at most %(limit)s)"),
}


class FileError(ValueError):
    """The whole file cannot be read (empty, binary, no header...)."""

    def __init__(self, code: str, **params):
        self.code, self.params = code, params
        super().__init__(MESSAGES[code] % params)


@dataclass
class Notice:
    """Something about the whole file the user should look at (a suspicious
    decoding, a skipped title line); the file is still read."""

    code: str
    params: dict = field(default_factory=dict)

    @property
    def message(self) -> str:
        return MESSAGES[self.code] % self.params

    def as_dict(self) -> dict:
        return {"code": self.code, "params": self.params, "reason": self.message}


@dataclass
class RowError:
    line: int
    column: str
    code: str
    params: dict = field(default_factory=dict)

    @property
    def reason(self) -> str:
        return MESSAGES[self.code] % self.params

    def as_dict(self) -> dict:
        return {"line": self.line, "column": self.column, "reason": self.reason, "code": self.code,
                "params": self.params}
