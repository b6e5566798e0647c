"""A statement that is true or false."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from recruit.quizzes import gift_syntax as gs
from recruit.quizzes.types.base import QuestionError, QuestionType

WORDS = ("T", "TRUE", "F", "FALSE")


class TrueFalse(QuestionType):
    kind, label, gift_order, json_shape = "true_false", _l("True / false"), 50, bool

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
        """Moodle: T, TRUE, F or FALSE before any "#"."""
        return answers.text.split("#", 1)[0].strip() in WORDS

    def from_gift(self, q, answers):
        """As Moodle reads it: the first feedback is for a wrong answer, the second for a right one
        ("{TRUE#why not}" gives feedback to those who answer false only)."""
        word, *feedbacks = answers.text.split("#", 2)
        wrong, wrong_format = answers.text_of(feedbacks[0] if feedbacks else "")
        right, right_format = answers.text_of(feedbacks[1] if len(feedbacks) > 1 else "")
        q.correct = word.strip() in ("T", "TRUE")
        if q.correct:
            q.true_feedback, q.true_feedback_format, q.false_feedback, q.false_feedback_format = \
                right, right_format, wrong, wrong_format
        else:
            q.true_feedback, q.true_feedback_format, q.false_feedback, q.false_feedback_format = \
                wrong, wrong_format, right, right_format

    def to_gift(self, q):
        """As Moodle writes it: the wrong answer's feedback first ("#" alone when only the right one has one)."""
        if q.correct:
            word, wrong, wrong_format, right, right_format = "TRUE", q.false_feedback, q.false_feedback_format, \
                q.true_feedback, q.true_feedback_format
        else:
            word, wrong, wrong_format, right, right_format = "FALSE", q.true_feedback, q.true_feedback_format, \
                q.false_feedback, q.false_feedback_format
        out = word + (gs.feedback(wrong, wrong_format, q.text_format) or ("#" if right else ""))
        return out + gs.feedback(right, right_format, q.text_format)

    def sample_answer(self, data, *, right, essay="", wrong=""):
        return data["correct"] == right
