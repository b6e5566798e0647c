"""What the quiz rooms raise when a request cannot be carried out: the
message is written for the reader, in their language."""

from __future__ import annotations


class QuizError(ValueError):
    pass
