"""Moodle GIFT's notation as the file reader (gift.py) and every question type
share it: escapes, the "=" / "~" answers, weights, "#" feedback, the
[html] / [plain] / [markdown] / [moodle] format markers, numbers, and the
error that names the line. It reads as Moodle's qformat_gift reads and
writes what Moodle reads back unchanged. No request, no database."""

from __future__ import annotations

import re
from decimal import Decimal
from functools import cached_property

from flask_babel import gettext as _

# What Moodle escapes with a backslash. It has no "\%": a "%" is written as it
# is (a "\%" is still read as "%", as files written by earlier versions of
# recruit have it, but never written).
SPECIAL = "~=#{}:"
_READ = SPECIAL + "%"
_ESCAPED = {c: f"\x00{i}\x00" for i, c in enumerate(_READ)}
FORMATS = ("moodle", "html", "plain", "markdown")
_MARKER = re.compile(r"\[(moodle|html|plain|markdown)\]")
# Moodle's answer weight: "%50%", "%-33.33333%", right after "~" (or "=" in a short or numeric answer)
_WEIGHT = re.compile(r"%(-?\d+(?:\.\d*)?)%")
# A number as Moodle's is_numeric takes it (no "inf", "nan" or "1_000")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")

Item = tuple[str, str]  # prefix ("=" or "~"), the answer's text (escapes hidden, weight and feedback still in it)


class GiftError(ValueError):
    def __init__(self, line: int, reason: str):
        super().__init__(_("line %(line)d: %(reason)s", line=line, reason=reason))
        self.line, self.reason = line, reason


def protect(text: str) -> str:
    """Hide escaped specials so the structure can be split safely."""
    return re.sub(r"\\([~=#{}:%\\n])", lambda m: _ESCAPED.get(m.group(1), "\x00n\x00" if m.group(1) == "n" else
                                                               "\x00b\x00"), text)


def restore(text: str) -> str:
    for char, token in _ESCAPED.items():
        text = text.replace(token, char)
    return text.replace("\x00n\x00", "\n").replace("\x00b\x00", "\\").strip()


def escape(text: str) -> str:
    text = text.replace("\\", "\\\\")
    for char in SPECIAL:
        text = text.replace(char, "\\" + char)
    return text.replace("\r", "").replace("\n", "\\n")


def items(answers: str, line: int) -> list[Item]:
    parts = re.split(r"(?=[=~])", answers)
    if parts and parts[0].strip():
        raise GiftError(line, _("“%(text)s” is not an answer (answers start with = or ~)",
                                text=restore(parts[0])[:40]))
    return [(part[0], part[1:].strip()) for part in parts[1:]]


def weighted(body: str, line: int) -> tuple[float | None, str]:
    """The weight in front of an answer ("%50%", as a fraction) and the rest."""
    match = _WEIGHT.match(body)
    if not match:
        return None, body
    weight = float(Decimal(match.group(1)) / 100)
    if not -1.0 <= weight <= 1.0:
        raise GiftError(line, _("the weight %(weight)s %% is outside -100..100", weight=match.group(1)))
    return weight, body[match.end():].strip()


def commented(body: str) -> tuple[str, str]:
    """An answer and its feedback, split at the first "#" (escapes still hidden)."""
    text, _sep, feedback = body.partition("#")
    return text.strip(), feedback.strip()


def formatted(raw: str) -> tuple[str, str | None]:
    """A text without its format marker, and the marker's format (None: none written)."""
    raw = raw.strip()
    match = _MARKER.match(raw)
    if match:
        return restore(raw[match.end():]), match.group(1)
    return restore(raw), None


def own_format(found: str | None, question_format: str) -> str:
    """How an answer or a feedback keeps its format: "" when it is the
    question text's (as Moodle defaults it), else the format's name."""
    return "" if found is None or found == question_format else found


def written(text: str, text_format: str = "", default: str = "moodle") -> str:
    """A text as GIFT writes it: its marker when its format is not the
    default one (or when the text itself starts like a marker), escaped."""
    marker = text_format if text_format and text_format != default else ""
    if not marker and _MARKER.match(text):
        marker = text_format or default
    return (f"[{marker}]" if marker else "") + escape(text)


def feedback(text: str, text_format: str = "", default: str = "moodle") -> str:
    return f"#{written(text, text_format, default)}" if text else ""


def weight(fraction: float) -> str:
    """A weight as a percentage that reads back as the same fraction (the
    fraction's shortest decimal, times 100: exact)."""
    return f"%{_decimal(Decimal(repr(float(fraction))) * 100)}%"


def looks_weighted(text: str) -> bool:
    """A text Moodle would read as starting with a weight (it then needs one written before it)."""
    return _WEIGHT.match(text) is not None


def number(value: float) -> str:
    """A number in full precision: the shortest text that reads back as the same float, never in
    exponent notation."""
    return _fixed(value)


def _fixed(value: float) -> str:
    return _decimal(Decimal(repr(float(value))))


def _decimal(value: Decimal) -> str:
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def read_number(text: str) -> float | None:
    return float(text) if _NUMBER.fullmatch(text) else None


class Answers:
    """A question's answer block (between "{" and "}", without the general
    feedback), escapes hidden, as the question types read it. `text` is None
    when the question has no block at all (a description)."""

    def __init__(self, text: str | None, line: int, text_format: str = "moodle"):
        self.text, self.line, self.text_format = text, line, text_format

    @cached_property
    def items(self) -> list[Item]:
        """The "=" / "~" answers; raises GiftError when the block is no such list."""
        found = items(self.text or "", self.line)
        if any(not body for _prefix, body in found):
            raise GiftError(self.line, _("an answer is empty"))
        return found

    def text_of(self, raw: str) -> tuple[str, str]:
        """A text without its marker, and its format as a question's part keeps it."""
        text, found = formatted(raw)
        return text, own_format(found, self.text_format)
