"""Reading candidate files from job boards: encoding and delimiter detection,
column mapping, normalisation and per-row validation. No Flask, no database:
the CSV upload, the JSON bulk API and the tests share it."""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from recruit import emails


def N_(message: str) -> str:  # noqa: N802 - the gettext convention for "mark, translate later"
    return message


FIELDS: dict[str, str] = {
    "full_name": N_("Full name"),
    "email": N_("E-mail"),
    "phone": N_("Phone"),
    "city": N_("City"),
    "experience_years": N_("Experience, years"),
    "education": N_("Education"),
    "source": N_("Source"),
    "notes": N_("Notes"),
}
REQUIRED = ("full_name",)
MAX_ROWS = 200_000
MAX_EXPERIENCE = 60

_HEADER_GUESSES: dict[str, tuple[str, ...]] = {
    "full_name": ("фио", "имя", "кандидат", "name", "full name", "full_name", "candidate"),
    "email": ("email", "e-mail", "почта", "электронная почта", "mail"),
    "phone": ("телефон", "phone", "tel", "mobile", "мобильный"),
    "city": ("город", "city", "location"),
    "experience_years": ("опыт", "опыт работы", "опыт работы, лет", "experience", "years", "experience_years"),
    "education": ("образование", "education"),
    "source": ("источник", "source", "channel"),
    "notes": ("комментарий", "примечание", "notes", "comment"),
}


# Every message a user may see, with %(name)s placeholders: the pages translate
# them (gettext) when they show a report; str() gives the English text.
MESSAGES: dict[str, str] = {
    "not_text": N_("This is not a text (CSV) file."),
    "unknown_encoding": N_("The file is neither UTF-8 nor Windows-1251 text."),
    "empty": N_("The file is empty."),
    "wrong_encoding": N_("The file cannot be read as %(encoding)s."),
    "no_header": N_("The file has no header line."),
    "bad_csv": N_("Line %(line)s: %(detail)s"),
    "unnamed_columns": N_("The first line must name the columns."),
    "too_many_rows": N_("The file has more than %(limit)s rows; split it."),
    "map_required": N_("Map a column to: %(fields)s"),
    "map_identity": N_("Map a column to the e-mail or the phone, to tell candidates apart."),
    "too_long": N_("longer than %(limit)s characters"),
    "name_missing": N_("the name is missing"),
    "no_contact": N_("neither an e-mail nor a phone number is given"),
    "bad_email": N_("“%(value)s” is not a valid e-mail address"),
    "bad_phone": N_("“%(value)s” is not a phone number"),
    "bad_years": N_("“%(value)s” is not a number of years"),
    "negative_years": N_("experience cannot be negative"),
    "implausible_years": N_("more than %(limit)s years is not plausible"),
    "duplicate": N_("duplicate of line %(line)s"),
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
class ParsedFile:
    encoding: str
    delimiter: str
    headers: list[str]
    rows: list[tuple[int, list[str]]]  # (line number in the file, cells)


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


@dataclass
class CandidateRow:
    line: int
    full_name: str
    email: str = ""
    phone: str = ""
    city: str = ""
    experience_years: float | None = None
    education: str = ""
    source: str = ""
    notes: str = ""
    email_norm: str | None = None
    phone_norm: str | None = None


@dataclass
class Validation:
    valid: list[CandidateRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def bad_lines(self) -> list[int]:
        return sorted({e.line for e in self.errors})


def decode(data: bytes) -> tuple[str, str]:
    """UTF-8 (with or without BOM) first; Windows-1251, the common Russian export, otherwise."""
    if b"\x00" in data:
        raise FileError("not_text")
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1251"), "cp1251"
    except UnicodeDecodeError as exc:
        raise FileError("unknown_encoding") from exc


def sniff_delimiter(text: str) -> str:
    header = text.splitlines()[0] if text else ""
    counts = {d: header.count(d) for d in (";", ",", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def parse(data: bytes, *, encoding: str | None = None, delimiter: str | None = None) -> ParsedFile:
    if not data.strip():
        raise FileError("empty")
    if encoding:
        try:
            text = data.decode("utf-8-sig" if encoding == "utf-8" else encoding)
        except (UnicodeDecodeError, LookupError) as exc:
            raise FileError("wrong_encoding", encoding=encoding) from exc
    else:
        text, encoding = decode(data)
    delimiter = delimiter or sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        headers = [h.strip() for h in next(reader)]
    except StopIteration as exc:
        raise FileError("no_header") from exc
    except csv.Error as exc:
        raise FileError("bad_csv", line=1, detail=str(exc)) from exc
    if not any(headers):
        raise FileError("unnamed_columns")
    rows: list[tuple[int, list[str]]] = []
    start = reader.line_num + 1
    try:
        for cells in reader:
            line = start
            start = reader.line_num + 1
            if not any(c.strip() for c in cells):
                continue
            rows.append((line, cells))
            if len(rows) > MAX_ROWS:
                raise FileError("too_many_rows", limit=MAX_ROWS)
    except csv.Error as exc:
        raise FileError("bad_csv", line=start, detail=str(exc)) from exc
    return ParsedFile(encoding=encoding, delimiter=delimiter, headers=headers, rows=rows)


def guess_mapping(headers: Iterable[str]) -> dict[str, int | None]:
    """field -> column index, from header names in Russian or English."""
    mapping: dict[str, int | None] = {f: None for f in FIELDS}
    normalised = [re.sub(r"\s+", " ", h.strip().lower()) for h in headers]
    for name, guesses in _HEADER_GUESSES.items():
        for index, header in enumerate(normalised):
            if header in guesses and index not in mapping.values():
                mapping[name] = index
                break
        if mapping[name] is None:
            for index, header in enumerate(normalised):
                if any(header.startswith(g) for g in guesses) and index not in mapping.values():
                    mapping[name] = index
                    break
    return mapping


def normalise_email(value: str) -> str | None:
    value = (value or "").strip().lower()
    return value or None


def normalise_phone(value: str) -> str | None:
    digits = re.sub(r"\D", "", value or "")
    if not digits:
        return None
    if len(digits) == 11 and digits.startswith("8"):
        digits = "7" + digits[1:]
    return digits


def parse_experience(value: str) -> float | None:
    value = (value or "").strip().replace(",", ".").replace(" ", "")
    if not value:
        return None
    return float(value)


def check_candidate(values: Mapping[str, object], line: int, column_name) -> tuple[CandidateRow | None, list[RowError]]:
    """Validate one candidate's values (strings from a file, or JSON values).
    `column_name(field)` names the column for the error report."""
    errors: list[RowError] = []

    def text(name: str, limit: int) -> str:
        raw = values.get(name)
        value = "" if raw is None else str(raw).strip()
        if len(value) > limit:
            errors.append(RowError(line, column_name(name), "too_long", {"limit": limit}))
        return value[:limit]

    full_name = text("full_name", 160)
    email = text("email", 254)
    phone = text("phone", 40)
    row = CandidateRow(line=line, full_name=full_name, email=email, phone=phone, city=text("city", 80),
                       education=text("education", 120), source=text("source", 80), notes=text("notes", 5000))
    if not full_name:
        errors.append(RowError(line, column_name("full_name"), "name_missing"))
    if not email and not phone:
        errors.append(RowError(line, column_name("email"), "no_contact"))
    if email and not emails.is_valid(email):
        errors.append(RowError(line, column_name("email"), "bad_email", {"value": email}))
    phone_norm = normalise_phone(phone)
    if phone and (phone_norm is None or not 7 <= len(phone_norm) <= 15):
        errors.append(RowError(line, column_name("phone"), "bad_phone", {"value": phone}))
    raw_exp = values.get("experience_years")
    if raw_exp not in (None, ""):
        try:
            exp = raw_exp if isinstance(raw_exp, int | float) and not isinstance(raw_exp, bool) \
                else parse_experience(str(raw_exp))
        except ValueError:
            errors.append(RowError(line, column_name("experience_years"), "bad_years", {"value": str(raw_exp)}))
        else:
            if exp is not None and not math.isfinite(exp):
                errors.append(RowError(line, column_name("experience_years"), "bad_years", {"value": str(raw_exp)}))
            elif exp is not None and exp < 0:
                errors.append(RowError(line, column_name("experience_years"), "negative_years"))
            elif exp is not None and exp > MAX_EXPERIENCE:
                errors.append(RowError(line, column_name("experience_years"), "implausible_years",
                                       {"limit": MAX_EXPERIENCE}))
            else:
                row.experience_years = float(exp) if exp is not None else None
    row.email_norm = normalise_email(email)
    row.phone_norm = phone_norm
    return (None if errors else row), errors


def validate(parsed: ParsedFile, mapping: Mapping[str, int | None]) -> Validation:
    """Every row checked; duplicates inside the file name the first line."""
    missing = [FIELDS[f] for f in REQUIRED if mapping.get(f) is None]
    if missing:
        raise FileError("map_required", fields=", ".join(missing))
    if mapping.get("email") is None and mapping.get("phone") is None:
        raise FileError("map_identity")

    def column_name(name: str) -> str:
        index = mapping.get(name)
        if index is None or index >= len(parsed.headers):
            return FIELDS[name]
        return parsed.headers[index] or FIELDS[name]

    result = Validation()
    seen_email: dict[str, int] = {}
    seen_phone: dict[str, int] = {}
    for line, cells in parsed.rows:
        values = {name: (cells[i] if i is not None and i < len(cells) else "") for name, i in mapping.items()}
        row, errors = check_candidate(values, line, column_name)
        if row is not None:
            first = (seen_email.get(row.email_norm) if row.email_norm else None) or \
                    (seen_phone.get(row.phone_norm) if row.phone_norm else None)
            if first:
                column = "email" if row.email_norm and row.email_norm in seen_email else "phone"
                errors.append(RowError(line, column_name(column), "duplicate", {"line": first}))
                row = None
        if row is None:
            result.errors.extend(errors)
            continue
        if row.email_norm:
            seen_email[row.email_norm] = line
        if row.phone_norm:
            seen_phone[row.phone_norm] = line
        result.valid.append(row)
    return result
