"""Values as people write them in the seven shipped languages: e-mail and
phone keys, years of experience in words ("два года", "1,5 ani", "півроку"),
and a language named by its code or its name."""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache

from recruit.tabular.reader import fold, header_key


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
