"""Text between the questions (Moodle's "description"): a question without
an answer block in GIFT. It asks nothing, is worth nothing and is never
graded; an attempt shows it where it stands."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from recruit.quizzes.types.base import AnswerError, QuestionType


class Description(QuestionType):
    kind, label, gift_order = "description", _l("Description (nothing to answer)"), 5
    answered, default_points = False, 0.0

    def grade(self, q, answer):
        return 0.0  # worth no points: nothing to earn

    def parse_form(self, form):
        return None

    def from_json(self, value):
        if value is not None:
            raise AnswerError(_("takes no answer for %(kind)s", kind=self.kind))
        return None

    def reads_gift(self, answers):
        """No "{...}" at all."""
        return answers.text is None

    def from_gift(self, q, answers):
        q.points = self.default_points

    def to_gift(self, q):
        return None  # written without braces

    def sample_answer(self, data, *, right, essay="", wrong=""):
        return None
