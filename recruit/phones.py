"""Phone numbers as people write them, read with `phonenumbers` in the
organisation's region: `067 123 45 67` and `+380 67 123 45 67` are the same
person in Ukraine, so numbers are compared in E.164 (`+380671234567`) and shown
in the region's national format. Pure: no Flask, no database; callers pass the
region (OrgSettings.phone_region), so the importer and the tests share it."""

from __future__ import annotations

import re
from functools import lru_cache

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberFormat, ValidationResult

# "Unknown region" for phonenumbers: only numbers written with their country code parse.
UNKNOWN_REGION = "ZZ"
MAX_LENGTH = 40  # candidates.phone

# Several numbers in one cell: "067 123 45 67, 050 765 43 21", "... / ...", "...; ...", one per line.
_SEPARATORS = re.compile(r"\s*(?:[,;/|\n]|\s(?:or|или|або|ili|sau|ან)\s)\s*", re.IGNORECASE)
_PHONE_CHARS = re.compile(r"^[\d\s()+\-.]+$")


class PhoneError(ValueError):
    """Why a number is impossible: `code` is a key of the importer's MESSAGES
    ("phone_too_short", "phone_too_long", "phone_invalid", "phone_no_country",
    "bad_phone")."""

    def __init__(self, code: str, value: str):
        self.code, self.value = code, value
        super().__init__(f"{code}: {value}")


def clean_region(region: str | None) -> str:
    """An upper-case region phonenumbers knows, else the unknown region."""
    code = (region or "").strip().upper()
    return code if code in phonenumbers.SUPPORTED_REGIONS else UNKNOWN_REGION


def split(cell: str | None) -> list[str]:
    """The numbers in one cell, in their order (a job board or a CRM puts a
    second number after a comma, a slash or a semicolon)."""
    return [part.strip() for part in _SEPARATORS.split(cell or "") if part and part.strip()]


def _parsed(value: str, region: str | None) -> phonenumbers.PhoneNumber:
    text = (value or "").strip()
    region = clean_region(region)
    if text.startswith("00"):  # the international call prefix written in digits
        text = "+" + text[2:]
    try:
        return phonenumbers.parse(text, region)
    except NumberParseException as exc:
        digits = re.sub(r"\D", "", text)
        if exc.error_type == NumberParseException.TOO_SHORT_NSN or (digits and len(digits) < 5):
            raise PhoneError("phone_too_short", value) from exc
        if exc.error_type == NumberParseException.TOO_LONG:
            raise PhoneError("phone_too_long", value) from exc
        if exc.error_type == NumberParseException.INVALID_COUNTRY_CODE and digits and not text.startswith("+"):
            try:  # no region to read a national number in: maybe the country code without its +
                return phonenumbers.parse("+" + digits, None)
            except NumberParseException:
                raise PhoneError("phone_no_country", value) from exc
        raise PhoneError("phone_invalid" if digits else "bad_phone", value) from exc


@lru_cache(maxsize=65536)
def to_e164(value: str, region: str | None) -> str:
    """The number in E.164, or PhoneError saying why it cannot be one: too
    short or too long for its country, or not a number that exists there.
    Remembered: an import reads every number twice (the check, then the job)."""
    number = _parsed(value, region)
    if phonenumbers.is_valid_number(number):
        return phonenumbers.format_number(number, PhoneNumberFormat.E164)
    reason = phonenumbers.is_possible_number_with_reason(number)
    if reason == ValidationResult.INVALID_COUNTRY_CODE:
        raise PhoneError("phone_invalid", value)
    digits = len(phonenumbers.national_significant_number(number))
    lengths = _possible_lengths(number)
    if reason in (ValidationResult.TOO_SHORT, ValidationResult.IS_POSSIBLE_LOCAL_ONLY) \
            or (lengths and digits < min(lengths)):
        raise PhoneError("phone_too_short", value)
    if reason == ValidationResult.TOO_LONG or (lengths and digits > max(lengths)):
        raise PhoneError("phone_too_long", value)
    raise PhoneError("phone_invalid", value)


def _possible_lengths(number: phonenumbers.PhoneNumber) -> tuple[int, ...]:
    """The national number lengths the number's country uses (its mobile and
    fixed lines together)."""
    region = phonenumbers.region_code_for_country_code(number.country_code)
    metadata = phonenumbers.PhoneMetadata.metadata_for_region_or_calling_code(number.country_code, region)
    if metadata is None or metadata.general_desc is None:
        return ()
    return tuple(n for n in metadata.general_desc.possible_length or () if n > 0)


def display(value: str | None, region: str | None) -> str:
    """How a person of the region reads the number: national format for the
    region's own numbers (067 123 4567), international for the others
    (+7 916 123-45-67); text that is not a number comes back as it was."""
    if not value:
        return ""
    try:
        number = _parsed(value, region)
    except PhoneError:
        return value
    if not phonenumbers.is_possible_number(number):
        return value
    same = phonenumbers.region_code_for_number(number) == clean_region(region)
    return phonenumbers.format_number(number, PhoneNumberFormat.NATIONAL if same else PhoneNumberFormat.INTERNATIONAL)


def search_forms(text: str, region: str | None, shortest: int = 4) -> list[str]:
    """The digit strings a search for this text compares with a stored E.164
    number: the digits as typed (a fragment: "45 67"), and, when the text is
    a whole number in any spelling ("067 123 45 67", "8 916 ..."), its E.164
    digits, which the typed digits are not a part of."""
    digits = re.sub(r"\D", "", text or "")
    if len(digits) < shortest:
        return []
    forms = [digits]
    if _PHONE_CHARS.match(text.strip()):
        try:
            number = _parsed(text, region)
        except PhoneError:
            number = None
        if number is not None and phonenumbers.is_possible_number(number):
            full = phonenumbers.format_number(number, PhoneNumberFormat.E164).lstrip("+")
            if full not in forms:
                forms.append(full)
    return forms


def national_digits(value: str | None, region: str | None = None) -> str | None:
    """The national significant number ("671234567" for +380 67 123 45 67):
    the digits every spelling of the number contains in order, whether written
    with +380, 0 or 8 in front; what finds a person's number in free text."""
    if not value:
        return None
    try:
        number = _parsed(value, region)
    except PhoneError:
        return None
    return phonenumbers.national_significant_number(number) or None
