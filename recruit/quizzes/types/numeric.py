"""A number, right within a tolerance or a range."""

from __future__ import annotations

from typing import Any

from babel.numbers import format_decimal
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from recruit.quizzes import gift_syntax as gs
from recruit.quizzes.types.base import NumericAnswer, QuestionError, QuestionType


def parse_number(raw: Any) -> float | None:
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int | float):
        return float(raw)
    text = str(raw or "").strip().replace(" ", "").replace(",", ".")
    try:
        return float(text)
    except ValueError:
        return None


def _shown_number(value: float) -> str:
    """A number in the current language's way (English outside an app)."""
    return format_decimal(value, locale=get_locale() or "en")


class Numeric(QuestionType):
    kind, label, gift_order = "numeric", _l("Number (with tolerance)"), 20

    def validate(self, q):
        super().validate(q)
        if not any(not item.catch_all for item in q.numbers):
            raise QuestionError(_("give the right number"))
        for item in q.numbers:
            if item.catch_all:
                continue
            if item.low is not None and item.high is not None:
                if item.low > item.high:
                    raise QuestionError(_("a range runs from the lower number to the higher one"))
            elif item.value is None:
                raise QuestionError(_("give the right number"))
            if item.tolerance < 0:
                raise QuestionError(_("a tolerance cannot be negative"))

    def grade(self, q, answer):
        number = parse_number(answer)
        if number is None:
            return 0.0
        return max((max(item.fraction, 0.0) for item in q.numbers if item.accepts(number)), default=0.0)

    def reveal(self, shown, data, item):
        shown["accepted"] = [f"{_shown_number(n['low'])}–{_shown_number(n['high'])}" if n.get("low") is not None
                             else f"{_shown_number(n['value'])} ± {_shown_number(n['tolerance'])}"
                             for n in data.get("numbers", []) if not n.get("catch_all")]

    def reads_gift(self, answers):
        return answers.text.startswith("#")

    def from_gift(self, q, answers):
        """As Moodle reads it: "=" answers (a weight, "#" feedback each), a
        "~" starting the feedback for any other number."""
        spec, tilde, other = answers.text[1:].partition("~")
        parts = spec.split("=")
        if not parts[0].strip():
            parts = parts[1:]
        if not parts:
            raise gs.GiftError(answers.line, _("give the right number"))
        for part in parts:
            weight, body = gs.weighted(part.strip(), answers.line)
            raw_value, raw_feedback = gs.commented(body)
            value = gs.formatted(raw_value)[0].replace(" ", "")
            answer = self._answer(value, answers.line)
            answer.fraction = weight if weight is not None else 1.0
            answer.feedback, answer.feedback_format = answers.text_of(raw_feedback)
            q.numbers.append(answer)
        if tilde:
            feedback, feedback_format = answers.text_of(gs.commented(other)[1])
            q.numbers.append(NumericAnswer(fraction=0.0, feedback=feedback, feedback_format=feedback_format,
                                           catch_all=True))

    @staticmethod
    def _answer(value: str, line: int) -> NumericAnswer:
        if value == "*":
            return NumericAnswer(catch_all=True)
        low, dots, high = value.partition("..")
        number, colon, tolerance = value.partition(":")
        if dots and low:
            found = NumericAnswer(low=gs.read_number(low), high=gs.read_number(high))
            ok = found.low is not None and found.high is not None
        elif colon and number:
            found = NumericAnswer(value=gs.read_number(number), tolerance=gs.read_number(tolerance) or 0.0)
            ok = found.value is not None and gs.read_number(tolerance) is not None
        else:
            found = NumericAnswer(value=gs.read_number(value))
            ok = found.value is not None
        if not ok:
            raise gs.GiftError(line, _("“%(value)s” is not a number, a number:tolerance or a low..high range",
                                       value=value))
        return found

    def to_gift(self, q):
        lines = []
        for n in q.numbers:
            fb = gs.feedback(n.feedback, n.feedback_format, q.text_format)
            if n.catch_all and not n.fraction:
                lines.append(f"\t~{fb or '#'}\n")
                continue
            if n.catch_all:
                spec = "*"
            elif n.low is not None and n.high is not None:
                spec = f"{gs.number(n.low)}..{gs.number(n.high)}"
            else:
                spec = f"{gs.number(n.value)}:{gs.number(n.tolerance)}"
            lines.append(f"\t={gs.weight(n.fraction)}{spec}{fb}\n")
        # Moodle takes everything from the first "~" as the catch-all: it comes last
        lines.sort(key=lambda line: line.startswith("\t~"))
        return "#\n" + "".join(lines)

    def sample_answer(self, data, *, right, essay="", wrong=""):
        number = next(n for n in data["numbers"] if not n.get("catch_all"))
        value = number["value"] if number.get("value") is not None else (number["low"] + number["high"]) / 2
        return f"{value if right else value * 3 + 7:g}"
