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
        if not q.numbers:
            raise QuestionError(_("give the right number"))
        for item in q.numbers:
            if item.low is not None and item.high is not None and item.low > item.high:
                raise QuestionError(_("a range runs from the lower number to the higher one"))
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
                             for n in data.get("numbers", [])]

    def reads_gift(self, answers):
        return answers.text.startswith("#")

    def from_gift(self, q, answers):
        spec = answers.text[1:].strip()
        entries = [("=", None, spec, "")] if not spec.startswith("=") else gs.items(spec, answers.line)
        for _prefix, weight, body, feedback in entries:
            body, _sep, inline_feedback = body.partition("#")
            value = gs.restore(body).replace(" ", "")
            try:
                if ".." in value:
                    low, high = (float(x) for x in value.split("..", 1))
                    answer = NumericAnswer(low=low, high=high)
                elif ":" in value:
                    number, tolerance = value.split(":", 1)
                    answer = NumericAnswer(value=float(number), tolerance=float(tolerance))
                else:
                    answer = NumericAnswer(value=float(value))
            except ValueError as exc:
                reason = _("“%(value)s” is not a number, a number:tolerance or a low..high range", value=value)
                raise gs.GiftError(answers.line, reason) from exc
            answer.fraction = weight if weight is not None else 1.0
            answer.feedback = gs.restore(feedback or inline_feedback)
            q.numbers.append(answer)

    def to_gift(self, q):
        parts = []
        for n in q.numbers:
            spec = f"{gs.number(n.low)}..{gs.number(n.high)}" if n.low is not None and n.high is not None else \
                f"{gs.number(n.value)}:{gs.number(n.tolerance)}"
            parts.append(f"={gs.weight(n.fraction)}{spec}{gs.feedback(n.feedback)}")
        return "#" + " ".join(parts)

    def sample_answer(self, data, *, right, essay="", wrong=""):
        number = data["numbers"][0]
        value = number["value"] if number.get("value") is not None else (number["low"] + number["high"]) / 2
        return f"{value if right else value * 3 + 7:g}"
