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


def accepts(accepted: str, given: str, case_sensitive: bool) -> bool:
    """Whether a written answer is the accepted one. As in Moodle, a "*" in
    the accepted answer stands for any text ("\\*" for a star itself)."""
    accepted, given = normalise_text(accepted, case_sensitive), normalise_text(given, case_sensitive)
    if "*" not in accepted:
        return accepted == given
    pieces = [piece.replace("\\*", "*") for piece in re.split(r"(?<!\\)\*", accepted)]
    if len(pieces) == 1:
        return pieces[0] == given
    first, *middle, last = pieces
    if len(given) < len(first) + len(last) or not given.startswith(first) or not given.endswith(last):
        return False
    at, end = len(first), len(given) - len(last)
    for piece in middle:  # each in turn, as early as it comes: a wildcard match without backtracking
        found = given.find(piece, at, end)
        if found < 0:
            return False
        at = found + len(piece)
    return True


class ShortAnswer(QuestionType):
    kind, label, gift_order = "short", _l("Short answer"), 60

    def validate(self, q):
        super().validate(q)
        if not q.choices:
            raise QuestionError(_("list at least one accepted answer"))

    def grade(self, q, answer):
        if not normalise_text(answer, q.case_sensitive):
            return 0.0
        return max((max(c.fraction, 0.0) for c in q.choices if accepts(c.text, answer, q.case_sensitive)),
                   default=0.0)

    def reveal(self, shown, data, item):
        shown["accepted"] = [c["text"] for c in data.get("choices", []) if c.get("fraction", 0) > 0]

    def reads_gift(self, answers):
        """Moodle: any other block of "=" answers (the accepted ones)."""
        return True

    def from_gift(self, q, answers):
        """A marker on an accepted answer is dropped, as Moodle does (an answer is plain text)."""
        for _prefix, body in answers.items:
            weight, body = gs.weighted(body, answers.line)
            raw_text, raw_feedback = gs.commented(body)
            feedback, feedback_format = answers.text_of(raw_feedback)
            if not gs.formatted(raw_text)[0]:
                raise gs.GiftError(answers.line, _("an answer is empty"))
            q.choices.append(Choice(gs.formatted(raw_text)[0], weight if weight is not None else 1.0, feedback,
                                    feedback_format=feedback_format))

    def to_gift(self, q):
        return "\n" + "".join(f"\t={gs.weight(c.fraction)}{gs.written(c.text)}"
                               f"{gs.feedback(c.feedback, c.feedback_format, q.text_format)}\n" for c in q.choices)

    def sample_answer(self, data, *, right, essay="", wrong=""):
        return data["choices"][0]["text"] if right else wrong
