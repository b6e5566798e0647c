"""Reading candidate files from job boards: encoding and delimiter detection,
the header row (a title line above it is skipped), column mapping by header
names in the seven shipped languages, normalisation (phones in E.164, years
of experience written in words) and per-row validation. No Flask, no database:
the CSV upload, the JSON bulk API and the tests share it; what depends on the
organisation (its phone region) is passed in."""

from __future__ import annotations

import codecs
import csv
import io
import math
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache

import charset_normalizer
from charset_normalizer.md import mess_ratio

from recruit import emails, phones


def N_(message: str) -> str:  # noqa: N802 - the gettext convention for "mark, translate later"
    return message


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
MAX_ROWS = 200_000
MAX_EXPERIENCE = 60
HEADER_SEARCH = 10  # the header is looked for in this many rows at the top (title lines above it)

# The encodings a job-board or CRM export comes in (DOMAIN.md §6), as Python
# names, with the label the page shows. Detection picks among these.
ENCODINGS: dict[str, str] = {
    "utf-8": "UTF-8",
    "utf-16": "UTF-16",
    "utf-16-le": "UTF-16 LE",
    "utf-16-be": "UTF-16 BE",
    "cp1251": "Windows-1251",
    "cp1250": "Windows-1250",
    "iso8859-2": "ISO-8859-2",
    "iso8859-16": "ISO-8859-16",
    "koi8-u": "KOI8-U",
}
# charset-normalizer's names for the single-byte ones, in the order preferred
# when several give the same text (Excel on Windows writes the cp125x ones).
_SINGLE_BYTE: dict[str, str] = {
    "cp1251": "cp1251", "cp1250": "cp1250", "iso8859_2": "iso8859-2", "iso8859_16": "iso8859-16",
    "koi8_u": "koi8-u",
}
SUSPICIOUS_MESS = 0.2  # charset-normalizer's own threshold for "this is not a plausible text"

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
class ParsedFile:
    encoding: str
    delimiter: str
    headers: list[str]
    rows: list[tuple[int, list[str]]]  # (line number in the file, cells)
    header_line: int = 1
    notices: list[Notice] = field(default_factory=list)


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


# --- encodings ---------------------------------------------------------------------

def codec(encoding: str) -> str:
    """The Python codec for a stored encoding name: UTF-8 drops its BOM."""
    return "utf-8-sig" if encoding == "utf-8" else encoding


def detect_encoding(data: bytes) -> str:
    """The file's encoding, from its content: a BOM; UTF-16 without one (every
    other byte NUL); strict UTF-8; otherwise the single-byte encoding of
    DOMAIN.md §6 that charset-normalizer finds the most plausible text in."""
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    sample = data[:65536]
    if b"\x00" in sample:
        even, odd = sample[0::2].count(0), sample[1::2].count(0)
        guess = "utf-16-le" if odd > len(sample) // 4 and even * 10 < odd else \
            "utf-16-be" if even > len(sample) // 4 and odd * 10 < even else None
        if guess and _mostly_text(sample[:len(sample) // 2 * 2].decode(guess, errors="replace")):
            return guess
        raise FileError("not_text")
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    ranked: list[tuple[tuple[int, float, float, int], str]] = []
    preference = list(_SINGLE_BYTE)
    for match in charset_normalizer.from_bytes(data, cp_isolation=preference):
        for theirs in {match.encoding, *match.could_be_from_charset} & set(preference):
            try:
                text = data.decode(_SINGLE_BYTE[theirs])
            except UnicodeDecodeError:
                continue
            # symbols stuck to letters ("©ejla" for "Šejla") first: charset-normalizer
            # rates such near neighbours (cp1250 / ISO-8859-2) alike on a short file
            # then, between texts alike, Romanian's comma-below letters (ISO-8859-16's
            # Ș/ț) over the cedilla ones Windows-1250 puts at the same bytes
            sample = text[:65536]
            ranked.append(((odd_symbols(sample), round(match.chaos, 2), -len(_COMMA_BELOW.findall(sample)),
                            -match.coherence, preference.index(theirs)), _SINGLE_BYTE[theirs]))
    if ranked:
        return min(ranked)[1]
    for name in _SINGLE_BYTE.values():  # nothing plausible: the first that decodes at all (with a warning)
        try:
            data.decode(name)
            return name
        except UnicodeDecodeError:
            continue
    raise FileError("unknown_encoding")


def _mostly_text(text: str) -> bool:
    """Printable characters and line breaks, not binary that happens to hold NULs."""
    if len(text) < 2:
        return False
    readable = sum(1 for c in text if c.isprintable() or c in "\r\n\t")
    return readable >= 0.95 * len(text)


def decode(data: bytes) -> tuple[str, str]:
    """The text and the detected encoding."""
    encoding = detect_encoding(data)
    try:
        return data.decode(codec(encoding)), encoding
    except UnicodeDecodeError as exc:
        raise FileError("unknown_encoding") from exc


def _mojibake_letters() -> re.Pattern[str]:
    """UTF-8 read as a single-byte encoding: a lead byte's letter followed by
    a continuation byte's (Ã©, Ð°, Р°, С‚)."""
    continuation = bytes(range(0x80, 0xC0))
    tails = set()
    for name in ("cp1252", "cp1251", "cp1250", "latin-1"):
        tails.update(continuation.decode(name, errors="ignore"))
    tails -= {" ", "\u00a0"}
    leads = "ÃÂÅÄÐÑРСÐ"
    return re.compile(f"[{re.escape(leads)}][{re.escape(''.join(sorted(tails)))}]")


_MOJIBAKE = _mojibake_letters()


def _symbol_class() -> str:
    symbols = [chr(c) for c in range(0xA0, 0x2200) if unicodedata.category(chr(c)) in ("So", "Sc", "Sk", "Sm")]
    return re.escape("".join(symbols) + "§¶")


_ODD_SYMBOL = re.compile(f"(?<=[^\\W\\d_])[{_symbol_class()}]|[{_symbol_class()}](?=[^\\W\\d_])")


_WORD = re.compile(r"[^\W\d_]+")
_C1_CONTROL = re.compile(r"[\u0080-\u009f]")  # a byte the encoding has no letter for
_COMMA_BELOW = re.compile(r"[ȘșȚț]")
_LATIN = re.compile(r"[A-Za-z\u00C0-\u024F]")
_CYRILLIC = re.compile(r"[\u0400-\u04FF]")


def odd_symbols(text: str) -> int:
    """Symbols touching a letter ("©ejla" for "Šejla"), control characters
    and words mixing Latin and Cyrillic letters ("Kovaиeviж" for
    "Kovačević"): how a neighbouring single-byte encoding garbles a name."""
    mixed = sum(1 for word in _WORD.findall(text) if _LATIN.search(word) and _CYRILLIC.search(word))
    return len(_ODD_SYMBOL.findall(text)) + len(_C1_CONTROL.findall(text)) + mixed


def suspicious(data: bytes, text: str, encoding: str) -> bool:
    """True when the decoded text looks garbled: replacement characters, UTF-8
    bytes read as a single-byte encoding, or letters charset-normalizer finds
    implausible (mixed scripts and cases, symbols amid words)."""
    if "\ufffd" in text:
        return True
    if not encoding.startswith("utf-"):
        try:
            if data.decode("utf-8") != data.decode("ascii", errors="ignore"):
                return True  # valid UTF-8 with letters beyond ASCII, read as something else
        except UnicodeDecodeError:
            pass
    sample = text[:20000]
    letters = sum(1 for c in sample if ord(c) > 127)
    if letters and len(_MOJIBAKE.findall(sample)) * 5 >= max(letters, 10):
        return True
    odd = odd_symbols(sample)
    if odd and odd * 20 >= letters:
        return True
    return bool(letters) and mess_ratio(sample, maximum_threshold=1.0) >= SUSPICIOUS_MESS


# --- the CSV structure -------------------------------------------------------------

def sniff_delimiter(text: str) -> str:
    """The separator used most over the first lines (not the first line only:
    it may be a title)."""
    lines = [line for line in text.splitlines()[:20] if line.strip()]
    counts = {d: sum(line.count(d) for line in lines) for d in (";", ",", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def header_key(text: str) -> str:
    """A header as compared: case, accents, ё, apostrophes, punctuation and
    spaces ignored ("Ел. пошта" = "ел пошта", "E-mail" = "email", "Oraș" = "oras")."""
    return _NOT_WORD.sub("", fold(text))


def fold(text: str) -> str:
    """Lower case without accents (ё -> е, ș -> s, ї -> і); other scripts unchanged."""
    decomposed = unicodedata.normalize("NFKD", (text or "").casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


_NOT_WORD = re.compile(r"[\W_]+")
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
    """The file's rows under its header. The encoding is detected unless given
    (the user's choice on the preview page); the header is the row among the
    first ones that names the most fields, lines above it are skipped."""
    if not data.strip():
        raise FileError("empty")
    if encoding:
        try:  # the user's choice: read what can be read, the replacement marks make the warning
            text = data.decode(codec(encoding), errors="replace")
        except LookupError as exc:
            raise FileError("wrong_encoding", encoding=ENCODINGS.get(encoding, encoding)) from exc
    else:
        text, encoding = decode(data)
    if "\x00" in text:
        raise FileError("not_text")
    notices: list[Notice] = []
    if suspicious(data, text, encoding):
        notices.append(Notice("suspicious_encoding", {"encoding": ENCODINGS.get(encoding, encoding)}))
    delimiter = delimiter or sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    records: list[tuple[int, list[str]]] = []
    start = 1
    try:
        for cells in reader:
            line = start
            start = reader.line_num + 1
            if not any(c.strip() for c in cells):
                continue
            records.append((line, cells))
            if len(records) > MAX_ROWS + HEADER_SEARCH:
                raise FileError("too_many_rows", limit=MAX_ROWS)
    except csv.Error as exc:
        raise FileError("bad_csv", line=start, detail=str(exc)) from exc
    if not records:
        raise FileError("no_header")
    scores = [header_score(cells) for _line, cells in records[:HEADER_SEARCH]]
    at = scores.index(max(scores)) if max(scores) > 0 else 0
    header_line, header_cells = records[at]
    headers = [h.strip() for h in header_cells]
    if not any(headers):
        raise FileError("unnamed_columns")
    if at:
        notices.append(Notice("title_skipped", {"line": header_line}))
    rows = records[at + 1:]
    if len(rows) > MAX_ROWS:
        raise FileError("too_many_rows", limit=MAX_ROWS)
    return ParsedFile(encoding=encoding, delimiter=delimiter, headers=headers, rows=rows, header_line=header_line,
                      notices=notices)


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


# --- values ------------------------------------------------------------------------

def normalise_email(value: str) -> str | None:
    value = (value or "").strip().lower()
    return value or None


def normalise_phone(value: str) -> str | None:
    """The digits of a phone as typed, 8 read as +7 for an 11-digit number:
    the key before E.164 (`phones.to_e164`), kept for comparing by digits
    (anonymisation finds a number in free text by them)."""
    digits = re.sub(r"\D", "", value or "")
    if not digits:
        return None
    if len(digits) == 11 and digits.startswith("8"):
        digits = "7" + digits[1:]
    return digits


def _word_table(groups: Mapping[float, str]) -> dict[str, float]:
    return {fold(word): value for value, words in groups.items() for word in words.split()}


# Number words up to ten and "half", in the seven languages (apostrophes dropped: п'ять -> пять).
_NUMBER_WORDS = _word_table({
    0.5: "half пол пів половин pola jumătate ნახევარი",
    1: "a one один одна одного одну один един една un unu una o jedan jedna jednu ერთი",
    1.5: "полтора полутора півтора",
    2: "two два две двух дві doi două dva dvije dve ორი",
    3: "three три трех трьох trei tri სამი",
    4: "four четыре чотири четири patru četiri ოთხი",
    5: "five пять пет cinci pet ხუთი",
    6: "six шесть шість шест șase šest ექვსი",
    7: "seven семь сім седем șapte sedam შვიდი",
    8: "eight восемь вісім осем opt osam რვა",
    9: "nine девять девять девет nouă devet ცხრა",
    10: "ten десять десет zece deset ათი",
})
# Units by the start of the word (long stems) or the whole word (short ones,
# which would start too many other words), and the forms that mean one
# ("более года", "peste un an").
_YEAR_STEMS = tuple(fold(w) for w in ("год", "лет", "рік", "рок", "годин", "godin", "year", "წელ", "წლ"))
_YEAR_WORDS = {fold(w) for w in ("г", "р", "y", "yr", "yrs", "an", "ani", "anul", "anului", "anii", "god", "g", "წ")}
_MONTH_STEMS = tuple(fold(w) for w in ("месяц", "місяц", "месец", "mjesec", "mesec", "month", "თვ"))
_MONTH_WORDS = {fold(w) for w in ("мес", "міс", "lună", "luni", "mo", "mos", "mj", "mjes")}
_SINGULAR = {fold(w) for w in (
    "год", "года", "рік", "року", "година", "an", "anul", "godina", "godinu", "year", "წელი", "წლის",
    "месяц", "месяца", "місяць", "місяця", "месец", "месеца", "lună", "luna", "mjesec", "mjeseca", "mesec",
    "meseca", "month", "თვე", "თვის")}
_TOKEN = re.compile(r"\d+(?:[.,]\d+)?|[^\W\d_]+")
_HALF_YEAR = {fold(w) for w in ("полгода", "півроку", "полугода")}
_NO_EXPERIENCE = {" ".join(_TOKEN.findall(fold(p.replace("'", "")))) for p in (
    "нет опыта", "без опыта", "опыта нет", "опыт отсутствует", "отсутствует", "нет", "не имеет",
    "без досвіду", "немає досвіду", "досвіду немає", "досвід відсутній", "немає", "відсутній",
    "без опит", "няма опит", "няма", "fără experiență", "nu are experiență", "fără", "nu are", "nu",
    "bez iskustva", "nema iskustva", "nema", "no experience", "without experience", "none", "no", "nil",
    "გამოცდილების გარეშე", "გამოცდილება არ აქვს", "არ აქვს", "არა", "არ მაქვს")}
_PLAIN_NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)?")
_EMPTY_MARKS = {"-", "—", "–", "n/a", "н/д", "?"}


def parse_experience(value: str) -> float | None:
    """Years of experience as a job board writes them (see `_read_experience`);
    ValueError when none of it can be read. Remembered: a file repeats its
    few spellings ("1", "2 роки") thousands of times, and is read twice."""
    found = _read_experience_cached(value or "")
    if found is _UNREAD:
        raise ValueError(value)
    return found  # type: ignore[return-value]


_UNREAD = object()


@lru_cache(maxsize=4096)
def _read_experience_cached(value: str) -> float | object | None:
    try:
        return _read_experience(value)
    except ValueError:
        return _UNREAD


def _read_experience(value: str) -> float | None:
    """Years of experience as a job board writes them: "1,5", "5 лет 3 месяца"
    (5.25), "2 роки", "6 месяцев" (0.5), "peste 5 ani" and "more than 10
    years" (the number said), "Нет опыта", "Без досвіду", "fără experiență",
    "bez iskustva" (0). A range ("1-3 года") counts its lower end. ValueError
    when none of it can be read."""
    text = (value or "").strip()
    if not text or text.lower() in _EMPTY_MARKS:
        return None
    squeezed = text.replace(" ", "").replace("\u00a0", "")
    if _PLAIN_NUMBER.fullmatch(squeezed):
        return float(squeezed.replace(",", "."))
    tokens = _TOKEN.findall(fold(re.sub(r"['’ʼ`]", "", text)))
    if " ".join(tokens) in _NO_EXPERIENCE:
        return 0.0
    total, pending, found = 0.0, None, False
    for token in tokens:
        number = float(token.replace(",", ".")) if token[0].isdigit() else _NUMBER_WORDS.get(token)
        if number is not None:
            pending = number if pending is None else pending  # "1-3": the lower end
            continue
        if token in _HALF_YEAR:
            total, found = total + 0.5, True
            continue
        unit = 1.0 if token in _YEAR_WORDS or token.startswith(_YEAR_STEMS) else \
            1 / 12 if token in _MONTH_WORDS or token.startswith(_MONTH_STEMS) else None
        if unit is None:
            continue  # "более", "peste", "more than", "over", "около"...
        if pending is None and token not in _SINGULAR:
            continue  # "много лет": no number to read
        total += (1.0 if pending is None else pending) * unit
        pending, found = None, True
    if not found and pending is not None:
        total, found = pending, True
    if not found:
        raise ValueError(value)
    return round(total, 2)


# A language as a file writes it: a code, or its name in any of the seven languages.
_LANGUAGE_NAMES: dict[str, tuple[str, ...]] = {
    "en": ("en", "eng", "english", "англ", "англійська", "английский", "английски", "engleză", "engleski",
           "ინგლისური"),
    "uk": ("uk", "ua", "ukr", "укр", "ukrainian", "українська", "украинский", "украински", "ucraineană",
           "ukrajinski", "უკრაინული"),
    "ru": ("ru", "rus", "рус", "russian", "русский", "російська", "руски", "rusă", "ruski", "რუსული"),
    "bg": ("bg", "bul", "бг", "бълг", "bulgarian", "български", "болгарский", "болгарська", "bulgară",
           "bugarski", "ბულგარული"),
    "ro": ("ro", "ron", "rum", "rom", "romanian", "română", "румынский", "румунська", "румънски", "rumunski",
           "რუმინული", "moldovenească"),
    # Serbian and Croatian are read alike (DOMAIN.md §6)
    "bs": ("bs", "bos", "bhs", "hr", "sr", "bosnian", "bosanski", "боснийский", "боснійська", "босненски",
           "bosniacă", "ბოსნიური", "hrvatski", "srpski", "croatian", "serbian"),
    "ka": ("ka", "ge", "geo", "kat", "georgian", "ქართული", "грузинский", "грузинська", "грузински", "georgiană",
           "gruzijski"),
}
LANGUAGES = tuple(_LANGUAGE_NAMES)
_LANGUAGE_KEYS = {header_key(name): code for code, names in _LANGUAGE_NAMES.items() for name in names}


def parse_language(value: str) -> str | None:
    """The shipped language code a cell names ("uk", "uk-UA", "Українська",
    "ukrainian", "рус", "RO"), or None for an empty cell; ValueError for a
    language we do not ship or cannot read."""
    text = (value or "").strip()
    if not text:
        return None
    for candidate in (text, re.split(r"[-_\s]", text)[0]):
        code = _LANGUAGE_KEYS.get(header_key(candidate))
        if code:
            return code
    raise ValueError(value)


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
