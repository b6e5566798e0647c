"""Candidate files from job boards, read through `recruit.tabular`: which
column is which (header names in the seven shipped languages), name parts
joined in the file's order, and per-row validation (phones in E.164, years
of experience in words). No Flask, no database: the CSV upload, the JSON
bulk API and the tests share it; what depends on the organisation (its phone
region) is passed in."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache

from recruit import emails, phones
from recruit.tabular import reader
from recruit.tabular.reader import ParsedFile, header_key
from recruit.tabular.reports import FileError, RowError
from recruit.tabular.values import normalise_email, parse_experience, parse_language
from recruit.translatable import N_

FIELDS: dict[str, str] = {
    "full_name": N_("Full name"),
    "first_name": N_("First name"),
    "last_name": N_("Last name"),
    "middle_name": N_("Patronymic or middle name"),
    "email": N_("E-mail"),
    "phone": N_("Phone"),
    "city": N_("City"),
    "experience_years": N_("Experience, years"),
    "education": N_("Education"),
    "source": N_("Source"),
    "notes": N_("Notes"),
    "language": N_("Language"),
}
NAME_PARTS = ("first_name", "middle_name", "last_name")
REQUIRED = ("full_name",)  # or its parts: first and/or last name
MAX_EXPERIENCE = 60

# Header names in en, uk, ru, bg, ro, bs and ka, compared by `header_key`
# (case, punctuation, spaces, accents and apostrophes ignored).
_SYNONYMS: dict[str, dict[str, tuple[str, ...]]] = {
    "full_name": {
        "en": ("Full name", "Name", "Candidate", "Candidate name", "Applicant", "Person", "Name and surname"),
        "uk": ("ПІБ", "П.І.Б.", "Прізвище ім'я по батькові", "Прізвище, ім'я", "Прізвище та ім'я",
               "Ім'я та прізвище", "Повне ім'я", "Кандидат", "Здобувач"),
        "ru": ("ФИО", "Ф.И.О.", "Фамилия Имя Отчество", "Фамилия, имя", "Фамилия и имя", "Имя и фамилия",
               "Полное имя", "Кандидат", "Соискатель", "ФИО кандидата"),
        "bg": ("Име и фамилия", "Трите имена", "Пълно име", "Име, презиме, фамилия", "Имена"),
        "ro": ("Nume complet", "Nume și prenume", "Prenume și nume", "Numele complet", "Candidat"),
        "bs": ("Ime i prezime", "Prezime i ime", "Puno ime", "Kandidat", "Ime prezime"),
        "ka": ("სახელი და გვარი", "სახელი გვარი", "გვარი და სახელი", "სრული სახელი", "კანდიდატი"),
    },
    "first_name": {
        "en": ("First name", "Given name", "Forename", "First"),
        "uk": ("Ім'я",),
        "ru": ("Имя",),
        "bg": ("Име", "Собствено име"),
        "ro": ("Prenume", "Prenumele"),
        "bs": ("Ime",),
        "ka": ("სახელი",),
    },
    "last_name": {
        "en": ("Last name", "Surname", "Family name", "Last"),
        "uk": ("Прізвище",),
        "ru": ("Фамилия",),
        "bg": ("Фамилия", "Фамилно име"),
        "ro": ("Nume", "Nume de familie", "Numele"),
        "bs": ("Prezime",),
        "ka": ("გვარი",),
    },
    "middle_name": {
        "en": ("Middle name", "Patronymic"),
        "uk": ("По батькові", "По-батькові"),
        "ru": ("Отчество",),
        "bg": ("Презиме",),
        "ro": ("Inițiala tatălui", "Al doilea prenume"),
        "bs": ("Ime oca", "Srednje ime"),
        "ka": ("მამის სახელი",),
    },
    "email": {
        "en": ("Email", "E-mail", "Mail", "Email address", "E-mail address"),
        "uk": ("Ел. пошта", "Електронна пошта", "Пошта", "Е-мейл", "Імейл"),
        "ru": ("Почта", "Электронная почта", "Эл. почта", "Емейл", "Имейл", "Е-мейл"),
        "bg": ("Имейл", "Електронна поща", "Ел. поща", "Е-поща", "Поща", "Имейл адрес"),
        "ro": ("Adresă de email", "Adresa de e-mail", "Poștă electronică"),
        "bs": ("Email adresa", "E-pošta", "Elektronska pošta", "E-mail adresa"),
        "ka": ("ელ. ფოსტა", "ელფოსტა", "ელექტრონული ფოსტა", "იმეილი"),
    },
    "phone": {
        "en": ("Phone", "Telephone", "Tel", "Mobile", "Phone number", "Cell", "Mobile phone"),
        "uk": ("Телефон", "Тел.", "Мобільний", "Мобільний телефон", "Номер телефону", "Контактний телефон"),
        "ru": ("Телефон", "Тел.", "Мобильный", "Мобильный телефон", "Номер телефона", "Контактный телефон"),
        "bg": ("Телефон", "Тел.", "Мобилен", "Мобилен телефон", "Телефонен номер", "GSM"),
        "ro": ("Telefon", "Tel.", "Mobil", "Număr de telefon", "Nr. telefon"),
        "bs": ("Telefon", "Tel.", "Mobitel", "Broj telefona", "Mobilni"),
        "ka": ("ტელეფონი", "ტელ.", "მობილური", "ტელეფონის ნომერი"),
    },
    "city": {
        "en": ("City", "Location", "Town"),
        "uk": ("Місто", "Населений пункт", "Місце проживання"),
        "ru": ("Город", "Населенный пункт", "Место проживания"),
        "bg": ("Град", "Населено място"),
        "ro": ("Oraș", "Localitate", "Localitatea"),
        "bs": ("Grad", "Mjesto", "Mesto", "Lokacija"),
        "ka": ("ქალაქი", "მდებარეობა"),
    },
    "experience_years": {
        "en": ("Experience", "Experience, years", "Years of experience", "Work experience", "Years"),
        "uk": ("Досвід", "Досвід роботи", "Досвід роботи, років", "Стаж"),
        "ru": ("Опыт", "Опыт работы", "Опыт работы, лет", "Стаж"),
        "bg": ("Опит", "Трудов стаж", "Професионален опит", "Стаж"),
        "ro": ("Experiență", "Experiență profesională", "Ani de experiență", "Vechime"),
        "bs": ("Iskustvo", "Radno iskustvo", "Godine iskustva", "Staž"),
        "ka": ("გამოცდილება", "სამუშაო გამოცდილება", "სტაჟი"),
    },
    "education": {
        "en": ("Education", "Degree"),
        "uk": ("Освіта",),
        "ru": ("Образование",),
        "bg": ("Образование",),
        "ro": ("Studii", "Educație", "Nivel de studii"),
        "bs": ("Obrazovanje", "Stručna sprema", "Školska sprema"),
        "ka": ("განათლება",),
    },
    "source": {
        "en": ("Source", "Channel", "Source channel", "Origin"),
        "uk": ("Джерело", "Канал", "Звідки"),
        "ru": ("Источник", "Канал", "Откуда"),
        "bg": ("Източник", "Канал"),
        "ro": ("Sursa", "Sursă", "Canal", "Proveniență"),
        "bs": ("Izvor", "Kanal"),
        "ka": ("წყარო", "არხი"),
    },
    "notes": {
        "en": ("Notes", "Note", "Comment", "Comments", "Remarks"),
        "uk": ("Коментар", "Примітка", "Примітки", "Нотатки"),
        "ru": ("Комментарий", "Примечание", "Примечания", "Заметки"),
        "bg": ("Коментар", "Бележка", "Бележки", "Забележка"),
        "ro": ("Note", "Notă", "Comentariu", "Comentarii", "Observații", "Mențiuni"),
        "bs": ("Napomena", "Napomene", "Komentar", "Bilješke"),
        "ka": ("შენიშვნა", "შენიშვნები", "კომენტარი"),
    },
    "language": {
        "en": ("Language", "Preferred language", "Lang", "Locale"),
        "uk": ("Мова",),
        "ru": ("Язык",),
        "bg": ("Език",),
        "ro": ("Limba", "Limbă"),
        "bs": ("Jezik",),
        "ka": ("ენა",),
    },
}
# A first name in these languages' headers means the file writes "Surname Name Patronymic".
_SURNAME_FIRST = ("uk", "ru")


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
    language: str | None = None
    # the row is imported; these values were left out (RowError entries with warning codes)
    warnings: list[RowError] = field(default_factory=list)


@dataclass
class Validation:
    valid: list[CandidateRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    warnings: list[RowError] = field(default_factory=list)

    @property
    def bad_lines(self) -> list[int]:
        return sorted({e.line for e in self.errors})


_KEYS: dict[str, dict[str, str]] = {}  # field -> {header key: language}
for _field, _by_language in _SYNONYMS.items():
    _KEYS[_field] = {header_key(_field): "en"}
    for _language, _names in _by_language.items():
        for _name in _names:
            _KEYS[_field].setdefault(header_key(_name), _language)
PREFIX_MIN = 4  # a header may start with a synonym this long ("Телефон мобильный")


def _match(key: str, *, prefix: bool) -> tuple[str, str] | None:
    """(field, language) a header key names, exactly or by its start."""
    if not key:
        return None
    for name, keys in _KEYS.items():
        if key in keys:
            return name, keys[key]
    if prefix:
        best: tuple[int, str, str] | None = None
        for name, keys in _KEYS.items():
            for synonym, language in keys.items():
                if len(synonym) >= PREFIX_MIN and key.startswith(synonym) and (best is None or len(synonym) > best[0]):
                    best = (len(synonym), name, language)
        if best:
            return best[1], best[2]
    return None


def header_score(cells: Iterable[str]) -> int:
    """How many fields a row's cells name: the header row names the most."""
    found = {m[0] for m in (_match(header_key(c), prefix=True) for c in cells) if m}
    return len(found)


def parse(data: bytes, *, encoding: str | None = None, delimiter: str | None = None) -> ParsedFile:
    """A candidate file: its header is the line among the first that names the most candidate fields."""
    return reader.parse(data, encoding=encoding, delimiter=delimiter, header_score=header_score)


def guess_mapping(headers: Iterable[str]) -> dict[str, int | None]:
    """field -> column index, from header names in any of the seven languages:
    exact names first, then headers that start with one. A lone first or last
    name column (no full name, no other part) is the full name: "Name",
    "Nume" or "Имя" alone hold the whole name."""
    mapping: dict[str, int | None] = {f: None for f in FIELDS}
    keys = [header_key(h) for h in headers]
    for prefix in (False, True):
        for index, key in enumerate(keys):
            if index in mapping.values():
                continue
            found = _match(key, prefix=prefix)
            if found and mapping[found[0]] is None:
                mapping[found[0]] = index
    parts = [p for p in ("first_name", "last_name") if mapping[p] is not None]
    if mapping["full_name"] is None and len(parts) == 1 and mapping["middle_name"] is None:
        mapping["full_name"], mapping[parts[0]] = mapping[parts[0]], None
    return mapping


def surname_first(headers: list[str], mapping: Mapping[str, int | None]) -> bool:
    """Whether name parts are joined "Surname Name Patronymic" (Ukrainian and
    Russian files, told by their name headers) or "Name Surname" (en, bg, ro,
    bs, ka)."""
    for part in ("first_name", "middle_name"):
        index = mapping.get(part)
        if index is not None and index < len(headers):
            found = _match(header_key(headers[index]), prefix=True)
            if found and found[1] in _SURNAME_FIRST:
                return True
    return False


@lru_cache(maxsize=65536)
def _email_ok(value: str, internal: tuple[str, ...]) -> bool:
    """`emails.is_valid`, remembered: an import checks every address twice
    (the check, then the job) and the check is most of a row's cost."""
    return emails.is_valid(value, internal)


def _years_error(line: int, column: str, exp: float | None, raw: object) -> RowError | None:
    if exp is None:
        return None
    if not math.isfinite(exp):
        return RowError(line, column, "bad_years", {"value": str(raw)})
    if exp < 0:
        return RowError(line, column, "negative_years")
    if exp > MAX_EXPERIENCE:
        return RowError(line, column, "implausible_years", {"limit": MAX_EXPERIENCE})
    return None


def check_candidate(values: Mapping[str, object], line: int, column_name: Callable[[str], str], *,
                    region: str | None = None, surname_first: bool = False,
                    email_domains: tuple[str, ...] | None = None,
                    ) -> tuple[CandidateRow | None, list[RowError]]:
    """Validate one candidate's values (strings from a file, or JSON values).
    `column_name(field)` names the column for the error report; `region` is
    the organisation's phone region, numbers without a country code are read
    in it. Values that cannot be read but need not refuse the person
    (experience in words we do not know, an unknown language) are left out
    with a warning on the row. `email_domains`: the internal mail domains
    accepted (emails.internal_domains(), looked up once per file by validate)."""
    errors: list[RowError] = []
    warnings: list[RowError] = []

    def text(name: str, limit: int, raw: object = None) -> str:
        raw = values.get(name) if raw is None else raw
        value = "" if raw is None else str(raw).strip()
        if len(value) > limit:
            errors.append(RowError(line, column_name(name), "too_long", {"limit": limit}))
        return value[:limit]

    full_name = text("full_name", 160)
    if not full_name:
        parts = [text(p, 160) for p in (("last_name", "first_name", "middle_name") if surname_first
                                        else ("first_name", "middle_name", "last_name"))]
        full_name = " ".join(p for p in parts if p)[:160]
    email = text("email", 254)
    numbers = phones.split("" if values.get("phone") is None else str(values.get("phone")))
    phone = text("phone", phones.MAX_LENGTH, numbers[0]) if numbers else ""
    notes = text("notes", 5000)
    if numbers[1:]:  # a second number is kept where a person reads it
        notes = "\n".join(p for p in (notes, "☎ " + ", ".join(numbers[1:])) if p)[:5000]
    row = CandidateRow(line=line, full_name=full_name, email=email, phone=phone, city=text("city", 80),
                       education=text("education", 120), source=text("source", 80), notes=notes)
    if not full_name:
        errors.append(RowError(line, column_name("full_name"), "name_missing"))
    if not email and not phone:
        errors.append(RowError(line, column_name("email"), "no_contact"))
    if email and not _email_ok(email, emails.internal_domains() if email_domains is None else email_domains):
        errors.append(RowError(line, column_name("email"), "bad_email", {"value": email}))
    if phone:
        try:
            row.phone_norm = phones.to_e164(phone, region)
        except phones.PhoneError as exc:
            errors.append(RowError(line, column_name("phone"), exc.code,
                                   {"value": phone, "region": phones.clean_region(region)}))
    raw_exp = values.get("experience_years")
    if raw_exp not in (None, ""):
        if isinstance(raw_exp, int | float) and not isinstance(raw_exp, bool):
            exp: float | None = float(raw_exp)
        else:
            try:
                exp = parse_experience(str(raw_exp))
            except ValueError:
                exp = None
                warnings.append(RowError(line, column_name("experience_years"), "unread_years",
                                         {"value": str(raw_exp)[:80]}))
        problem = _years_error(line, column_name("experience_years"), exp, raw_exp)
        if problem:
            errors.append(problem)
        else:
            row.experience_years = exp
    raw_language = values.get("language")
    if raw_language not in (None, ""):
        try:
            row.language = parse_language(str(raw_language))
        except ValueError:
            warnings.append(RowError(line, column_name("language"), "unknown_language",
                                     {"value": str(raw_language)[:40]}))
    row.email_norm = normalise_email(email)
    row.warnings = warnings
    return (None if errors else row), errors


def validate(parsed: ParsedFile, mapping: Mapping[str, int | None], *, region: str | None = None) -> Validation:
    """Every row checked; duplicates inside the file name the first line (by
    e-mail, or by the phone in E.164, so two spellings of one number are one
    person); a row with more cells than the header is refused, since its
    values would sit under the wrong columns."""
    if all(mapping.get(f) is None for f in ("full_name", "first_name", "last_name")):
        raise FileError("map_name")
    if mapping.get("email") is None and mapping.get("phone") is None:
        raise FileError("map_identity")

    def column_name(name: str) -> str:
        index = mapping.get(name)
        if index is None or index >= len(parsed.headers):
            return FIELDS.get(name, name)
        return parsed.headers[index] or FIELDS.get(name, name)

    order = surname_first(parsed.headers, mapping)
    domains = emails.internal_domains()
    width = len(parsed.headers)
    result = Validation()
    seen_email: dict[str, int] = {}
    seen_phone: dict[str, int] = {}
    for line, cells in parsed.rows:
        if len(cells) > width and any(c.strip() for c in cells[width:]):
            result.errors.append(RowError(line, "", "extra_cells", {"cells": len(cells), "columns": width}))
            continue
        values = {name: (cells[i] if i is not None and i < len(cells) else "") for name, i in mapping.items()}
        row, errors = check_candidate(values, line, column_name, region=region, surname_first=order,
                                      email_domains=domains)
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
        result.warnings.extend(row.warnings)
    return result
