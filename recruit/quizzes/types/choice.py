"""Choice questions: one right choice, or several with partial credit."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from recruit.quizzes import gift_syntax as gs
from recruit.quizzes.types.base import Choice, QuestionError, QuestionType, fraction_ok


class _Choices(QuestionType):
    """What both choice types share: shuffled choices, answered by position."""

    def validate(self, q):
        super().validate(q)
        if len(q.choices) < 2:
            raise QuestionError(_("a choice question needs at least two choices"))

    def orders(self, data, rng, *, shuffle):
        order, right_order = super().orders(data, rng, shuffle=shuffle)
        if shuffle:
            rng.shuffle(order)
        return order, right_order

    def present(self, shown, data, item):
        shown["choices"] = [data["choices"][i]["text"] for i in item.choice_order]

    def reveal(self, shown, data, item):
        shown["choice_feedback"] = [data["choices"][i].get("feedback", "") for i in item.choice_order]
        shown["right"] = [data["choices"][i]["fraction"] > 0 for i in item.choice_order]

    def from_gift(self, q, answers):
        """As Moodle reads a choice: "=" is fully right (a "%50%" after it is
        text), "~" wrong unless a weight follows it."""
        for prefix, body in answers.items:
            fraction: float | None = 1.0
            if prefix == "~":
                fraction, body = gs.weighted(body, answers.line)
            raw_text, raw_feedback = gs.commented(body)
            text, text_format = answers.text_of(raw_text)
            feedback, feedback_format = answers.text_of(raw_feedback)
            if not text:
                raise gs.GiftError(answers.line, _("an answer is empty"))
            q.choices.append(Choice(text, fraction or 0.0, feedback, text_format, feedback_format))

    @staticmethod
    def _choice_gift(q, c: Choice, prefix: str) -> str:
        """One choice's line; a weight is written whenever the text would read as one."""
        if prefix == "~" and not c.fraction and gs.looks_weighted(c.text):
            prefix = "~%0%"
        text = gs.written(c.text, c.format, q.text_format)
        return f"\t{prefix}{text}{gs.feedback(c.feedback, c.feedback_format, q.text_format)}\n"

    @staticmethod
    def _picks(data: dict[str, Any], right: bool) -> list[int]:
        return [i for i, c in enumerate(data["choices"]) if (c["fraction"] > 0) == right]


class SingleChoice(_Choices):
    kind, label, gift_order, json_shape = "single", _l("Single choice"), 35, int

    def validate(self, q):
        super().validate(q)
        if not any(abs(c.fraction - 1.0) < 1e-9 for c in q.choices):
            raise QuestionError(_("one choice must be fully correct"))

    def grade(self, q, answer):
        if not isinstance(answer, int) or not 0 <= answer < len(q.choices):
            return 0.0
        return max(q.choices[answer].fraction, 0.0)

    def parse_form(self, form):
        raw = form.get("answer", "")
        return int(raw) if raw.lstrip("-").isdigit() else None

    def to_stored(self, answer, order):
        if isinstance(answer, int) and 0 <= answer < len(order):
            return order[answer]
        return answer

    def to_shown(self, answer, order):
        if isinstance(answer, int) and answer in order:
            return order.index(answer)
        return answer

    def reads_gift(self, answers):
        """Moodle: a "~" makes a choice question, an "=" among the answers one with a single answer."""
        return "~" in answers.text

    def to_gift(self, q):
        # Moodle: an "=" keeps it a single-answer question
        return "\n" + "".join(self._choice_gift(q, c, "=" if abs(c.fraction - 1.0) < 1e-9 else
                                                 "~" + (gs.weight(c.fraction) if c.fraction else ""))
                               for c in q.choices)

    def wrong_choice(self, data, answer):
        if isinstance(answer, int) and 0 <= answer < len(data["choices"]):
            choice = data["choices"][answer]
            return choice["text"] if choice["fraction"] <= 0 else None
        return None

    def sample_answer(self, data, *, right, essay="", wrong=""):
        return (self._picks(data, right) or [0])[0]


class MultipleChoice(_Choices):
    kind, label, gift_order, json_shape = "multiple", _l("Multiple choice (partial credit)"), 30, list

    def validate(self, q):
        super().validate(q)
        if not all(fraction_ok(c.fraction) for c in q.choices):
            raise QuestionError(_("weights run from -100 % to 100 %"))
        if not any(c.fraction > 0 for c in q.choices):
            raise QuestionError(_("no choice is marked right: start the right one with “=” or give the right "
                                  "ones weights such as “~%50%”"))
        if sum(c.fraction for c in q.choices if c.fraction > 0) < 1.0 - 1e-6:
            raise QuestionError(_("the right choices must add up to 100 %"))

    def grade(self, q, answer):
        chosen = {a for a in answer if isinstance(a, int) and 0 <= a < len(q.choices)} if \
            isinstance(answer, list | tuple | set) else set()
        return min(max(sum(q.choices[i].fraction for i in chosen), 0.0), 1.0)

    def parse_form(self, form):
        return [int(x) for x in form.getlist("answer") if x.isdigit()]

    def to_stored(self, answer, order):
        if isinstance(answer, list):
            return sorted({order[a] for a in answer if isinstance(a, int) and 0 <= a < len(order)})
        return answer

    def to_shown(self, answer, order):
        if isinstance(answer, list):
            return [order.index(a) for a in answer if a in order]
        return answer

    def reads_gift(self, answers):
        """Moodle: "~" answers and no "=" one: several may be ticked (the weights say how much each is worth)."""
        return "~" in answers.text and "=" not in answers.text

    def to_gift(self, q):
        return "\n" + "".join(self._choice_gift(q, c, "~" + (gs.weight(c.fraction) if c.fraction else ""))
                               for c in q.choices)

    def sample_answer(self, data, *, right, essay="", wrong=""):
        return self._picks(data, right) or [0]
