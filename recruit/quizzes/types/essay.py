"""An open answer a person grades."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from recruit.quizzes.types.base import QuestionType


class Essay(QuestionType):
    kind, label, auto, gift_order = "essay", _l("Essay (graded by a person)"), False, 10

    def grade(self, q, answer):
        return None

    def reads_gift(self, answers):
        """An empty block: "{}"."""
        return answers.text == ""

    def to_gift(self, q):
        return ""

    def sample_answer(self, data, *, right, essay="", wrong=""):
        return essay
