"""Which encoding a file is in: a BOM, UTF-16, strict UTF-8, or the
single-byte encoding of DOMAIN.md §6 that reads as the most plausible text,
and whether the text read still looks garbled (mojibake)."""

from __future__ import annotations

import codecs
import re
import unicodedata

import charset_normalizer
from charset_normalizer.md import mess_ratio

from recruit.tabular.reports import FileError

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
