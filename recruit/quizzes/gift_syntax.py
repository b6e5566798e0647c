"""Moodle GIFT's notation as the file reader (gift.py) and every question type
share it: escapes, the list of "=" / "~" answers with weights and feedback,
numbers, and the error that names the line. No request, no database."""

from __future__ import annotations

import re
from functools import cached_property

from flask_babel import gettext as _

SPECIAL = "~=#{}:%"
_ESCAPED = {c: f"\x00{i}\x00" for i, c in enumerate(SPECIAL)}

Item = tuple[str, float | None, str, str]  # prefix ("=" or "~"), weight (-1..1 or None), body, feedback


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
    return text.replace("\n", "\\n")


def items(answers: str, line: int) -> list[Item]:
    parts = re.split(r"(?=[=~])", answers)
    if parts and parts[0].strip():
        raise GiftError(line, _("“%(text)s” is not an answer (answers start with = or ~)",
                                text=restore(parts[0])[:40]))
    found = []
    for part in parts[1:]:
        prefix, body = part[0], part[1:].strip()
        weight = None
        match = re.match(r"%(-?\d+(?:\.\d+)?)%", body)
        if match:
            weight = float(match.group(1)) / 100.0
            if not -1.0 <= weight <= 1.0:
                raise GiftError(line, _("the weight %(weight)s %% is outside -100..100", weight=match.group(1)))
            body = body[match.end():]
        body, _sep, feedback = body.partition("#")
        if not body.strip():
            raise GiftError(line, _("an answer is empty"))
        found.append((prefix, weight, body.strip(), feedback.strip()))
    return found


class Answers:
    """A question's answer block (between "{" and "}", without the general
    feedback), escapes hidden, as the question types read it."""

    def __init__(self, text: str, line: int):
        self.text, self.line = text, line

    @cached_property
    def items(self) -> list[Item]:
        """The "=" / "~" answers; raises GiftError when the block is no such list."""
        return items(self.text, self.line)


def feedback(text: str) -> str:
    return f"#{escape(text)}" if text else ""


def weight(fraction: float) -> str:
    return f"%{fraction * 100:g}%"


def number(value: float) -> str:
    return f"{value:g}"
