"""A short written answer, compared with the accepted ones."""

from __future__ import annotations

import re

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from recruit.quizzes import gift_syntax as gs
from recruit.quizzes.types.base import Choice, QuestionError, QuestionType


def normalise_text(text: str, case_sensitive: bool) -> str:
    text = re.sub(r"\s+", " ", str(text or "").strip())
    return text if case_sensitive else text.casefold()


class ShortAnswer(QuestionType):
    kind, label, gift_order = "short", _l("Short answer"), 50

    def validate(self, q):
        super().validate(q)
        if not q.choices:
            raise QuestionError(_("list at least one accepted answer"))

    def grade(self, q, answer):
        given = normalise_text(answer, q.case_sensitive)
        return max((max(c.fraction, 0.0) for c in q.choices if normalise_text(c.text, q.case_sensitive) == given),
                   default=0.0) if given else 0.0

    def reveal(self, shown, data, item):
        shown["accepted"] = [c["text"] for c in data.get("choices", []) if c.get("fraction", 0) > 0]

    def reads_gift(self, answers):
        """Only "=" answers: the accepted ones."""
        return not any(prefix == "~" for prefix, *_rest in answers.items)

    def from_gift(self, q, answers):
        q.choices = [Choice(gs.restore(body), weight if weight is not None else 1.0, gs.restore(fb))
                     for _p, weight, body, fb in answers.items]

    def to_gift(self, q):
        return "\n" + "".join(f"\t={gs.weight(c.fraction)}{gs.escape(c.text)}{gs.feedback(c.feedback)}\n"
                              for c in q.choices)

    def sample_answer(self, data, *, right, essay="", wrong=""):
        return data["choices"][0]["text"] if right else wrong
