"""A statement that is true or false."""

from __future__ import annotations

import re

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from recruit.quizzes import gift_syntax as gs
from recruit.quizzes.types.base import QuestionError, QuestionType

_GIFT = re.compile(r"(TRUE|T|FALSE|F)\s*(#(.*?))?(#(.*))?", re.S)


class TrueFalse(QuestionType):
    kind, label, gift_order, json_shape = "true_false", _l("True / false"), 30, bool

    def validate(self, q):
        super().validate(q)
        if q.correct is None:
            raise QuestionError(_("say whether the statement is true or false"))

    def grade(self, q, answer):
        return 1.0 if isinstance(answer, bool) and answer == q.correct else 0.0

    def parse_form(self, form):
        return {"true": True, "false": False}.get(form.get("answer", ""))

    def reveal(self, shown, data, item):
        shown["correct"] = data.get("correct")

    def reads_gift(self, answers):
        return _GIFT.fullmatch(answers.text) is not None

    def from_gift(self, q, answers):
        tf = _GIFT.fullmatch(answers.text)
        q.correct = tf.group(1).startswith("T")
        wrong, right = gs.restore(tf.group(3) or ""), gs.restore(tf.group(5) or "")
        # GIFT: the first feedback is shown for a wrong answer, the second for a right one
        if tf.group(4) is None:
            q.true_feedback = q.false_feedback = wrong
        elif q.correct:
            q.false_feedback, q.true_feedback = wrong, right
        else:
            q.true_feedback, q.false_feedback = wrong, right

    def to_gift(self, q):
        word = "TRUE" if q.correct else "FALSE"
        wrong, right = (q.false_feedback, q.true_feedback) if q.correct else (q.true_feedback, q.false_feedback)
        if wrong or right:
            return f"{word}#{gs.escape(wrong)}#{gs.escape(right)}"
        return word

    def sample_answer(self, data, *, right, essay="", wrong=""):
        return data["correct"] == right
